"""A compiled report due a set number of days after the reports it compiles (issue 11,
point 5): the units send R1 to the office (``reports_to``), and the office compiles them
"trong vòng 05 ngày sau khi nhận được báo cáo của các đơn vị" (``compiles = "R1"``).
"""

from __future__ import annotations

import pytest

from scheduler.planfile import PlanFileInvalid, parse_plan

HEAD = """\
[plan]
code = "cchc-2025"
title = "Kế hoạch cải cách hành chính năm 2025"
issuer = "Ủy ban nhân dân xã Thử Nghiệm"
year = 2025

[[units]]
code = "VP"
name = "Văn phòng HĐND và UBND xã"
kind = "văn phòng"

[[units]]
code = "KT"
name = "Phòng Kinh tế xã"
kind = "phòng"

[[tasks]]
code = "R1"
title = "Báo cáo kết quả cải cách hành chính"
lead = ["KT"]
when = "Định kỳ 6 tháng"
reports_to = "VP"
"""


def compiled(when: str, compiles: str = "R1", lead: str = "VP") -> str:
    return (
        HEAD
        + f"""
[[tasks]]
code = "R2"
title = "Tổng hợp, báo cáo Ủy ban nhân dân huyện"
lead = ["{lead}"]
when = "{when}"
compiles = "{compiles}"
"""
    )


def deadlines(text: str) -> dict[str, list[str]]:
    spec = parse_plan(text.encode("utf-8"), "cchc-2025.toml")
    return {
        task.code: [f"{o.period}: {o.due:%d/%m/%Y}" for o in task.schedule.occurrences]
        for task in spec.tasks
    }


@pytest.mark.parametrize(
    "when",
    [
        "trong vòng 05 ngày sau khi nhận được báo cáo của các đơn vị",
        "05 ngày sau khi nhận được báo cáo của các đơn vị",
        "trong vòng 5 ngày kể từ hạn báo cáo của các đơn vị",
    ],
)
def test_each_period_of_the_compiled_report_falls_due_days_later(when):
    assert deadlines(compiled(when)) == {
        "R1": ["6 tháng đầu năm 2025: 15/06/2025", "6 tháng cuối năm 2025: 15/12/2025"],
        "R2": ["6 tháng đầu năm 2025: 20/06/2025", "6 tháng cuối năm 2025: 20/12/2025"],
    }


def test_the_compiled_task_no_longer_waits_for_an_event():
    spec = parse_plan(compiled("05 ngày sau khi nhận được báo cáo").encode(), "c.toml")
    (r2,) = [t for t in spec.tasks if t.code == "R2"]
    assert (r2.schedule.kind, r2.schedule.event) == ("recurring", None)


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        (compiled("05 ngày sau khi nhận được báo cáo", compiles="R9"), "compiles",
         "không có nhiệm vụ mã R9 ở trên trong tệp"),
        (compiled("05 ngày sau khi nhận được báo cáo", lead="KT"), "compiles",
         "nhiệm vụ R1 phải gửi báo cáo về đơn vị chủ trì tổng hợp (reports_to)"),
        (compiled("Quý II/2025"), "when",
         "cần thời gian dạng “trong vòng 05 ngày sau khi nhận được báo cáo của các đơn vị”"),
    ],
)  # fmt: skip
def test_refusals_name_the_key(text, field, message):
    with pytest.raises(PlanFileInvalid) as caught:
        parse_plan(text.encode("utf-8"), "cchc-2025.toml")
    assert [(p.field, p.message) for p in caught.value.problems] == [
        (f"tasks[2].{field}", message)
    ]
