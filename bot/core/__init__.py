"""The platform-free brain of the bot: an ``IncomingMessage`` in, ``Reply`` values out."""
