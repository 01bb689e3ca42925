"""The time forms of real plans issued in 2025 (issue 11): plans that span years, the issue
date, tasks set off by an event, report duties with their own dates, and the spellings that
tables of real documents carry (Quí, "Quý II-2026", mùng, đến hết, bold, a full stop).

Each row is (text as the document writes it, the plan's first and last year, then the
occurrences as "label: start → due" in local days).  Several spellings of a form each get
their own row; nothing is guessed, so a form not listed here is refused.
"""

from __future__ import annotations

from datetime import date

import pytest

from scheduler.timeexpr import Kind, TimeExpressionError, parse_when


def seen(text: str, year: int = 2025, until: int | None = None, **kw) -> list[str]:
    schedule = parse_when(text, year, until=until, **kw)
    return [
        f"{o.period}: {o.start:%d/%m/%Y} → {o.due:%d/%m/%Y}"
        if o.start and o.due
        else f"{o.period}: {o.start and f'{o.start:%d/%m/%Y}'} → {o.due}"
        for o in schedule.occurrences
    ]


def row(text: str, expected: list[str], year: int = 2025, until: int | None = None):
    return pytest.param(text, year, until, expected, id=text)


YEARS = [
    row("2026", ["Năm 2026: 01/01/2026 → 31/12/2026"]),
    row("Năm 2026", ["Năm 2026: 01/01/2026 → 31/12/2026"]),
    row("2025 - 2027", ["Năm 2025–2027: 01/01/2025 → 31/12/2027"]),
    row("2025-2027", ["Năm 2025–2027: 01/01/2025 → 31/12/2027"]),
    row("giai đoạn 2021-2025", ["Năm 2021–2025: 01/01/2021 → 31/12/2025"]),
    row("Giai đoạn 2021 – 2025", ["Năm 2021–2025: 01/01/2021 → 31/12/2025"]),
    row("Năm 2026-2028", ["Năm 2026–2028: 01/01/2026 → 31/12/2028"]),
    row("từ năm 2026 đến năm 2028", ["Năm 2026–2028: 01/01/2026 → 31/12/2028"]),
]

RANGES = [
    row("từ ngày 10/5 đến ngày 20/6/2025", ["10/05–20/06/2025: 10/05/2025 → 20/06/2025"]),
    row("Từ ngày 10/5/2025 đến ngày 20/6/2025", ["10/05–20/06/2025: 10/05/2025 → 20/06/2025"]),
    row("từ 01/3 đến hết 30/4", ["01/03–30/04/2025: 01/03/2025 → 30/04/2025"]),
    row("Từ 01/3 - 30/4/2025", ["01/03–30/04/2025: 01/03/2025 → 30/04/2025"]),
    row("từ 15/12/2025 đến 15/01/2026", ["15/12–15/01/2026: 15/12/2025 → 15/01/2026"]),
    row("tháng 11/2025 - tháng 2/2026", ["Tháng 11/2025–2/2026: 01/11/2025 → 28/02/2026"]),
    row("Tháng 11 - tháng 2/2026", ["Tháng 11/2025–2/2026: 01/11/2025 → 28/02/2026"]),
    row("từ tháng 11/2025 đến tháng 02/2026", ["Tháng 11/2025–2/2026: 01/11/2025 → 28/02/2026"]),
]

WITHIN = [
    row("trong tháng 9", ["Tháng 9/2025: 01/09/2025 → 30/09/2025"]),
    row("Trong tháng 9/2025", ["Tháng 9/2025: 01/09/2025 → 30/09/2025"]),
    row("Trong quý III", ["Quý III/2025: 01/07/2025 → 30/09/2025"]),
    row("trong Quí III/2025", ["Quý III/2025: 01/07/2025 → 30/09/2025"]),
    row("trong 6 tháng cuối năm", ["6 tháng cuối năm 2025: 01/07/2025 → 31/12/2025"]),
    row("Trong 06 tháng cuối năm 2025", ["6 tháng cuối năm 2025: 01/07/2025 → 31/12/2025"]),
    row("cuối năm", ["Cuối năm 2025: 01/12/2025 → 31/12/2025"]),
    row("Cuối năm 2026", ["Cuối năm 2026: 01/12/2026 → 31/12/2026"]),
    row("vào cuối năm", ["Cuối năm 2025: 01/12/2025 → 31/12/2025"]),
    row("Đầu quý III", ["Đầu quý III/2025: 01/07/2025 → 31/07/2025"]),
    row("cuối quý IV/2025", ["Cuối quý IV/2025: 01/12/2025 → 31/12/2025"]),
]

