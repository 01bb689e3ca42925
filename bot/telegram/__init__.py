"""The Telegram adapter: python-telegram-bot v22 between Telegram and the chat core.

``adapter`` receives updates (polling or webhook) and answers through the core,
``sender`` sends within Telegram's limits (``limits``) for replies and the outbox,
``keyboards`` and ``incoming`` translate between Telegram's objects and the core's,
``ledger`` remembers the updates handled, ``webhook`` is the route the web server
mounts, ``settings`` checks ``[telegram]``.
Importing this package imports nothing of python-telegram-bot.
"""
