"""Table-driven tests of the Vietnamese time-expression parser (scheduler.timeexpr).

The first table holds every "Thời gian thực hiện" value found in the seed plans
(/work/shared/seeds: Kông Chro 2021, Long Hồ 2022, Thuận Nam 2022, Cửa Lò 2024, Vĩnh Phúc 2023)
followed by the other accepted forms, so a change in reading shows up as a failing row.
"""

from __future__ import annotations

import pickle
import re
import unicodedata
from datetime import timedelta

import pytest

from scheduler.timeexpr import (
    VN_TZ,
    Kind,
    TimeExpressionError,
    normalize,
    parse_when,
    strip_diacritics,
)

DEADLINE, WINDOW, RECURRING = Kind.DEADLINE, Kind.WINDOW, Kind.RECURRING
CONTINUOUS, UNSCHEDULED = Kind.CONTINUOUS, Kind.UNSCHEDULED
ROMAN = ["I", "II", "III", "IV"]
MONTH_ENDS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def end(day: str) -> str:
    """ISO instant of the last second of a dd/mm/yyyy day in Vietnam."""
    d, m, y = day.split("/")
    return f"{y}-{m}-{d}T23:59:59+07:00"


def every_month(year: int, months=range(1, 13), day: int | None = None) -> list:
    last = [*MONTH_ENDS]
    if year % 4 == 0:  # good enough for 2021-2024
        last[1] = 29
    return [(f"Tháng {m}/{year}", end(f"{day or last[m - 1]:02d}/{m:02d}/{year}")) for m in months]


def every_quarter(year: int) -> list:
    ends = ["31/03", "30/06", "30/09", "31/12"]
    return [(f"Quý {ROMAN[q]}/{year}", end(f"{ends[q]}/{year}")) for q in range(4)]


def reports(year: int, day: int = 15, *, quarters=True, half=True, annual=True) -> list:
    rows = []
    if quarters:
        rows.append((f"Quý I/{year}", end(f"{day}/03/{year}")))
    if half:
        rows.append((f"6 tháng đầu năm {year}", end(f"{day}/06/{year}")))
    if quarters:
        rows.append((f"Quý III/{year}", end(f"{day}/09/{year}")))
    if annual:
        rows.append((f"Năm {year}", end(f"{day}/12/{year}")))
    return rows


def year_long(year: int) -> list:
    return [(f"Năm {year}", end(f"31/12/{year}"))]


def case(text: str, year: int, kind: Kind, expected: list, id: str | None = None):
    slug = re.sub(r"[^a-z0-9]+", "-", strip_diacritics(normalize(text))).strip("-")
    return pytest.param(text, year, kind, expected, id=id or slug)


NFD = unicodedata.normalize("NFD", "Quý I và II/2022")