SPELLINGS = [
    row("Quý II-2026", ["Quý II/2026: 01/04/2026 → 30/06/2026"]),
    row("Quý II - 2026", ["Quý II/2026: 01/04/2026 → 30/06/2026"]),
    row("Quí II/2026", ["Quý II/2026: 01/04/2026 → 30/06/2026"]),
    row("QUÍ II/2026.", ["Quý II/2026: 01/04/2026 → 30/06/2026"]),
    row("**Quý II/2026**", ["Quý II/2026: 01/04/2026 → 30/06/2026"]),
    row("<b>Quý II/2026</b>", ["Quý II/2026: 01/04/2026 → 30/06/2026"]),
    row("Tháng 6/2025.", ["Tháng 6/2025: 01/06/2025 → 30/06/2025"]),
    row("đến hết ngày 30/6/2025", ["Hạn 30/06/2025: 01/01/2025 → 30/06/2025"]),
    row("Đến hết 30/6", ["Hạn 30/06/2025: 01/01/2025 → 30/06/2025"]),
]

QUARTER = [f"{a}: {b}" for a, b in []]


def quarters(year: int, first_month_only: bool = False) -> list[str]:
    ends = {1: "31/03", 2: "30/06", 3: "30/09", 4: "31/12"}
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
    return [f"Quý {roman[q]}/{year}: 01/{3 * q - 2:02d}/{year} → {ends[q]}/{year}" for q in ends]


def last_month_of_quarter(year: int, day: int) -> list[str]:
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
    return [
        f"Cuối quý {roman[q]}/{year}: 01/{3 * q:02d}/{year} → {day:02d}/{3 * q:02d}/{year}"
        for q in roman
    ]


REPORTS = [
    row("trước ngày 20 của tháng cuối quý", last_month_of_quarter(2025, 19)),
    row("Trước ngày 20 tháng cuối quý", last_month_of_quarter(2025, 19)),
    row("ngày 20 của tháng cuối mỗi quý", last_month_of_quarter(2025, 20)),
    row("báo cáo định kỳ 6 tháng", [
        "6 tháng đầu năm 2025: 01/01/2025 → 15/06/2025",
        "6 tháng cuối năm 2025: 01/07/2025 → 15/12/2025",
    ]),
    row("Định kỳ 06 tháng", [
        "6 tháng đầu năm 2025: 01/01/2025 → 15/06/2025",
        "6 tháng cuối năm 2025: 01/07/2025 → 15/12/2025",
    ]),
    row("trước ngày 10/6 và 10/12 hằng năm", [
        "Hạn 09/06/2025: 01/01/2025 → 09/06/2025",
        "Hạn 09/12/2025: 01/01/2025 → 09/12/2025",
        "Hạn 09/06/2026: 01/01/2026 → 09/06/2026",
        "Hạn 09/12/2026: 01/01/2026 → 09/12/2026",
    ], until=2026),
    row("Trước ngày 10/6 và ngày 10/12 hàng năm", [
        "Hạn 09/06/2025: 01/01/2025 → 09/06/2025",
        "Hạn 09/12/2025: 01/01/2025 → 09/12/2025",
    ]),
    row("trước 10/6 và 10/12 hằng năm", [
        "Hạn 09/06/2025: 01/01/2025 → 09/06/2025",
        "Hạn 09/12/2025: 01/01/2025 → 09/12/2025",
    ]),
    row("tháng 6 hàng năm.", [
        "Tháng 6/2025: 01/06/2025 → 30/06/2025",
    ]),
    row("Ít nhất 2 lần/năm", [
        "Lần 1/2025: 01/01/2025 → 30/06/2025",
        "Lần 2/2025: 01/07/2025 → 31/12/2025",
    ]),
    row("Tháng 6 hằng năm", [
        "Tháng 6/2025: 01/06/2025 → 30/06/2025",
        "Tháng 6/2026: 01/06/2026 → 30/06/2026",
    ], until=2026),
    row("Tháng 12 hàng năm", [
        "Tháng 12/2025: 01/12/2025 → 31/12/2025",
        "Tháng 12/2026: 01/12/2026 → 31/12/2026",
    ], until=2026),
    row("ít nhất 02 lần/năm", [
        "Lần 1/2025: 01/01/2025 → 30/06/2025",
        "Lần 2/2025: 01/07/2025 → 31/12/2025",
    ]),
    row("Tối thiểu 2 lần/năm", [
        "Lần 1/2025: 01/01/2025 → 30/06/2025",
        "Lần 2/2025: 01/07/2025 → 31/12/2025",
    ]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "year", "until", "expected"), YEARS + RANGES + WITHIN)
