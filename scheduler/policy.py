"""The reminder policy: when a unit is reminded of one deadline (*hạn chót*).

``planned_reminders(due, calendar, policy)`` is a pure function: from an occurrence's due
instant it gives the ordered list of (instant, step). The steps are named

- ``before-7``, ``before-3``, ``before-1``: that many working days before the due day;
- ``due``: on the due day;
- ``after-1`` … ``after-10``: every ``after_every`` working days once the due day is past,
  until the unit reports "hoàn thành" (the outbox stops there), at most ``after_max`` times;
- ``escalate``: ``escalate_after`` working days late, the leadership group is told.

Rule for a due day that is not a working day (a weekend, Tết): the ``due`` reminder goes
on the last working day on or before it, and the ``before-N`` reminders count N working
days back from that day, so the two never coincide. Late reminders count working days
after the due day itself. Every instant is at ``at`` local time (08:00) on a working day;
should ``at`` fall outside the sending window, the reminder moves to the next moment
inside it (``WorkCalendar.next_working_moment``).

The default policy can be changed in the configuration's ``[reminders]`` and per plan in
``[reminders.plans.<plan-code>]``; ``policies_from_config`` reads and checks both.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from messages.i18n import _
from scheduler.workdays import WorkCalendar

DUE = "due"
ESCALATE = "escalate"


class PolicyError(ValueError):
    """A policy setting that cannot be used; ``key`` names it (``plans.<code>.before``)."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(key, reason)
        self.key = key
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}"


@dataclass(frozen=True)
class ReminderPolicy:
    before: tuple[int, ...] = (7, 3, 1)
    at: time = time(8, 0)
    on_due_day: bool = True
    after_every: int = 2
    after_max: int = 10
    escalate_after: int = 5

    def reach_before_days(self) -> int:
        """Calendar days before a due day that its first reminder can lie, at most."""
        return _calendar_days(max(self.before, default=0))

    def reach_after_days(self) -> int:
        """Calendar days after a due day that its last reminder can lie, at most."""
        return _calendar_days(max(self.after_every * self.after_max, self.escalate_after))


def _calendar_days(working_days: int) -> int:
    # Five working days a week, plus room for Tết (up to 9 days off in a row) and swaps.
    return math.ceil(working_days * 7 / 5) + 16


@dataclass(frozen=True)
class PlannedReminder:
    at: datetime
    step: str


def step_number(step: str) -> int | None:
    """The N of ``before-N`` / ``after-N``; None for ``due`` and ``escalate``."""
    _, _, number = step.partition("-")
    return int(number) if number.isdigit() else None


def planned_reminders(
    due: datetime, calendar: WorkCalendar, policy: ReminderPolicy
) -> list[PlannedReminder]:
    """The reminders of one occurrence due at ``due``, in order of time."""
    due_day = calendar.local(due).date()
    anchor = calendar.working_day_on_or_before(due_day)

    def at(day: date) -> datetime:
        return calendar.next_working_moment(calendar.at(day, policy.at))

    planned = [
        PlannedReminder(at(calendar.add_working_days(anchor, -n)), f"before-{n}")
        for n in policy.before
    ]
    if policy.on_due_day:
        planned.append(PlannedReminder(at(anchor), DUE))
    for k in range(1, policy.after_max + 1):
        day = calendar.add_working_days(due_day, k * policy.after_every)
        planned.append(PlannedReminder(at(day), f"after-{k}"))
    if policy.escalate_after > 0:
        day = calendar.add_working_days(due_day, policy.escalate_after)
        planned.append(PlannedReminder(at(day), ESCALATE))
    return sorted(planned, key=lambda p: (p.at, p.step != ESCALATE))