CASES = [
    # --- Long Hồ 2022, phụ lục ---------------------------------------------------------------
    case("Quý I và II/2022", 2022, WINDOW, [("Quý I–II/2022", end("30/06/2022"))]),
    case("Thường xuyên trong năm", 2022, CONTINUOUS, year_long(2022)),
    case("Quý IV/2022", 2022, WINDOW, [("Quý IV/2022", end("31/12/2022"))]),
    case("Quý I/2022", 2022, WINDOW, [("Quý I/2022", end("31/03/2022"))]),
    case("Trong năm 2022", 2022, WINDOW, year_long(2022)),
    # --- Long Hồ 2022, Thuận Nam 2022, Kông Chro 2021: duties in the text --------------------
    case("trước ngày 15/01/2022", 2022, DEADLINE, [("Hạn 14/01/2022", end("14/01/2022"))]),
    case("trước ngày 30/01/2022", 2022, DEADLINE, [("Hạn 29/01/2022", end("29/01/2022"))]),
    case("Định kỳ quý, 06 tháng, năm", 2022, RECURRING, reports(2022)),
    case("Định kỳ 06 tháng, một năm", 2022, RECURRING, reports(2022, quarters=False)),
    case("định kỳ hàng tháng", 2022, RECURRING, every_month(2022), id="dinh-ky-hang-thang-grave"),
    case("định kỳ hàng quý", 2022, RECURRING, every_quarter(2022), id="dinh-ky-hang-quy-grave"),
    case("hàng năm", 2022, RECURRING, year_long(2022), id="hang-nam-grave"),
    # --- Kông Chro 2021, "a) Thời gian thực hiện:" ---------------------------------------------
    case("Thường xuyên trong năm 2021.", 2021, CONTINUOUS, year_long(2021)),
    case("Theo Kế hoạch của Sở, ngành liên quan.", 2021, UNSCHEDULED, [("Năm 2021", None)]),
    case(
        "Thường xuyên trong năm 2021 (01 chuyên mục/01 tháng).",
        2021,
        RECURRING,
        every_month(2021),
    ),
    case("01 chuyên mục/01 tháng", 2021, RECURRING, every_month(2021)),
    # --- Cửa Lò 2024, "4.3. Thời gian truyền thông" -----------------------------------------
    case("Tháng 1", 2024, WINDOW, [("Tháng 1/2024", end("31/01/2024"))]),
    case("Tháng 2", 2024, WINDOW, [("Tháng 2/2024", end("29/02/2024"))], id="thang-2-leap"),
    case("Tháng 3", 2024, WINDOW, [("Tháng 3/2024", end("31/03/2024"))]),
    case("Tháng 3 đến tháng 4", 2024, WINDOW, [("Tháng 3–4/2024", end("30/04/2024"))]),
    case("từ tháng 1 đến tháng 12", 2024, WINDOW, [("Tháng 1–12/2024", end("31/12/2024"))]),
    case("Từ tháng 6 đến tháng 12", 2024, WINDOW, [("Tháng 6–12/2024", end("31/12/2024"))]),
    # --- Vĩnh Phúc 2023 and the brief ----------------------------------------------------------
    case("thường xuyên, liên tục", 2023, CONTINUOUS, year_long(2023)),
    case("Theo Kế hoạch của Sở", 2022, UNSCHEDULED, [("Năm 2022", None)]),
    case("Thường xuyên", 2022, CONTINUOUS, year_long(2022)),
    # --- quarters ----------------------------------------------------------------------------
    case("quý 2", 2022, WINDOW, [("Quý II/2022", end("30/06/2022"))]),
    case("Quý III-IV", 2022, WINDOW, [("Quý III–IV/2022", end("31/12/2022"))]),
    case("Quý III – IV/2023", 2022, WINDOW, [("Quý III–IV/2023", end("31/12/2023"))]),
    case("Quý I, II", 2022, WINDOW, [("Quý I–II/2022", end("30/06/2022"))]),
    case("quý IV năm 2022", 2021, WINDOW, [("Quý IV/2022", end("31/12/2022"))]),
    case("từ quý II đến quý IV", 2022, WINDOW, [("Quý II–IV/2022", end("31/12/2022"))]),
    case(
        "Quý I và III/2022",
        2022,
        WINDOW,
        [("Quý I/2022", end("31/03/2022")), ("Quý III/2022", end("30/09/2022"))],
    ),
    # --- months ------------------------------------------------------------------------------
    case("tháng 02/2024", 2022, WINDOW, [("Tháng 2/2024", end("29/02/2024"))]),
    case("Tháng 2", 2023, WINDOW, [("Tháng 2/2023", end("28/02/2023"))], id="thang-2-common"),
    case(
        "tháng 3 - 4", 2024, WINDOW, [("Tháng 3–4/2024", end("30/04/2024"))], id="thang-3-dash-4"
    ),
    case(
        "Tháng 3, 4", 2024, WINDOW, [("Tháng 3–4/2024", end("30/04/2024"))], id="thang-3-comma-4"
    ),
    case("tháng 3 năm 2024", 2022, WINDOW, [("Tháng 3/2024", end("31/03/2024"))]),
    case("6 tháng đầu năm", 2022, WINDOW, [("6 tháng đầu năm 2022", end("30/06/2022"))]),
    case("6 tháng cuối năm", 2022, WINDOW, [("6 tháng cuối năm 2022", end("31/12/2022"))]),
    case("06 tháng đầu năm 2023", 2022, WINDOW, [("6 tháng đầu năm 2023", end("30/06/2023"))]),
    # --- all year --------------------------------------------------------------------------
    case("trong năm 2022", 2021, WINDOW, year_long(2022), id="text-year-wins"),
    case("Trong năm", 2022, WINDOW, year_long(2022)),
    case("cả năm", 2022, WINDOW, year_long(2022)),
    case("năm 2022", 2022, WINDOW, year_long(2022)),
    case("thường xuyên (trong năm)", 2022, CONTINUOUS, year_long(2022), id="paren-trong-nam"),
    case("liên tục", 2022, CONTINUOUS, year_long(2022)),
    # --- monthly, quarterly ------------------------------------------------------------------
    case("hằng tháng", 2022, RECURRING, every_month(2022)),
    case("hàng tháng", 2024, RECURRING, every_month(2024), id="hang-thang-grave"),
    case("định kỳ hằng tháng", 2022, RECURRING, every_month(2022)),
    case("mỗi tháng", 2022, RECURRING, every_month(2022)),
    case("1 tin/tháng", 2022, RECURRING, every_month(2022)),
    case(
        "hàng tháng (từ tháng 3 đến tháng 12)",
        2022,
        RECURRING,
        every_month(2022, range(3, 13)),
    ),
    case("ngày 15 hằng tháng", 2022, RECURRING, every_month(2022, day=15)),
    case("trước ngày 20 hằng tháng", 2022, RECURRING, every_month(2022, day=19)),
    case("hằng quý", 2022, RECURRING, every_quarter(2022)),
    case("hàng quý", 2022, RECURRING, every_quarter(2022), id="hang-quy-grave"),
    case("định kỳ hằng quý", 2022, RECURRING, every_quarter(2022)),
    case("hằng năm", 2022, RECURRING, year_long(2022), id="hang-nam"),
    # --- reporting duty, Nghị định 09/2019/NĐ-CP ---------------------------------------------
    case("định kỳ hằng quý, 6 tháng, năm", 2022, RECURRING, reports(2022)),
    case("báo cáo quý, 6 tháng, năm", 2022, RECURRING, reports(2022)),
    case("quý, 6 tháng và năm", 2022, RECURRING, reports(2022)),
    case("định kỳ 6 tháng, năm", 2022, RECURRING, reports(2022, quarters=False)),
    case("báo cáo năm", 2022, RECURRING, reports(2022, quarters=False, half=False)),
    case("định kỳ hằng năm", 2022, RECURRING, reports(2022, quarters=False, half=False)),
    # --- deadlines ---------------------------------------------------------------------------
    case("trước 15/01", 2023, DEADLINE, [("Hạn 14/01/2023", end("14/01/2023"))]),
    case("trước ngày 01/03/2024", 2024, DEADLINE, [("Hạn 29/02/2024", end("29/02/2024"))]),
    case("chậm nhất ngày 30/6/2024", 2024, DEADLINE, [("Hạn 30/06/2024", end("30/06/2024"))]),
    case("chậm nhất 30/6", 2024, DEADLINE, [("Hạn 30/06/2024", end("30/06/2024"))]),
    case("đến ngày 31/12", 2022, DEADLINE, [("Hạn 31/12/2022", end("31/12/2022"))]),
    case("hạn chót 15/3", 2022, DEADLINE, [("Hạn 15/03/2022", end("15/03/2022"))]),
    case(
        "trước ngày 15 tháng 01 năm 2022",
        2022,
        DEADLINE,
        [("Hạn 14/01/2022", end("14/01/2022"))],
    ),
    case(
        "trước ngày 15.01.2022",
        2022,
        DEADLINE,
        [("Hạn 14/01/2022", end("14/01/2022"))],
        id="dotted-date",
    ),
    # --- unscheduled -------------------------------------------------------------------------
    case("theo kế hoạch của UBND tỉnh", 2022, UNSCHEDULED, [("Năm 2022", None)]),
    case("theo chỉ đạo", 2022, UNSCHEDULED, [("Năm 2022", None)]),
    case("khi có yêu cầu", 2022, Kind.EVENT, [("Chờ sự kiện", None)]),
    case("theo yêu cầu", 2022, UNSCHEDULED, [("Năm 2022", None)]),
    # --- input tolerance ---------------------------------------------------------------------
    case(NFD, 2022, WINDOW, [("Quý I–II/2022", end("30/06/2022"))], id="nfd"),
    case("Quy I va II/2022", 2022, WINDOW, [("Quý I–II/2022", end("30/06/2022"))], id="ascii-1"),
    case("thuong xuyen trong nam", 2022, CONTINUOUS, year_long(2022), id="ascii-2"),
    case(
        "truoc ngay 15/01/2022",
        2022,
        DEADLINE,
        [("Hạn 14/01/2022", end("14/01/2022"))],
        id="ascii-3",
    ),
    case("dinh ky quy, 06 thang, nam", 2022, RECURRING, reports(2022), id="ascii-4"),
    case("hang thang", 2022, RECURRING, every_month(2022), id="ascii-5"),
    case("theo ke hoach cua So", 2022, UNSCHEDULED, [("Năm 2022", None)], id="ascii-6"),
    case("QUÝ IV/2022", 2022, WINDOW, [("Quý IV/2022", end("31/12/2022"))], id="upper"),
    case("THƯỜNG XUYÊN TRONG NĂM", 2022, CONTINUOUS, year_long(2022), id="upper-cont"),
    case(
        "  Quý\u00a0I ,  II / 2022 ;",
        2022,
        WINDOW,
        [("Quý I–II/2022", end("30/06/2022"))],
        id="spaces-nbsp",
    ),
    case(
        "Tháng 3   đến\ttháng 4.",
        2024,
        WINDOW,
        [("Tháng 3–4/2024", end("30/04/2024"))],
        id="tabs-and-dot",
    ),
    case(
        "Quý I và II/2022./.",
        2022,
        WINDOW,
        [("Quý I–II/2022", end("30/06/2022"))],
        id="document-end-mark",
    ),
    case("định kì quí, 6 tháng, năm", 2022, RECURRING, reports(2022), id="old-spelling"),
]


