"""The platform-free brain of the bot: an ``IncomingMessage`` in, ``Reply`` values out.

The chat commands are declared by their handlers (``bot.core.commands.command``). The
modules that hold them are imported here, once, so that ``COMMANDS`` is complete
whichever part of the core is imported first; their order here does not matter, each
command's ``order`` sets its place in /giup and the menus.
"""

from bot.core import (  # noqa: F401  imported for their declarations
    admin,
    basics,
    events,
    evidence_files,
    exports,
    extensions,
    plan_import,
    registration,
    reports,
    summaries,
    tasks,
    view,
)
