"""``nhacviec chat --at 2024-03-05``: the terminal chat on a simulated clock that starts at
08:00 (Vietnam) that day and runs at the speed of real time, so a plan of a past year can
be tried as it stood then, deadlines coming up in the days after."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time

from messages.console import bad_day
from scheduler.clock import SimulatedClock
from storage.timezone import VN_TZ

START_OF_DAY = time(8, 0)


def day_argument(text: str) -> date:
    """argparse's type for ``--at``: an ISO date."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(bad_day(text)) from error


def simulated_from(day: date) -> SimulatedClock:
    """A clock running at real speed from 08:00 (Vietnam time) on ``day``."""
    return SimulatedClock(datetime.combine(day, START_OF_DAY, tzinfo=VN_TZ), speed=1.0)