@pytest.mark.parametrize(("text", "year", "kind", "expected"), CASES)
def test_parse_when(text: str, year: int, kind: Kind, expected: list) -> None:
    schedule = parse_when(text, year)
    assert schedule.kind is kind
    got = [(o.period, o.due.isoformat() if o.due else None) for o in schedule.occurrences]
    assert got == expected
    if kind not in (UNSCHEDULED, Kind.EVENT):
        assert schedule.due == max(o.due for o in schedule.occurrences)
        for moment in (schedule.start, *(o.start for o in schedule.occurrences)):
            assert moment.tzinfo is VN_TZ
            assert (moment.hour, moment.minute, moment.second) == (0, 0, 0)
            assert moment.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(
    ("text", "year", "start", "recurrence"),
    [
        pytest.param("Quý I và II/2022", 2022, "2022-01-01T00:00:00+07:00", None, id="window"),
        pytest.param("Từ tháng 6 đến tháng 12", 2024, "2024-06-01T00:00:00+07:00", None, id="mo"),
        pytest.param("trước ngày 15/01/2022", 2022, "2022-01-01T00:00:00+07:00", None, id="dl"),
        pytest.param("Thường xuyên", 2022, "2022-01-01T00:00:00+07:00", None, id="continuous"),
        pytest.param("hằng tháng", 2022, "2022-01-01T00:00:00+07:00", "monthly", id="monthly"),
        pytest.param(
            "hàng tháng (từ tháng 3 đến tháng 12)",
            2022,
            "2022-03-01T00:00:00+07:00",
            "monthly",
            id="monthly-range",
        ),
        pytest.param("hằng quý", 2022, "2022-01-01T00:00:00+07:00", "quarterly", id="quarterly"),
        pytest.param("hằng năm", 2022, "2022-01-01T00:00:00+07:00", "yearly", id="yearly"),
        pytest.param(
            "Định kỳ quý, 06 tháng, năm",
            2022,
            "2022-01-01T00:00:00+07:00",
            "reporting",
            id="reporting",
        ),
        pytest.param("Theo Kế hoạch của Sở", 2022, None, None, id="unscheduled"),
    ],
)
def test_start_and_recurrence(text: str, year: int, start: str | None, recurrence) -> None:
    schedule = parse_when(text, year)
    assert (schedule.start.isoformat() if schedule.start else None) == start
    assert schedule.recurrence == recurrence