def test_years_ranges_and_windows(text, year, until, expected):
    assert seen(text, year, until) == expected


@pytest.mark.parametrize(("text", "year", "until", "expected"), SPELLINGS + REPORTS)
def test_spellings_and_report_duties(text, year, until, expected):
    assert seen(text, year, until) == expected


@pytest.mark.parametrize(
    "text",
    ["trước ngày 5 hằng tháng", "trước mùng 5 hằng tháng", "Trước ngày mùng 5 hàng tháng"],
)
def test_a_day_each_month(text):
    got = seen(text)
    assert len(got) == 12
    assert got[0] == "Tháng 1/2025: 01/01/2025 → 04/01/2025"
    assert got[-1] == "Tháng 12/2025: 01/12/2025 → 04/12/2025"


@pytest.mark.parametrize("text", ["thứ Sáu hằng tuần", "Thứ 6 hàng tuần", "vào thứ Sáu hằng tuần"])
def test_each_week(text):
    schedule = parse_when(text, 2025)
    assert schedule.recurrence == "weekly"
    got = seen(text)
    assert len(got) == 52
    assert got[:2] == [
        "Thứ Sáu 03/01/2025: 01/01/2025 → 03/01/2025",
        "Thứ Sáu 10/01/2025: 04/01/2025 → 10/01/2025",
    ]


# --- plans that span years ------------------------------------------------------------------

