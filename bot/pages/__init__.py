"""The leaders' page: a plan's progress, its late units and a task's reports and evidence,
rendered on the server and served by the bot's web server (``bot.web``).

Opened from the chat with /xem: on Telegram as a Mini App (``tokens.check_init_data``
checks its signed launch data), elsewhere through a link signed for one person and good
for 15 minutes (``tokens.sign``). The page changes nothing: it reads, and writes one line
to the audit log per view. ``bot.pages.app`` holds the routes; this package's root
imports nothing, so that the chat core may use ``bot.pages.tokens`` without Starlette.
"""
