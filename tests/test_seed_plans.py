"""The five real plans: each loads whole, on SQLite and PostgreSQL, with the deadlines its
document sets (checked by hand against ../shared/seeds/)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from scheduler.planfile import read_plan_file
from scheduler.planload import load_plan
from storage.engine import make_engine, upgrade
from storage.queries import plan_by_code, plan_tasks
from storage.timezone import VN_TZ
from tests.conftest import PLANS

NOW = datetime(2024, 2, 26, 1, 0, tzinfo=UTC)
SEEDS = [
    "cua-lo-2024",
    "kong-chro-2021",
    "long-ho-2022",
    "thuan-nam-2022",
    "vinh-phuc-vp-ubnd-2023",
]

# (plan, task, the time expression as the document writes it, [(period, due day)]).
DEADLINES = [
    ("cua-lo-2024", "T1", "Tháng 1", [("Tháng 1/2024", "31/01/2024")]),
    ("cua-lo-2024", "T2", "Tháng 2", [("Tháng 2/2024", "29/02/2024")]),
    ("cua-lo-2024", "T3", "Tháng 3", [("Tháng 3/2024", "31/03/2024")]),
    ("cua-lo-2024", "T4", "Tháng 3 đến tháng 4", [("Tháng 3–4/2024", "30/04/2024")]),
    ("cua-lo-2024", "T5", "từ tháng 1 đến tháng 12", [("Tháng 1–12/2024", "31/12/2024")]),
    ("long-ho-2022", "T1", "Quý I và II/2022", [("Quý I–II/2022", "30/06/2022")]),
    ("long-ho-2022", "T3", "Quý IV/2022", [("Quý IV/2022", "31/12/2022")]),
    ("long-ho-2022", "T4", "Quý I/2022", [("Quý I/2022", "31/03/2022")]),
    ("long-ho-2022", "D1", "trước ngày 15/01/2022", [("Hạn 14/01/2022", "14/01/2022")]),
    (
        "long-ho-2022",
        "R1",
        "Định kỳ quý, 06 tháng, năm",
        [
            ("Quý I/2022", "15/03/2022"),
            ("6 tháng đầu năm 2022", "15/06/2022"),
            ("Quý III/2022", "15/09/2022"),
            ("Năm 2022", "15/12/2022"),
        ],
    ),
    ("thuan-nam-2022", "D1", "trước ngày 30/01/2022", [("Hạn 29/01/2022", "29/01/2022")]),
    (
        "thuan-nam-2022",
        "R1",
        "Định kỳ 06 tháng, một năm",
        [
            ("6 tháng đầu năm 2022", "15/06/2022"),
            ("Năm 2022", "15/12/2022"),
        ],
    ),
    ("kong-chro-2021", "T3", "Theo Kế hoạch của Sở, ngành liên quan", [("Năm 2021", None)]),
    (
        "vinh-phuc-vp-ubnd-2023",
        "R1",
        "Định kỳ quý, 06 tháng, năm",
        [
            ("Quý I/2023", "15/03/2023"),
            ("6 tháng đầu năm 2023", "15/06/2023"),
            ("Quý III/2023", "15/09/2023"),
            ("Năm 2023", "15/12/2023"),
        ],
    ),
]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def loaded(request, tmp_path_factory):
    """One database of each kind with the five plans loaded, shared by this module's tests."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('seeds') / 'nhacviec.db'}"
    else:
        url = request.getfixturevalue("postgres_module_url")
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        for code in SEEDS:
            load_plan(session, read_plan_file(PLANS / f"{code}.toml"), NOW)
        session.commit()
    yield engine
    engine.dispose()


def test_there_is_one_file_per_seed():
    assert sorted(p.stem for p in PLANS.glob("*.toml")) == SEEDS


def test_every_plan_loads_with_its_tasks_units_and_deadlines(loaded):
    with Session(loaded) as session:
        for code in SEEDS:
            plan = plan_by_code(session, code)
            assert plan is not None, code
            rows = plan_tasks(session, plan)
            assert rows, code
            for row in rows:
                assert row.lead, (code, row.task.code)
                assert row.occurrences, (code, row.task.code)


def test_kong_chro_monthly_column_has_twelve_deadlines(loaded):
    with Session(loaded) as session:
        rows = {
            r.task.code: r for r in plan_tasks(session, plan_by_code(session, "kong-chro-2021"))
        }
    due = [o.due_at.astimezone(VN_TZ).strftime("%d/%m") for o in rows["T5"].occurrences]
    assert due == [
        "31/01",
        "28/02",
        "31/03",
        "30/04",
        "31/05",
        "30/06",
        "31/07",
        "31/08",
        "30/09",
        "31/10",
        "30/11",
        "31/12",
    ]


@pytest.mark.parametrize(
    ("plan", "task", "when", "expected"), DEADLINES, ids=[f"{p}-{t}" for p, t, _, _ in DEADLINES]
)
def test_deadlines_of_the_documents(loaded, plan, task, when, expected):
    with Session(loaded) as session:
        rows = {r.task.code: r for r in plan_tasks(session, plan_by_code(session, plan))}
    row = rows[task]
    assert row.task.when_text == when
    got = [
        (o.period, o.due_at.astimezone(VN_TZ).strftime("%d/%m/%Y") if o.due_at else None)
        for o in row.occurrences
    ]
    assert got == expected
    for occurrence in row.occurrences:
        if occurrence.due_at:
            assert occurrence.due_at.astimezone(VN_TZ).strftime("%H:%M:%S") == "23:59:59"


def test_long_ho_units_send_reports_to_the_culture_office(loaded):
    with Session(loaded) as session:
        plan = plan_by_code(session, "long-ho-2022")
        rows = {r.task.code: r for r in plan_tasks(session, plan)}
        from storage.models import Unit

        receiver = session.get(Unit, rows["R1"].task.reports_to_id)
    assert receiver.name == "Phòng Văn hóa và Thông tin huyện"
    assert {u.name for u in rows["T1"].lead} == {"Phòng Văn hóa và Thông tin huyện"}
    assert "UBND các xã, thị trấn" in {u.name for u in rows["T1"].support}
