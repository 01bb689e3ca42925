"""Read the "Thời gian thực hiện" column of Vietnamese government plans into schedules.

Plans for administrative-reform propaganda (Kế hoạch tuyên truyền cải cách hành chính) give
each task a free-text time such as "Quý I và II/2022", "Thường xuyên trong năm",
"trước ngày 15/01/2022" or "Định kỳ quý, 06 tháng, năm".  ``parse_when`` turns that text into
a ``Schedule``: what kind of timing it is and the dated occurrences the bot reminds people
about.  Anything it cannot read raises ``TimeExpressionError`` instead of guessing, because a
wrong guess would send officials reminders for deadlines that do not exist.

How it reads: the text is normalized (NFC, lower case, words typed without diacritics mapped
back to the accented keyword), then consumed left to right by a small set of phrase patterns.
Each phrase records facts (a year, some quarters, "monthly", a deadline...) and the facts are
finally combined (``scheduler._timeexpr_assemble``), so "Thường xuyên trong năm 2021 (01
chuyên mục/01 tháng)" and "hàng tháng (từ tháng 3 đến tháng 12)" need no dedicated rule.  A plan
may span years and has the date its document was signed: rhythms recur over every year of the
period, and nothing falls due before that date.  Tasks set off by an event ("khi có vụ việc")
are read by ``scheduler._timeexpr_events``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from messages.i18n import _
from scheduler import _timeexpr_periods as periods
from scheduler._timeexpr_assemble import Facts, assemble
from scheduler._timeexpr_events import split_event
from scheduler._timeexpr_phrases import PHRASES, SEPARATORS, UNSCHEDULED, Handler
from storage.timezone import VN_TZ

WAITING = "Chờ sự kiện"  # the period of a task whose event has not happened yet

__all__ = ["VN_TZ", "Kind", "OccurrenceSpec", "Schedule", "TimeExpressionError", "parse_when"]


class Kind(StrEnum):
    DEADLINE = "deadline"  # due at one instant (trước ngày D, chậm nhất ngày D, đến ngày D)
    WINDOW = "window"  # a span of months/quarters: Quý I/2022, Tháng 3 đến tháng 4
    RECURRING = "recurring"  # one occurrence per period: hằng tháng, hằng quý, định kỳ quý...
    CONTINUOUS = "continuous"  # thường xuyên, liên tục: an ongoing duty, never overdue
    UNSCHEDULED = "unscheduled"  # Theo Kế hoạch của Sở: tracked, never reminded
    EVENT = "event"  # khi có vụ việc, sau khi Bộ ban hành hướng dẫn: waits for its event


@dataclass(frozen=True)
class OccurrenceSpec:
    period: str  # canonical Vietnamese label, e.g. "Tháng 2/2024", "Quý I–II/2022"
    start: datetime | None  # aware, VN_TZ, start of the period (00:00)
    due: datetime | None  # aware, VN_TZ; None only for UNSCHEDULED


@dataclass(frozen=True)
class Schedule:
    kind: Kind
    start: datetime | None
    due: datetime | None  # last due instant (for recurring: the last occurrence's due)
    recurrence: str | None  # None, "weekly", "monthly", "quarterly", "yearly" or "reporting"
    occurrences: tuple[OccurrenceSpec, ...]
    # What the task waits for ("khi có vụ việc"), for EVENT and for an ad-hoc report beside a
    # periodic one; None for the others.
    event: str | None = None
    event_days: int | None = None  # due this many days after the event happened
    event_closes: bool = False  # the event ends the open window of the only occurrence

    def to_json(self) -> dict:
        def iso(moment: datetime | None) -> str | None:
            return None if moment is None else moment.isoformat()

        return {
            "kind": self.kind.value,
            "start": iso(self.start),
            "due": iso(self.due),
            "recurrence": self.recurrence,
            "occurrences": [{"period": o.period, "due": iso(o.due)} for o in self.occurrences],
            "event": self.event,
            "event_days": self.event_days,
        }


class TimeExpressionError(ValueError):
    """Raised for an expression the parser cannot read; str(err) quotes the text."""

    def __init__(self, text: str, reason: str = "") -> None:
        super().__init__(text, reason)  # both args, so the error survives pickling
        self.text = text
        self.reason = reason

    def __str__(self) -> str:
        message = _('Không đọc được mốc thời gian "{text}"').format(text=self.text)
        return f"{message} — {self.reason}" if self.reason else message


# --- normalization --------------------------------------------------------------------------


def normalize(text: str) -> str:
    """NFC, lower case, diacritics kept, whitespace (incl. non-breaking) collapsed to one space."""
    text = unicodedata.normalize("NFC", text).replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.lower().split())


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics for matching: "Định kỳ quý" -> "Dinh ky quy"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Words a time expression may contain.  A word typed without any diacritic is read as the
# keyword it folds to; a word that carries diacritics must match exactly.  Folding only the
# unaccented words keeps e.g. "nắm" or "quỷ" from passing for "năm" or "quý".  "sáu" is left
# out on purpose: unaccented "sau" usually means "after", not "six".
_VOCABULARY = (
    "quý tháng năm ngày từ đến hết và hoặc trước chậm muộn nhất là hạn chót vào trong "
    "thường xuyên liên tục cả suốt quanh hằng mỗi định kỳ báo cáo một đầu cuối "
    "theo kế hoạch của chỉ đạo yêu cầu hướng dẫn đề nghị khi có văn bản đột xuất "
    "thời gian thực hiện triển khai hoàn thành chuyên mục lần bài số giai đoạn tuần "
    "vòng kể"
)
_UNACCENTED = {
    strip_diacritics(w): w for w in reversed(unicodedata.normalize("NFC", _VOCABULARY).split())
}
_UNACCENTED["hang"] = "hằng"  # hàng tháng and hằng tháng mean the same
_SPELLING_VARIANTS = {
    "kì": "kỳ",
    "quí": "quý",
    "qúy": "quý",
    "qúi": "quý",
    "hàng": "hằng",
}


def _tidy(text: str) -> str:
    """Normalized text with dashes, slashes and dotted dates in one spelling each."""
    s = re.sub(r"<[^>]*>|\*+|_{2,}|`+", " ", text)  # markup left in a cell: **bold**, <b>
    s = normalize(s)
    s = re.sub(r"\b(?:ngày )?(?:mùng|mồng) (?=\d)", "ngày ", s)  # "ngày mùng 5": the 5th
    s = re.sub(r"[‐‑‒–—−]", "-", s)
    s = re.sub(r"\s*/\s*", "/", s)
    s = re.sub(r"\b(\d{1,2})[.-](\d{1,2})[.-](\d{4})\b", r"\1/\2/\3", s)  # 15.01.2022
    return s.strip(" .;,:/-")


def _keywords(tidy: str) -> str:
    """Unaccented keywords given their accents.  Keeps every position of `tidy` in place
    (one code point per letter either way), so errors can quote the text as typed."""

    def keyword(m: re.Match[str]) -> str:
        word = m.group()
        word = _UNACCENTED.get(word, word) if word.isascii() else word
        return _SPELLING_VARIANTS.get(word, word)

    return re.sub(r"[^\W\d_]+", keyword, tidy)


# --- reading -------------------------------------------------------------------------------


def _ends_cleanly(s: str, end: int) -> bool:
    # A phrase must not stop inside a word or number ("quý ii" is not "quý i" + "i").
    return end == len(s) or not (s[end - 1].isalnum() and s[end].isalnum())


def _read(s: str, tidy: str) -> Facts:
    """Consume the text phrase by phrase, taking the longest phrase at each position."""
    facts = Facts()
    pos = 0
    while True:
        if sep := SEPARATORS.match(s, pos):
            pos = sep.end()
        if pos >= len(s):
            return facts
        best: tuple[re.Match[str], Handler] | None = None
        for pattern, handler in PHRASES:
            m = pattern.match(s, pos)
            if m and _ends_cleanly(s, m.end()) and (best is None or m.end() > best[0].end()):
                best = (m, handler)
        if best is None:
            raise periods.InvalidPeriod(_('không hiểu "{part}"').format(part=tidy[pos:]))
        best[1](best[0], facts)
        pos = best[0].end()


def _schedule(kind: str, spans: list[periods.Period], recurrence: str | None) -> Schedule:
    return Schedule(
        kind=Kind(kind),
        start=min(p.start for p in spans),
        due=max(p.due for p in spans),
        recurrence=recurrence,
        occurrences=tuple(OccurrenceSpec(p.label, p.start, p.due) for p in spans),
    )


def _from_issue(spans: list[periods.Period], issued: date) -> list[periods.Period]:
    """Nothing falls due before the plan is signed: periods that ended before that day are
    dropped from a rhythm, and the others start no earlier than it."""
    opening = periods.start_of(issued)
    kept = [p for p in spans if p.due >= opening] if len(spans) > 1 else spans
    if not kept:
        raise periods.InvalidPeriod(_("mọi kỳ đều trước ngày ban hành kế hoạch"))
    return [p._replace(start=max(p.start, opening)) if p.due >= opening else p for p in kept]


def _read_event(
    s: str, tidy: str, year: int, until: int | None, report_day: int
) -> Schedule | None:
    part = split_event(s)
    if part is None:
        return None
    waiting = OccurrenceSpec(WAITING, None, None)
    event = tidy[len(s) - len(part.event) :]  # as typed: "ban hành" is not "bản hành"
    if not part.head:
        return Schedule(Kind.EVENT, None, None, None, (waiting,), event, part.days)
    kind, spans, recurrence = assemble(_read(part.head, tidy), year, report_day, until)
    if part.adhoc:  # a periodic report, plus one whenever it is asked for
        return replace(_schedule(kind, spans, recurrence), event=event)
    if len(spans) != 1:
        raise periods.InvalidPeriod(_("khoảng mở đến khi có sự kiện chỉ có một kỳ"))
    opens = spans[0].start
    label = f"Từ {opens:%d/%m/%Y}"  # labels are stored, in Vietnamese like "Năm 2025"
    occurrence = OccurrenceSpec(label, opens, None)
    return Schedule(Kind.EVENT, opens, None, None, (occurrence,), event, None, True)


def parse_when(
    text: str,
    year: int,
    *,
    report_day: int = 15,
    until: int | None = None,
    issued: date | None = None,
) -> Schedule:
    """Read one time expression of a plan whose (first) year is `year`.

    `year` fills in whatever the text leaves out ("Quý I", "trước 15/01"); `until` is the
    last year of a plan that spans years, over which rhythms recur; `issued` the day the
    plan was signed, before which nothing falls due; `report_day` the day of the closing
    month on which periodic reports (ND 09/2019) are due.
    """
    if not 1 <= report_day <= 31:
        raise ValueError(f"report_day must be a day of the month, got {report_day}")
    tidy = _tidy(text)
    s = _keywords(tidy)
    if not s:
        raise TimeExpressionError(text, _("không có nội dung"))
    if UNSCHEDULED.match(s):
        # Timing is set by someone else's plan: keep the task, attach reports to the year.
        occurrence = OccurrenceSpec(f"Năm {year}", None, None)
        return Schedule(Kind.UNSCHEDULED, None, None, None, (occurrence,))
    try:
        waiting = _read_event(s, tidy, year, until, report_day)
        if waiting is not None:
            return waiting
        kind, spans, recurrence = assemble(_read(s, tidy), year, report_day, until)
        if issued is not None:
            spans = _from_issue(spans, issued)
    except periods.InvalidPeriod as err:
        raise TimeExpressionError(text, str(err)) from None
    return _schedule(kind, spans, recurrence)
