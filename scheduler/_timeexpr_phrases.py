"""The phrases of a time expression, each a pattern and what it records in ``Facts``.

``scheduler.timeexpr`` reads an expression by taking, at each position, the longest phrase
of ``PHRASES`` that matches; the handler of that phrase records what it says (some
quarters, a deadline, "monthly"...).  One row per form: a new form of the documents is a
new row here, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from messages.i18n import _
from scheduler import _timeexpr_periods as periods
from scheduler._timeexpr_assemble import Facts

_NUM = r"(?:[ivx]+|\d{1,2})"
_LINK = r" ?(?:-|đến|và|,) ?"
_KW = (
    r"(?P<kw>trước hoặc trong|trước|chậm nhất(?: là)?|muộn nhất(?: là)?|đến hết|đến"
    r"|hạn chót(?: là)?|hạn|vào|trong|từ)"
)
_EVERY = r"(?:hằng|mỗi)"
_ITEM = rf"(?:{_EVERY} )?quý(?! ?[ivx\d])|(?:0?6|sáu) tháng(?! (?:đầu|cuối))"
_ITEM += rf"|(?:(?:một|0?1|{_EVERY}) )?năm(?: \d{{4}})?"
_ITEM_SEP = r"(?: ?[,;/] ?(?:và )?| và | hoặc )"
_REPORT_PREFIX = r"(?:(?:định kỳ|báo cáo) )+"
_IN = r"(?:(?:từ|trong|vào) )?"
_WEEKDAYS = {
    "hai": 0, "2": 0, "ba": 1, "3": 1, "tư": 2, "4": 2, "năm": 3, "5": 3,
    "sáu": 4, "6": 4, "bảy": 5, "7": 5,
}  # fmt: skip


def _spread(text: str, num: str, parse: Callable[[str], int]) -> tuple[list[int], set[int]]:
    """Numbers of "i và ii", "3 - 4", "6 đến 12" with ranges filled in; also any /yyyy."""
    numbers: list[int] = []
    years: set[int] = set()
    ranged = False
    for m in re.finditer(rf"(?P<y>(?<=[/-])\d{{4}})|(?P<n>{num})\b|(?P<r>-|đến)", text):
        if m["y"]:
            years.add(int(m["y"]))
        elif m["r"]:
            ranged = True
        else:
            n = parse(m["n"])
            if ranged and numbers:
                if n < numbers[-1]:
                    message = _("khoảng ngược ({first} đến {last})")
                    raise periods.InvalidPeriod(message.format(first=numbers[-1], last=n))
                numbers.extend(range(numbers[-1] + 1, n))
            numbers.append(n)
            ranged = False
    return numbers, years


def _quarters(m: re.Match[str], f: Facts) -> None:
    quarters, _y = _spread(m["body"], _NUM, lambda t: periods.check_quarter(periods.numeral(t), t))
    f.quarters |= set(quarters)
    if m["part"]:
        f.quarter_part = m["part"]
    _year(m, f)


def _months(m: re.Match[str], f: Facts) -> None:
    pairs = re.findall(r"(\d{1,2})(?:/(\d{4}))?", m["body"])
    years = [int(y) for _m, y in pairs if y]
    if len(pairs) == 2 and years and len(set(years)) + (len(years) == 1) > 1:
        # "tháng 11/2025 - tháng 2/2026": one window across the year end.
        (m1, y1), (m2, y2) = [(periods.check_month(int(n)), int(y) if y else 0) for n, y in pairs]
        last_year = y2 or y1
        first_year = y1 or (last_year if m1 <= m2 else last_year - 1)
        if (first_year, m1) > (last_year, m2):
            raise periods.InvalidPeriod(
                _("khoảng ngược ({first} đến {last})").format(
                    first=f"{m1}/{first_year}", last=f"{m2}/{last_year}"
                )
            )
        f.month_span = ((m1, first_year), (m2, last_year))
        return
    months, found = _spread(m["body"], r"\d{1,2}", lambda t: periods.check_month(int(t)))
    f.months |= set(months)
    f.years |= found


def _reporting(m: re.Match[str], f: Facts) -> None:
    span = m.group()
    items = {word for word in ("quý", "tháng", "năm") if re.search(rf"\b{word}\b", span)}
    f.years |= {int(y) for y in re.findall(r"\d{4}", span)}
    if items == {"quý"} and re.search(_EVERY, span) and "báo cáo" not in span:
        f.recurring.add("quarterly")  # "định kỳ hằng quý" is the plain quarterly rhythm
        return
    f.reporting |= {"6 tháng" if i == "tháng" else i for i in items}


def _deadline(m: re.Match[str], f: Facts) -> None:
    year = int(m["y"]) if m["y"] else None
    before = m["kw"] == "trước"
    if m["kw"] is None and f.deadlines and not f.deadlines[-1][4]:
        before = f.deadlines[-1][3]  # "trước ngày 10/6 và 10/12": both are "trước"
    f.deadlines.append((int(m["d"]), int(m["m"]), year, before, m["kw"] == "từ"))


def _day_rule(m: re.Match[str], f: Facts) -> None:
    day = int(m["d"])
    if not 1 <= day <= 31:
        raise periods.InvalidPeriod(_("không có ngày {day}").format(day=day))
    f.day_rule = (day, m["kw"] == "trước")
    if m.groupdict().get("part"):  # "trước ngày 20 của tháng cuối quý"
        f.quarter_part = m["part"]


def _year(m: re.Match[str], f: Facts) -> None:
    if m.groupdict().get("y"):
        f.years.add(int(m["y"]))


def _span(m: re.Match[str], f: Facts) -> None:
    first, last = int(m["a"]), int(m["b"])
    if first > last:
        message = _("khoảng ngược ({first} đến {last})")
        raise periods.InvalidPeriod(message.format(first=first, last=last))
    f.span = (first, last)


def _half(m: re.Match[str], f: Facts) -> None:
    _year(m, f)
    f.halves.add(m["half"])


def _continuous(m: re.Match[str], f: Facts) -> None:
    _year(m, f)
    f.continuous = True


def _whole_year(m: re.Match[str], f: Facts) -> None:
    _year(m, f)
    f.whole_year = True


def _end_of_year(m: re.Match[str], f: Facts) -> None:
    _year(m, f)
    f.end_of_year = True


def _quarter_part(m: re.Match[str], f: Facts) -> None:
    f.quarter_part = m["part"]


def _weekly(m: re.Match[str], f: Facts) -> None:
    """A weekday: a weekly rhythm on that day ("thứ Sáu hằng tuần")."""
    f.weekday = 6 if m["day2"] else _WEEKDAYS[m["day"]]
    f.recurring.add("weekly")


def _count(m: re.Match[str], f: Facts) -> None:
    f.count = 1 if m["n"] == "một" else int(m["n"])
    f.recurring.add(_RHYTHM[m["unit"]] if m["unit"] != "năm" else "yearly")


def _every(m: re.Match[str], f: Facts) -> None:
    f.recurring.add(_RHYTHM[m["unit"]])


def _nothing(m: re.Match[str], f: Facts) -> None:
    """Column headings such as "Thời gian thực hiện:" carry no timing."""


_RHYTHM = {"tháng": "monthly", "quý": "quarterly", "năm": "yearly", "tuần": "weekly"}
Handler = Callable[[re.Match[str], Facts], None]
PHRASES: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(pattern), handler)
    for pattern, handler in [
        (
            rf"{_IN}(?:(?P<part>đầu|cuối) )?quý ?(?P<body>{_NUM}(?:{_LINK}(?:quý )?{_NUM}"
            r"(?!\d| ?tháng))*)\b(?:[/-](?P<y>\d{4}))?",
            _quarters,
        ),
        (
            rf"{_IN}tháng ?(?P<body>\d{{1,2}}(?:/\d{{4}})?"
            rf"(?:{_LINK}(?:tháng )?\d{{1,2}}(?!\d| ?tháng)(?:/\d{{4}})?)*)(?!\d)",
            _months,
        ),
        (r"(?:trong )?(?:0?6|sáu) tháng (?P<half>đầu|cuối) năm(?:[ /-](?P<y>\d{4}))?", _half),
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
        (
            rf"(?:{_KW} )?ngày (?P<d>\d{{1,2}}) (?:của )?tháng (?P<part>đầu|cuối)"
            rf" (?:(?:của |mỗi |hằng )?quý)",
            _day_rule,
        ),
        (
            r"(?:vào |trong )?(?P<part>đầu|cuối) (?:mỗi |hằng |các )?quý(?! ?[ivx\d])",
            _quarter_part,
        ),
        (r"thường xuyên|liên tục|quanh năm", _continuous),
        (r"(?:trong (?:cả |suốt )?|cả |suốt )năm(?: (?P<y>\d{4}))?", _whole_year),
        (r"(?:vào |trong )?cuối năm(?: (?P<y>\d{4}))?", _end_of_year),
        (
            r"(?:trong )?(?:giai đoạn |từ )?(?:năm )?(?P<a>\d{4}) ?(?:-|đến(?: hết)?)"
            r" ?(?:năm )?(?P<b>\d{4})",
            _span,
        ),
        (r"(?:năm )?(?P<y>\d{4})", _year),
        (rf"(?:định kỳ )?{_EVERY} (?P<unit>tháng|quý|năm|tuần)", _every),
        (
            rf"(?:vào )?(?:ngày )?(?:thứ (?P<day>hai|ba|tư|năm|sáu|bảy|[2-7])|(?P<day2>chủ nhật))"
            rf" (?:{_EVERY}|các) tuần",
            _weekly,
        ),
        # "ít nhất 02 lần/năm", "2 lần/năm", "01 lần một năm"
        (
            r"(?:ít nhất |tối thiểu )?(?P<n>\d{1,2}|một) lần ?(?:/|trong|mỗi|một|1) ?"
            r"(?:01 |1 |một )?(?P<unit>năm)",
            _count,
        ),
        # A quota such as "01 chuyên mục/01 tháng" or "1 tin/tháng" sets the rhythm.
        (
            r"(?:\d{1,3}|một) (?!(?:tháng|quý|năm|ngày|lần)\b)[^\W\d_]+(?:,? [^\W\d_]+)*"
            r"/(?:(?:0?1|một) )?(?P<unit>tháng|quý|năm)\b",
            _every,
        ),
        (r"thời gian(?: (?:thực hiện|triển khai|hoàn thành))?", _nothing),
    ]
]
SEPARATORS = re.compile(r"(?:[\s,;:()\[\]\-+•*.]|\bvà\b|\bhoặc\b)+")
UNSCHEDULED = re.compile(r"(?:theo (?:kế hoạch|chỉ đạo|yêu cầu|hướng dẫn|đề nghị)|đột xuất)\b")
