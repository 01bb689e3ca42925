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
finally combined, so "Thường xuyên trong năm 2021 (01 chuyên mục/01 tháng)" and
"hàng tháng (từ tháng 3 đến tháng 12)" need no dedicated rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from messages.i18n import _
from scheduler import _timeexpr_periods as periods

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # cached by zoneinfo: the very object periods.VN_TZ is


class Kind(StrEnum):
    DEADLINE = "deadline"  # due at one instant (trước ngày D, chậm nhất ngày D, đến ngày D)
    WINDOW = "window"  # a span of months/quarters: Quý I/2022, Tháng 3 đến tháng 4
    RECURRING = "recurring"  # one occurrence per period: hằng tháng, hằng quý, định kỳ quý...
    CONTINUOUS = "continuous"  # thường xuyên (trong năm), trong năm 2022, cả năm
    UNSCHEDULED = "unscheduled"  # Theo Kế hoạch của Sở: tracked, never reminded


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
    recurrence: str | None  # None, "monthly", "quarterly", "yearly" or "reporting"
    occurrences: tuple[OccurrenceSpec, ...]

    def to_json(self) -> dict:
        def iso(moment: datetime | None) -> str | None:
            return None if moment is None else moment.isoformat()

        return {
            "kind": self.kind.value,
            "start": iso(self.start),
            "due": iso(self.due),
            "recurrence": self.recurrence,
            "occurrences": [{"period": o.period, "due": iso(o.due)} for o in self.occurrences],
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
    "thời gian thực hiện triển khai hoàn thành chuyên mục lần bài số"
)
_UNACCENTED = {
    strip_diacritics(w): w for w in reversed(unicodedata.normalize("NFC", _VOCABULARY).split())
}
_UNACCENTED["hang"] = "hằng"  # hàng tháng and hằng tháng mean the same
_SPELLING_VARIANTS = {"kì": "kỳ", "quí": "quý", "qúy": "quý", "qúi": "quý", "hàng": "hằng"}


def _tidy(text: str) -> str:
    """Normalized text with dashes, slashes and dotted dates in one spelling each."""
    s = normalize(text)
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


# --- phrases --------------------------------------------------------------------------------


_NUM = r"(?:[ivx]+|\d{1,2})"
_LINK = r" ?(?:-|đến|và|,) ?"
_KW = (
    r"(?P<kw>trước hoặc trong|trước|chậm nhất(?: là)?|muộn nhất(?: là)?|đến hết|đến"
    r"|hạn chót(?: là)?|hạn|vào|trong)"
)
_EVERY = r"(?:hằng|mỗi)"
_ITEM = rf"(?:{_EVERY} )?quý(?! ?[ivx\d])|(?:0?6|sáu) tháng(?! (?:đầu|cuối))"
_ITEM += rf"|(?:(?:một|0?1|{_EVERY}) )?năm(?: \d{{4}})?"
_ITEM_SEP = r"(?: ?[,;/] ?(?:và )?| và | hoặc )"
_REPORT_PREFIX = r"(?:(?:định kỳ|báo cáo) )+"


def _spread(text: str, num: str, parse: Callable[[str], int]) -> tuple[set[int], set[int]]:
    """Numbers of "i và ii", "3 - 4", "6 đến 12" with ranges filled in; also any /yyyy."""
    numbers: list[int] = []
    years: set[int] = set()
    ranged = False
    for m in re.finditer(rf"(?P<y>(?<=/)\d{{4}})|(?P<n>{num})\b|(?P<r>-|đến)", text):
        if m["y"]:
            years.add(int(m["y"]))
        elif m["r"]:
            ranged = True
        else:
            n = parse(m["n"])
            if ranged and numbers:
                if n < numbers[-1]:
                    raise periods.InvalidPeriod(f"khoảng ngược ({numbers[-1]} đến {n})")
                numbers.extend(range(numbers[-1] + 1, n))
            numbers.append(n)
            ranged = False
    return set(numbers), years


