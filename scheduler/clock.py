"""The one source of time: a real clock in production, a simulated one for the demo and tests.

Nothing else in nhacviec calls ``datetime.now()``; everything that needs the time is
handed a ``Clock``. Instants are always timezone-aware.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """What an implementation must do: tell the current aware instant, in UTC."""

    def now(self) -> datetime: ...


class RealClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class SimulatedClock:
    """A clock that starts at ``start`` and runs ``speed`` simulated seconds per real second.

    ``advance`` moves it forward by hand, which is how tests step through a year; with
    ``speed = 0`` it only moves when told to.
    """

    def __init__(
        self, start: datetime, speed: float = 0.0, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("the simulated clock needs an aware start instant")
        self._start = start.astimezone(UTC)
        self._speed = speed
        self._monotonic = monotonic
        self._origin = monotonic()
        self._offset = timedelta(0)

    def now(self) -> datetime:
        elapsed = (self._monotonic() - self._origin) * self._speed
        return self._start + self._offset + timedelta(seconds=elapsed)

    def advance(self, delta: timedelta) -> None:
        self._offset += delta

    def set(self, instant: datetime) -> None:
        """Jump to ``instant`` (forward or back), keeping the speed."""
        self._offset += instant.astimezone(UTC) - self.now()


CLOCK_MODES = ("real", "simulated")


def clock_from_config(mode: str, start: str | datetime, speed: float) -> Clock:
    """The clock the configuration's ``[clock]`` asks for.

    ``mode`` is "real" or "simulated"; for a simulated clock ``start`` is an ISO instant
    with its offset ("2024-02-26T07:55:00+07:00") and ``speed`` the simulated seconds
    that pass per real second. A bad value raises ValueError saying which.
    """
    if mode == "real":
        return RealClock()
    if mode != "simulated":
        raise ValueError(f"unknown clock mode {mode!r}: use 'real' or 'simulated'")
    if isinstance(start, str):
        start = datetime.fromisoformat(start)
    if start.tzinfo is None:
        raise ValueError("the simulated clock's start needs its UTC offset, e.g. +07:00")
    if speed < 0:
        raise ValueError("the simulated clock's speed cannot be negative")
    return SimulatedClock(start, speed)