def test_occurrence_starts_are_period_starts() -> None:
    occurrences = parse_when("Định kỳ quý, 06 tháng, năm", 2022).occurrences
    assert [o.start.isoformat()[:10] for o in occurrences] == [
        "2022-01-01",
        "2022-01-01",
        "2022-07-01",
        "2022-01-01",
    ]


def test_unscheduled_has_no_dates() -> None:
    schedule = parse_when("Theo Kế hoạch của Sở", 2022)
    assert (schedule.start, schedule.due) == (None, None)
    assert [(o.period, o.start, o.due) for o in schedule.occurrences] == [("Năm 2022", None, None)]


def test_report_day_override() -> None:
    schedule = parse_when("Định kỳ quý, 06 tháng, năm", 2022, report_day=20)
    got = [(o.period, o.due.isoformat()) for o in schedule.occurrences]
    assert got == reports(2022, day=20)
    assert schedule.due.isoformat() == "2022-12-20T23:59:59+07:00"


def test_report_day_must_be_a_day() -> None:
    with pytest.raises(ValueError, match="report_day"):
        parse_when("Định kỳ quý, 06 tháng, năm", 2022, report_day=0)


def test_to_json() -> None:
    assert parse_when("Quý I và II/2022", 2022).to_json() == {
        "kind": "window",
        "start": "2022-01-01T00:00:00+07:00",
        "due": "2022-06-30T23:59:59+07:00",
        "recurrence": None,
        "occurrences": [{"period": "Quý I–II/2022", "due": "2022-06-30T23:59:59+07:00"}],
        "event": None,
        "event_days": None,
    }
    assert parse_when("Theo Kế hoạch của Sở", 2022).to_json() == {
        "kind": "unscheduled",
        "start": None,
        "due": None,
        "recurrence": None,
        "occurrences": [{"period": "Năm 2022", "due": None}],
        "event": None,
        "event_days": None,
    }


