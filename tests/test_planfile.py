"""Plan files: a good one is read whole, a bad one is refused whole with every error listed."""

from __future__ import annotations

import pytest

from scheduler.planfile import PlanFileInvalid, parse_plan
from scheduler.planfile_document import hand_set_hint

GOOD = """\
[plan]
code = "thu-nghiem-2024"
title = "Kế hoạch thử nghiệm năm 2024"
issuer = "UBND thị xã Cửa Lò"
year = 2024

[[units]]
code = "VHTT"
name = "Phòng Văn hóa và Thông tin"
kind = "phòng"

[[units]]
code = "NV"
name = "Phòng Nội vụ"
kind = "phòng"

[[groups]]
code = "UBND-PHUONG"
name = "UBND các phường"
members = []

[[tasks]]
code = "T1"
title = "Thành lập Tổ truyền thông"
lead = ["NV"]
support = ["VHTT", "UBND-PHUONG"]
when = "Tháng 2"

[[tasks]]
code = "T2"
title = "Báo cáo định kỳ"
lead = ["UBND-PHUONG"]
when = "Định kỳ quý, 06 tháng, năm"
reports_to = "VHTT"
"""

HAND_SET = hand_set_hint()  # how the refusal tells to set start/due by hand


def problems(text: str | bytes) -> list[str]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(PlanFileInvalid) as caught:
        parse_plan(raw, "ke-hoach.toml")
    return [str(problem) for problem in caught.value.problems]


def test_a_good_file_is_read_whole():
    spec = parse_plan(GOOD.encode(), "ke-hoach.toml")
    assert spec.code == "thu-nghiem-2024"
    assert [u.code for u in spec.units] == ["VHTT", "NV", "UBND-PHUONG"]
    first, second = spec.tasks
    assert first.lead == ("NV",) and first.support == ("VHTT", "UBND-PHUONG")
    assert first.schedule.due.isoformat() == "2024-02-29T23:59:59+07:00"
    assert [o.period for o in second.schedule.occurrences] == [
        "Quý I/2024",
        "6 tháng đầu năm 2024",
        "Quý III/2024",
        "Năm 2024",
    ]
    assert second.reports_to == "VHTT"


def test_the_same_bytes_give_the_same_hash():
    assert parse_plan(GOOD.encode(), "a").source_hash == parse_plan(GOOD.encode(), "b").source_hash


def test_a_due_override_sets_the_deadline():
    text = GOOD.replace('when = "Tháng 2"', 'when = "Tháng 2"\ndue = 2024-02-20')
    spec = parse_plan(text.encode(), "x")
    assert spec.tasks[0].schedule.due.isoformat() == "2024-02-20T23:59:59+07:00"


def test_a_due_override_makes_an_unreadable_expression_usable():
    text = GOOD.replace('when = "Tháng 2"', 'when = "Sau Tết Nguyên đán"\ndue = 2024-02-20')
    spec = parse_plan(text.encode(), "x")
    assert spec.tasks[0].when == "Sau Tết Nguyên đán"
    assert [o.period for o in spec.tasks[0].schedule.occurrences] == ["Hạn 20/02/2024"]


BAD = [
    pytest.param(
        GOOD.replace('title = "Thành lập Tổ truyền thông"\n', ""),
        ["dòng 22, tasks[1].title: thiếu trường bắt buộc"],
        id="missing-field",
    ),
    pytest.param(
        GOOD.replace('lead = ["NV"]', 'lead = ["TCKH"]'),
        ["dòng 25, tasks[1].lead: không có đơn vị hay nhóm mã TCKH"],
        id="unknown-unit",
    ),
    pytest.param(
        GOOD.replace('when = "Tháng 2"', 'when = "Sau Tết"'),
        [
            'dòng 27, tasks[1].when: Không đọc được mốc thời gian "Sau Tết" — '
            'không hiểu "sau tết"; ' + HAND_SET
        ],
        id="unreadable-time",
    ),
    pytest.param(
        GOOD.replace('code = "T2"', 'code = "T1"'),
        ["dòng 30, tasks[2].code: mã nhiệm vụ T1 bị trùng"],
        id="duplicate-task-code",
    ),
    pytest.param(
        GOOD.replace("year = 2024", 'year = "2024"'),
        ["dòng 5, plan.year: cần một năm, ví dụ 2024"],
        id="wrong-type-year",
    ),
    pytest.param(
        GOOD.replace('lead = ["NV"]', 'lead = "NV"'),
        ['dòng 25, tasks[1].lead: cần một danh sách mã đơn vị, ví dụ ["VHTT"]'],
        id="wrong-type-lead",
    ),
    pytest.param(
        GOOD.replace("[plan]\n", "[plan\n"),
        [
            "dòng 1, ke-hoach.toml: không phải TOML hợp lệ "
            "(Expected ']' at the end of a table declaration (at line 1, column 6))"
        ],
        id="not-toml",
    ),
    pytest.param("", ["cả tệp, ke-hoach.toml: tệp trống"], id="empty-file"),
    pytest.param(
        "# kế hoạch\n".encode("cp1258", errors="replace") + b"\xff\xfe",
        ["dòng 2, ke-hoach.toml: tệp không mã hóa UTF-8 (hãy lưu lại với mã hóa UTF-8)"],
        id="not-utf8",
    ),
    pytest.param(
        GOOD.replace('kind = "phòng"\n\n[[units]]', 'kind = "phòng"\nkinds = 1\n\n[[units]]'),
        ["dòng 11, units[1].kinds: trường không có trong định dạng kế hoạch"],
        id="unknown-key",
    ),
    pytest.param(
        GOOD.split("[[tasks]]")[0],
        ["cả tệp, tasks: kế hoạch chưa có nhiệm vụ nào ([[tasks]])"],
        id="no-tasks",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_a_bad_file_is_refused_with_each_error(text, expected):
    assert problems(text) == expected


def test_every_error_is_listed_at_once():
    text = (
        GOOD.replace('lead = ["NV"]', 'lead = ["TCKH"]')
        .replace('when = "Tháng 2"', 'when = "Sau Tết"')
        .replace('code = "T2"', 'code = "T1"')
    )
    assert problems(text) == [
        "dòng 25, tasks[1].lead: không có đơn vị hay nhóm mã TCKH",
        'dòng 27, tasks[1].when: Không đọc được mốc thời gian "Sau Tết" — '
        'không hiểu "sau tết"; ' + HAND_SET,
        "dòng 30, tasks[2].code: mã nhiệm vụ T1 bị trùng",
    ]
