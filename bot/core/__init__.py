"""The platform-free brain of the bot: an ``IncomingMessage`` goes in, ``Reply`` values come out."""