PREFIX = "Không đọc được mốc thời gian"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # The part not understood is always quoted, from where reading stopped.
        pytest.param("Sau Tết", f'{PREFIX} "Sau Tết" — không hiểu "sau tết"', id="unknown"),
        pytest.param(
            "Thường xuyên sau Tết",
            f'{PREFIX} "Thường xuyên sau Tết" — không hiểu "sau tết"',
            id="unknown-rest",
        ),
        pytest.param("", f'{PREFIX} "" — không có nội dung', id="empty"),
        pytest.param("  . ", f'{PREFIX} "  . " — không có nội dung', id="blank"),
        pytest.param(
            "31/02/2022", f'{PREFIX} "31/02/2022" — không có ngày 31/02/2022', id="d31-2"
        ),
        pytest.param(
            "trước ngày 30/02",
            f'{PREFIX} "trước ngày 30/02" — không có ngày 30/02/2022',
            id="d30-2",
        ),
        pytest.param("Tháng 13", f'{PREFIX} "Tháng 13" — không có tháng 13', id="month-13"),
        pytest.param(
            "Quý V/2022",
            f'{PREFIX} "Quý V/2022" — không có quý V (chỉ có quý I–IV)',
            id="quarter-v",
        ),
        pytest.param("quý 5", f'{PREFIX} "quý 5" — không có quý 5 (chỉ có quý I–IV)', id="q5"),
        pytest.param(
            "tháng 5 đến tháng 3",
            f'{PREFIX} "tháng 5 đến tháng 3" — khoảng ngược (5 đến 3)',
            id="backwards",
        ),
        pytest.param(
            "Quý I/2022 năm 2023",
            f'{PREFIX} "Quý I/2022 năm 2023" — có nhiều năm khác nhau: 2022, 2023',
            id="two-years",
        ),
        pytest.param(
            "Thường xuyên, trước ngày 15/01",
            f'{PREFIX} "Thường xuyên, trước ngày 15/01" — các mốc thời gian không ghép được'
            " với nhau",
            id="clash",
        ),
        pytest.param("ngày 15", f'{PREFIX} "ngày 15" — ngày 15 không kèm tháng', id="day-only"),
        # Diacritics are dropped only from words typed without any: a wrong accent is an error.
        pytest.param("nắm 2022", f'{PREFIX} "nắm 2022" — không hiểu "nắm 2022"', id="wrong-tone"),
        pytest.param("quy dinh", f'{PREFIX} "quy dinh" — không hiểu "quy dinh"', id="quy-dinh"),
        pytest.param(
            "sau thang dau nam",
            f'{PREFIX} "sau thang dau nam" — không hiểu "sau thang dau nam"',
            id="sau-is-not-six",
        ),
        pytest.param(
            "Quý I/2022 sau Tet",
            f'{PREFIX} "Quý I/2022 sau Tet" — không hiểu "sau tet"',
            id="unknown-rest-ascii",
        ),
        pytest.param("Năm", f'{PREFIX} "Năm" — không hiểu "năm"', id="bare-year-word"),
        pytest.param("quý", f'{PREFIX} "quý" — không hiểu "quý"', id="bare-quarter"),
        pytest.param("Định kỳ", f'{PREFIX} "Định kỳ" — không hiểu "định kỳ"', id="bare-dinh-ky"),
        pytest.param("22", f'{PREFIX} "22" — không hiểu "22"', id="bare-number"),
    ],
)
def test_errors(text: str, message: str) -> None:
    with pytest.raises(TimeExpressionError) as caught:
        parse_when(text, 2022)
    assert str(caught.value) == message
    assert caught.value.text == text


def test_error_is_a_value_error_and_pickles() -> None:
    err = TimeExpressionError("Sau Tết", "không hiểu")
    assert isinstance(err, ValueError)
    assert str(err) == 'Không đọc được mốc thời gian "Sau Tết" — không hiểu'
    assert str(TimeExpressionError("x")) == 'Không đọc được mốc thời gian "x"'
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.text, copy.reason, str(copy)) == (err.text, err.reason, str(err))


@pytest.mark.parametrize(
    ("text", "normalized", "stripped"),
    [
        pytest.param("  Quý\u00a0I  và II ", "quý i và ii", "quy i va ii", id="spaces"),
        pytest.param(NFD, "quý i và ii/2022", "quy i va ii/2022", id="nfd"),
        pytest.param("ĐỊNH KỲ", "định kỳ", "dinh ky", id="d-bar"),
    ],
)
def test_normalize(text: str, normalized: str, stripped: str) -> None:
    assert normalize(text) == normalized
    assert strip_diacritics(normalize(text)) == stripped