def _quarters(m: re.Match[str], f: periods.Facts) -> None:
    quarters, _ = _spread(m["body"], _NUM, lambda t: periods.check_quarter(periods.numeral(t), t))
    f.quarters |= quarters
    _year(m, f)


def _months(m: re.Match[str], f: periods.Facts) -> None:
    months, years = _spread(m["body"], r"\d{1,2}", lambda t: periods.check_month(int(t)))
    f.months |= months
    f.years |= years


def _reporting(m: re.Match[str], f: periods.Facts) -> None:
    span = m.group()
    items = {word for word in ("quý", "tháng", "năm") if re.search(rf"\b{word}\b", span)}
    f.years |= {int(y) for y in re.findall(r"\d{4}", span)}
    if items == {"quý"} and re.search(_EVERY, span) and "báo cáo" not in span:
        f.recurring.add("quarterly")  # "định kỳ hằng quý" is the plain quarterly rhythm
        return
    f.reporting |= {"6 tháng" if i == "tháng" else i for i in items}


def _deadline(m: re.Match[str], f: periods.Facts) -> None:
    year = int(m["y"]) if m["y"] else None
    f.deadlines.append((int(m["d"]), int(m["m"]), year, m["kw"] == "trước"))


def _day_rule(m: re.Match[str], f: periods.Facts) -> None:
    day = int(m["d"])
    if not 1 <= day <= 31:
        raise periods.InvalidPeriod(f"không có ngày {day}")
    f.day_rule = (day, m["kw"] == "trước")


def _year(m: re.Match[str], f: periods.Facts) -> None:
    if m.groupdict().get("y"):
        f.years.add(int(m["y"]))


def _half(m: re.Match[str], f: periods.Facts) -> None:
    _year(m, f)
    f.halves.add(m["half"])


def _continuous(m: re.Match[str], f: periods.Facts) -> None:
    _year(m, f)
    f.continuous = True


def _every(m: re.Match[str], f: periods.Facts) -> None:
    f.recurring.add(_RHYTHM[m["unit"]])


def _nothing(m: re.Match[str], f: periods.Facts) -> None:
    """Column headings such as "Thời gian thực hiện:" carry no timing."""


_RHYTHM = {"tháng": "monthly", "quý": "quarterly", "năm": "yearly"}
_Handler = Callable[[re.Match[str], periods.Facts], None]
_PHRASES: list[tuple[re.Pattern[str], _Handler]] = [
    (re.compile(pattern), handler)
    for pattern, handler in [
        (
            rf"(?:từ )?quý ?(?P<body>{_NUM}(?:{_LINK}(?:quý )?{_NUM}(?!\d| ?tháng))*)\b"
            r"(?:/(?P<y>\d{4}))?",
            _quarters,
        ),
        (
            r"(?:từ )?tháng ?(?P<body>\d{1,2}(?:/\d{4})?"
            rf"(?:{_LINK}(?:tháng )?\d{{1,2}}(?!\d| ?tháng)(?:/\d{{4}})?)*)(?!\d)",
            _months,
        ),
        (r"(?:0?6|sáu) tháng (?P<half>đầu|cuối) năm(?:[ /](?P<y>\d{4}))?", _half),
        (rf"{_REPORT_PREFIX}(?:{_ITEM})(?:{_ITEM_SEP}(?:{_ITEM}))*", _reporting),
        (rf"(?:{_ITEM})(?:{_ITEM_SEP}(?:{_ITEM}))+", _reporting),
        (
            rf"(?:{_KW} )?(?:ngày ?)?(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?:/(?P<y>\d{{4}}))?"
            r"(?![\d/])",
            _deadline,
        ),
        (
            rf"(?:{_KW} )?ngày (?P<d>\d{{1,2}}) tháng (?P<m>\d{{1,2}})"
            r"(?:,? năm (?P<y>\d{4}))?",
            _deadline,
        ),
        (rf"(?:{_KW} )?ngày (?P<d>\d{{1,2}})(?![\d/])(?! tháng ?\d)", _day_rule),
        (r"thường xuyên|liên tục|quanh năm", _continuous),
        (r"(?:trong (?:cả |suốt )?|cả |suốt )năm(?: (?P<y>\d{4}))?", _continuous),
        (r"năm (?P<y>\d{4})", _year),
        (rf"(?:định kỳ )?{_EVERY} (?P<unit>tháng|quý|năm)", _every),
        # A quota such as "01 chuyên mục/01 tháng" or "1 tin/tháng" sets the rhythm.
        (
            r"(?:\d{1,3}|một) (?!(?:tháng|quý|năm|ngày)\b)[^\W\d_]+(?:,? [^\W\d_]+)*"
            r"/(?:(?:0?1|một) )?(?P<unit>tháng|quý|năm)\b",
            _every,
        ),
        (r"thời gian(?: (?:thực hiện|triển khai|hoàn thành))?", _nothing),
    ]
]
_SEPARATORS = re.compile(r"(?:[\s,;:()\[\]\-+•*.]|\bvà\b|\bhoặc\b)+")
_UNSCHEDULED = re.compile(
    r"(?:theo (?:kế hoạch|chỉ đạo|yêu cầu|hướng dẫn|đề nghị)"
    r"|khi có (?:yêu cầu|chỉ đạo|hướng dẫn|kế hoạch|văn bản)|đột xuất)\b"
)


