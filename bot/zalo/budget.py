"""Zalo's monthly message budget: how many messages the bot sent this month, and when to
tell the operators or hold the reminders.

Zalo's free plan allows 3,000 outbound messages a month; a bot serving many units must
not run out in the middle of the month without anyone knowing. Every message sent on
Zalo is counted in the database (``storage.updates.count_outbound``, shared by every bot
process), per calendar month in Asia/Ho_Chi_Minh. The count is an atomic increment that
returns the new total, so the one send that crosses 80% of the budget, and the one that
spends it, are known to exactly one process: each notice goes out once a month, also
across restarts. A budget of 0 means no budget: messages are counted, nothing is held.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Engine

from scheduler.clock import Clock
from storage.timezone import VN_TZ
from storage.updates import count_outbound, outbound_count

logger = logging.getLogger(__name__)

PLATFORM = "zalo"
WARN_PERCENT = 80


class Crossing(StrEnum):
    """What a send just did to the month's budget."""

    WARNING = "warning"  # the count reached 80% of the budget
    SPENT = "spent"  # the count reached the budget: reminders are held from now on


@dataclass(frozen=True)
class BudgetState:
    month: str  # "2024-03"
    sent: int
    budget: int

    @property
    def spent(self) -> bool:
        return self.budget > 0 and self.sent >= self.budget


def month_of(instant: datetime) -> str:
    """The calendar month of ``instant`` in Vietnam, as "2024-03"."""
    return instant.astimezone(VN_TZ).strftime("%Y-%m")


def next_month_start(instant: datetime) -> datetime:
    """Midnight of the first day of the next month in Vietnam, in UTC."""
    local = instant.astimezone(VN_TZ)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=VN_TZ).astimezone(UTC)


class MessageBudget:
    """The month's count of Zalo messages against ``monthly`` (0: unlimited).

    Synchronous (database work): async callers run it in a thread.
    """

    def __init__(self, engine: Engine, clock: Clock, monthly: int = 3000) -> None:
        if monthly < 0:
            raise ValueError("the monthly budget cannot be negative")
        self.engine = engine
        self.clock = clock
        self.monthly = monthly
        self.warn_at = -(-monthly * WARN_PERCENT // 100)  # 80%, rounded up (0: no budget)

    def state(self) -> BudgetState:
        month = month_of(self.clock.now())
        return BudgetState(month, outbound_count(self.engine, PLATFORM, month), self.monthly)

    def resume_at(self) -> datetime:
        """When held reminders may go out again: the start of the next month."""
        return next_month_start(self.clock.now())

    def record_sent(self, messages: int = 1) -> tuple[BudgetState, Crossing | None]:
        """Count ``messages`` just sent; say whether this send crossed a threshold."""
        month = month_of(self.clock.now())
        total = count_outbound(self.engine, PLATFORM, month, messages)
        state = BudgetState(month, total, self.monthly)
        before = total - messages
        crossing = None
        if self.monthly and before < self.monthly <= total:
            crossing = Crossing.SPENT
            logger.warning(
                "zalo: the monthly budget of %s messages is spent for %s; reminders are held "
                "until the next month",
                self.monthly,
                month,
            )
        elif self.warn_at and before < self.warn_at <= total:
            crossing = Crossing.WARNING
            logger.warning(
                "zalo: %s of the %s messages of %s's budget are sent", total, self.monthly, month
            )
        return state, crossing
