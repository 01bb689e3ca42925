"""Time expressions that wait for an event instead of naming a date.

Real plans set some tasks off by something that happens: "khi có vụ việc" (when a case
arises), "sau khi Bộ ban hành hướng dẫn" (once the ministry issues its guidance), "trong
vòng 10 ngày kể từ khi nhận được văn bản" (within ten days of receiving the letter), or
run a window until it: "từ tháng 9/2025 đến khi hoàn thành việc sắp xếp".  A periodic report
may add an ad-hoc one: "định kỳ 6 tháng hoặc đột xuất khi có yêu cầu".  ``split_event`` finds
the event in the normalized text and leaves the rest, if any, to the ordinary phrases.  Once
someone records that the event happened, the deadline counted from it applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class EventPart:
    """The event of an expression and how the rest of it relates to that event."""

    head: str  # the text before the event ("từ tháng 9/2025"), to read as usual; may be ""
    event: str  # what is waited for, as written ("khi có vụ việc", "đột xuất khi có yêu cầu")
    days: int | None = None  # a deadline this many days after the event
    closes: bool = False  # the event ends the window the head opens ("đến khi ...")
    adhoc: bool = False  # an ad-hoc occurrence beside the head's periodic ones


_ADHOC = re.compile(
    r"^(?P<head>.+?),? (?:hoặc |và )(?P<event>(?:đột xuất )?khi có yêu cầu|đột xuất)$"
)
_DAYS = re.compile(
    r"^(?:(?:trong (?:vòng |thời hạn )?|chậm nhất(?: là)? |không quá )?)(?P<n>\d{1,3}) ngày"
    r" (?P<event>(?:kể từ|sau|sau khi)(?: khi| ngày)? .+)$"
)
_UNTIL = re.compile(r"^(?P<head>.+?),? (?P<event>(?:đến|cho đến|tới) khi .+)$")
_WHEN = re.compile(r"^(?P<event>(?:ngay )?(?:khi|sau khi|trường hợp) .+)$")


def split_event(s: str) -> EventPart | None:
    """The event of normalized text ``s`` (keywords given their accents), or None."""
    if m := _ADHOC.match(s):
        return EventPart(m["head"], m["event"], adhoc=True)
    if m := _DAYS.match(s):
        return EventPart("", m["event"], days=int(m["n"]))
    if m := _UNTIL.match(s):
        return EventPart(m["head"], m["event"], closes=True)
    if m := _WHEN.match(s):
        return EventPart("", m["event"])
    return None