# --- reading -------------------------------------------------------------------------------


def _ends_cleanly(s: str, end: int) -> bool:
    # A phrase must not stop inside a word or number ("quý ii" is not "quý i" + "i").
    return end == len(s) or not (s[end - 1].isalnum() and s[end].isalnum())


def _read(s: str, tidy: str) -> periods.Facts:
    """Consume the text phrase by phrase, taking the longest phrase at each position."""
    facts = periods.Facts()
    pos = 0
    read_some = False
    while True:
        if sep := _SEPARATORS.match(s, pos):
            pos = sep.end()
        if pos >= len(s):
            return facts
        best: tuple[re.Match[str], _Handler] | None = None
        for pattern, handler in _PHRASES:
            m = pattern.match(s, pos)
            if m and _ends_cleanly(s, m.end()) and (best is None or m.end() > best[0].end()):
                best = (m, handler)
        if best is None:
            # Quoting the unread rest helps only when some of the text was understood.
            raise periods.InvalidPeriod(f'không hiểu "{tidy[pos:]}"' if read_some else "")
        best[1](best[0], facts)
        pos = best[0].end()
        read_some = True


def parse_when(text: str, year: int, *, report_day: int = 15) -> Schedule:
    """Read one time expression of a plan whose year is `year`.

    `year` fills in whatever the text leaves out ("Quý I", "trước 15/01"); `report_day` is the
    day of the closing month on which periodic reports (ND 09/2019) are due.
    """
    if not 1 <= report_day <= 31:
        raise ValueError(f"report_day must be a day of the month, got {report_day}")
    tidy = _tidy(text)
    s = _keywords(tidy)
    if not s:
        raise TimeExpressionError(text, "không có nội dung")
    if _UNSCHEDULED.match(s):
        # Timing is set by someone else's plan: keep the task, attach reports to the year.
        occurrence = OccurrenceSpec(f"Năm {year}", None, None)
        return Schedule(Kind.UNSCHEDULED, None, None, None, (occurrence,))
    try:
        kind, spans, recurrence = periods.assemble(_read(s, tidy), year, report_day)
    except periods.InvalidPeriod as err:
        raise TimeExpressionError(text, str(err)) from None
    return Schedule(
        kind=Kind(kind),
        start=min(p.start for p in spans),
        due=max(p.due for p in spans),
        recurrence=recurrence,
        occurrences=tuple(OccurrenceSpec(p.label, p.start, p.due) for p in spans),
    )