MULTI_YEAR = [
    ("Thường xuyên", Kind.CONTINUOUS, [f"Năm {y}" for y in range(2025, 2031)]),
    ("Hằng năm", Kind.RECURRING, [f"Năm {y}" for y in range(2025, 2031)]),
    ("định kỳ hằng quý", Kind.RECURRING, [p.split(":")[0] for y in range(2025, 2031)
                                        for p in quarters(y)]),
    ("Tháng 12 hằng năm", Kind.RECURRING, [f"Tháng 12/{y}" for y in range(2025, 2031)]),
    ("Quý II/2027", Kind.WINDOW, ["Quý II/2027"]),
    ("Quý II", Kind.WINDOW, ["Quý II/2025"]),
    ("Thường xuyên trong năm 2026", Kind.CONTINUOUS, ["Năm 2026"]),
    ("hằng năm giai đoạn 2026-2028", Kind.RECURRING, ["Năm 2026", "Năm 2027", "Năm 2028"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "periods"), MULTI_YEAR, ids=[r[0] for r in MULTI_YEAR])
def test_rhythms_recur_over_the_whole_period(text, kind, periods):
    schedule = parse_when(text, 2025, until=2030)
    assert schedule.kind is kind
    assert [o.period for o in schedule.occurrences] == periods


def test_nothing_falls_due_before_the_issue_date():
    # A quarterly duty of a plan signed on 14/11/2025 starts with the fourth quarter.
    schedule = parse_when("định kỳ hằng quý", 2025, until=2026, issued=date(2025, 11, 14))
    assert [o.period for o in schedule.occurrences][:2] == ["Quý IV/2025", "Quý I/2026"]
    assert f"{schedule.occurrences[0].start:%d/%m/%Y}" == "14/11/2025"
    ongoing = parse_when("Thường xuyên", 2025, until=2027, issued=date(2025, 11, 14))
    assert [o.period for o in ongoing.occurrences] == ["Năm 2025", "Năm 2026", "Năm 2027"]
    # One dated window keeps its dates: the plan loader warns about it instead.
    single = parse_when("Quý I/2025", 2025, issued=date(2025, 11, 14))
    assert [o.period for o in single.occurrences] == ["Quý I/2025"]


# --- tasks set off by an event --------------------------------------------------------------

EVENTS = [
    ("khi có vụ việc", "khi có vụ việc", None, None),
    ("Khi có vụ việc xảy ra", "khi có vụ việc xảy ra", None, None),
    ("khi có yêu cầu", "khi có yêu cầu", None, None),
    ("Sau khi Bộ ban hành hướng dẫn", "sau khi bộ ban hành hướng dẫn", None, None),
    ("trong vòng 10 ngày kể từ khi nhận được văn bản", "kể từ khi nhận được văn bản", 10, None),
    ("Trong thời hạn 15 ngày kể từ ngày có quyết định", "kể từ ngày có quyết định", 15, None),
    ("10 ngày sau khi kết thúc đợt kiểm tra", "sau khi kết thúc đợt kiểm tra", 10, None),
    (
        "từ tháng 9/2025 đến khi hoàn thành việc sắp xếp",
        "đến khi hoàn thành việc sắp xếp",
        None,
        "Từ 01/09/2025",
    ),
    (
        "Từ tháng 9 đến khi hoàn thành việc sắp xếp",
        "đến khi hoàn thành việc sắp xếp",
        None,
        "Từ 01/09/2025",
    ),
]


@pytest.mark.parametrize(("text", "event", "days", "opens"), EVENTS, ids=[e[0] for e in EVENTS])
def test_tasks_wait_for_their_event(text, event, days, opens):
    schedule = parse_when(text, 2025)
    assert schedule.kind is Kind.EVENT
    assert (schedule.event, schedule.event_days) == (event, days)
    (occurrence,) = schedule.occurrences
    assert occurrence.due is None  # nothing falls due until the event is recorded
    assert occurrence.period == (opens or "Chờ sự kiện")
    assert schedule.event_closes is bool(opens)


@pytest.mark.parametrize(
    "text",
    [
        "Định kỳ 6 tháng hoặc đột xuất khi có yêu cầu",
        "định kỳ 06 tháng, hoặc đột xuất khi có yêu cầu",
        "Định kỳ 6 tháng và đột xuất",
    ],
)
def test_a_periodic_report_plus_an_ad_hoc_one(text):
    schedule = parse_when(text, 2025)
    assert schedule.kind is Kind.RECURRING
    assert [o.period for o in schedule.occurrences] == [
        "6 tháng đầu năm 2025",
        "6 tháng cuối năm 2025",
    ]
    assert schedule.event and "đột xuất" in schedule.event


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Sau Tết Nguyên đán", "sau tết nguyên đán"),
        ("Quý II/2026 sau Tết", "sau tết"),
        ("thứ Sáu", "thứ sáu"),  # which week is not said: "hằng tuần" is needed
        ("ít nhất 05 lần/năm", None),
        (
            "trong vòng 10 ngày làm việc kể từ khi có yêu cầu",
            "trong vòng 10 ngày làm việc kể từ khi có yêu cầu",  # working days: not read
        ),
    ],
)
def test_a_refusal_names_the_part_not_understood(text, part):
    with pytest.raises(TimeExpressionError) as caught:
        parse_when(text, 2025)
    if part:
        assert f'không hiểu "{part}"' in str(caught.value)
