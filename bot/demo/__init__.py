"""``nhacviec demo``: a whole year of the Cửa Lò 2024 plan, in the terminal, in under a minute.

The demo is the real bot on the console platform: the plan file is loaded into a fresh
SQLite file, everyone registers through the chat core with invite codes the operator
makes, and the real reminders runner (``scheduler.runner``) sends what the policy calls
for. Only time is simulated: a ``SimulatedClock`` jumps from one moment that matters to
the next (``world``) rather than ticking every 30 s, so the year takes seconds. The
people are simulated by ``cast``, with a seeded random generator: the same seed gives the
same transcript (invite codes aside: they come from ``secrets`` on purpose). What is
printed: ``chat`` (the chats), ``progress`` (the progress and the figures). ``run`` holds
``run_demo``, the whole of it; ``bot.cli.demo`` is the sub-command.

This package's own namespace holds only the defaults the command line shows, so that
building the parser loads none of the demo.
"""

PLAN_CODE = "cua-lo-2024"
DEFAULT_DATABASE = "nhacviec-demo.db"
DEFAULT_SEED = 2024