def planned_for(
    due: datetime,
    calendar: WorkCalendar,
    policy: ReminderPolicy,
    *,
    ongoing: bool = False,
    not_before: datetime | None = None,
) -> list[PlannedReminder]:
    """The reminders of one occurrence of a task, given what kind of duty it is.

    An ongoing duty ("Thường xuyên") is no deadline: it is asked for a short account once,
    on its report day, and never nagged or escalated.  Nothing is reminded before the plan's
    document was signed (``not_before``)."""
    if ongoing:
        policy = replace(policy, before=(), on_due_day=True, after_max=0, escalate_after=0)
    planned = planned_reminders(due, calendar, policy)
    if not_before is not None:
        planned = [p for p in planned if p.at >= not_before]
    return planned


@dataclass(frozen=True)
class PolicyBook:
    """The default policy and the plans that override it."""

    default: ReminderPolicy = field(default_factory=ReminderPolicy)
    plans: Mapping[str, ReminderPolicy] = field(default_factory=dict)

    def for_plan(self, code: str) -> ReminderPolicy:
        return self.plans.get(code, self.default)

    def all(self) -> list[ReminderPolicy]:
        return [self.default, *self.plans.values()]


POLICY_KEYS = ("before", "at", "on_due_day", "after_every", "after_max", "escalate_after")


def parse_clock_time(key: str, value: Any) -> time:
    """ "08:00" -> time(8, 0); anything else is refused with the key."""
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        hours, sep, minutes = value.strip().partition(":")
        if sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2:
            if int(hours) < 24 and int(minutes) < 60:
                return time(int(hours), int(minutes))
    reason = _('cần giờ dạng "HH:MM" (ví dụ "08:00"), không phải {value}')
    raise PolicyError(key, reason.format(value=repr(value)))


def _whole(key: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        reason = _("cần một số nguyên từ {minimum} trở lên, không phải {value}")
        raise PolicyError(key, reason.format(minimum=minimum, value=repr(value)))
    return value


def policy_with(
    base: ReminderPolicy, values: Mapping[str, Any], prefix: str = ""
) -> ReminderPolicy:
    """``base`` with the settings in ``values`` (keys of ``POLICY_KEYS``), each checked."""
    changes: dict[str, Any] = {}
    for key, value in values.items():
        dotted = f"{prefix}{key}"
        if key == "before":
            if not isinstance(value, list):
                reason = _("cần một danh sách số ngày, không phải {value}")
                raise PolicyError(dotted, reason.format(value=repr(value)))
            days = [_whole(dotted, day, 1) for day in value]
            changes["before"] = tuple(sorted(set(days), reverse=True))
        elif key == "at":
            changes["at"] = parse_clock_time(dotted, value)
        elif key == "on_due_day":
            if not isinstance(value, bool):
                reason = _("cần true hoặc false, không phải {value}")
                raise PolicyError(dotted, reason.format(value=repr(value)))
            changes["on_due_day"] = value
        elif key in ("after_every", "after_max", "escalate_after"):
            # after_max = 0 turns late reminders off; escalate_after = 0 turns escalation off.
            changes[key] = _whole(dotted, value, 1 if key == "after_every" else 0)
        else:
            raise PolicyError(dotted, _("khóa không có trong chính sách nhắc việc"))
    return replace(base, **changes)


def policies_from_config(
    defaults: Mapping[str, Any], plans: Mapping[str, Any], prefix: str = "reminders."
) -> PolicyBook:
    """The policy book of ``[reminders]`` (only its policy keys) and its per-plan tables."""
    default = policy_with(
        ReminderPolicy(), {k: v for k, v in defaults.items() if k in POLICY_KEYS}, prefix
    )
    if not isinstance(plans, Mapping):
        reason = _("cần các bảng [reminders.plans.<mã-kế-hoạch>]")
        raise PolicyError(f"{prefix}plans", reason)
    per_plan: dict[str, ReminderPolicy] = {}
    for code, values in plans.items():
        if not isinstance(values, Mapping):
            reason = _("cần một bảng các khóa của chính sách")
            raise PolicyError(f"{prefix}plans.{code}", reason)
        per_plan[code] = policy_with(default, values, f"{prefix}plans.{code}.")
    return PolicyBook(default, per_plan)
