"""The operator's year on the command line: a plan file named by its code, reloads refused
or mapped, next year's copy, and archiving a finished plan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlmodel import Session, select

from bot.cli import main
from scheduler.clock import SimulatedClock
from scheduler.outbox import materialize
from scheduler.planfile import read_plan_file
from scheduler.policy import PolicyBook
from scheduler.summaries import weekly_summaries
from scheduler.workdays import WorkCalendar
from storage.engine import make_engine
from storage.models import Chat, Occurrence, Plan, Reminder, ReminderState, Report, Unit
from tests.conftest import PLANS
from tests.test_planfile import GOOD

CLOCK = SimulatedClock(datetime(2024, 2, 26, 1, 0, tzinfo=UTC))


@pytest.fixture
def config(tmp_path: Path, db_url: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{db_url}"\n', encoding="utf-8")
    return path


def run(capsys, config: Path, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--config", str(config)], clock=CLOCK)
    out, err = capsys.readouterr()
    return code, out, err


def _engine(config: Path):
    url = config.read_text(encoding="utf-8").split('"')[1]
    return make_engine(url)


def _plan_file(folder: Path, text: str = GOOD, name: str = "thu-nghiem-2024") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_named_unlike_its_code_is_refused(config, capsys, tmp_path):
    path = _plan_file(tmp_path, name="ke-hoach-moi")
    code, out, err = run(capsys, config, "plan", "load", str(path))
    assert (code, out) == (1, "")
    assert err.splitlines()[1] == (
        "  mã kế hoạch thu-nghiem-2024 phải trùng tên tệp: hãy đặt tên tệp "
        "thu-nghiem-2024.toml, hoặc đổi mã trong tệp thành ke-hoach-moi"
    )
    assert run(capsys, config, "plan", "list")[1].startswith("Chưa có kế hoạch nào.")


def _report_on_t1(config: Path) -> None:
    with Session(_engine(config)) as session:
        occurrence = session.exec(
            select(Occurrence).where(Occurrence.period == "Tháng 2/2024")
        ).one()
        unit = session.exec(select(Unit).where(Unit.code == "NV")).one()
        session.add(
            Report(
                occurrence_id=occurrence.id,
                unit_id=unit.id,
                status="done",
                percent=100,
                created_at=CLOCK.now(),
                platform="telegram",
                source_chat_id="7",
                source_message_id="1",
            )
        )
        session.commit()


def test_a_renamed_task_is_refused_then_loaded_with_rename(config, capsys, tmp_path):
    path = _plan_file(tmp_path)
    run(capsys, config, "plan", "load", str(path))
    _report_on_t1(config)
    path.write_text(GOOD.replace('code = "T1"', 'code = "T3a"'), encoding="utf-8")
    code, out, err = run(capsys, config, "plan", "load", str(path))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "Không nạp kế hoạch thu-nghiem-2024:",
        "  nhiệm vụ T1 (kỳ Tháng 2/2024): 1 báo cáo",
        "Không có gì được ghi. Nếu đã đổi mã, nạp lại kèm --rename MÃ-CŨ=MÃ-MỚI; nếu các "
        "mục trên đã thôi thực hiện, nạp lại kèm --retire (báo cáo vẫn được lưu).",
    ]
    code, out, _ = run(capsys, config, "plan", "load", str(path), "--rename", "T1=T3a")
    assert code == 0
    assert out.splitlines() == [
        "Đã cập nhật kế hoạch thu-nghiem-2024: 2 nhiệm vụ, 5 hạn chót, 3 đơn vị; "
        "các báo cáo đã có được giữ nguyên.",
        "Đã đổi mã: T1 → T3a.",
    ]


def test_retire_does_not_claim_the_reports_kept(config, capsys, tmp_path):
    path = _plan_file(tmp_path)
    run(capsys, config, "plan", "load", str(path))
    _report_on_t1(config)
    path.write_text(GOOD.replace('code = "T1"', 'code = "T3a"'), encoding="utf-8")
    code, out, _ = run(capsys, config, "plan", "load", str(path), "--retire")
    assert code == 0
    assert "giữ nguyên" not in out
    assert out.splitlines()[-1] == "  nhiệm vụ T1 (kỳ Tháng 2/2024): 1 báo cáo"


def test_copy_writes_next_years_file_that_loads(config, capsys, tmp_path):
    source = tmp_path / "cua-lo-2024.toml"
    source.write_text((PLANS / "cua-lo-2024.toml").read_text(encoding="utf-8"), encoding="utf-8")
    run(capsys, config, "plan", "load", str(source))
    code, out, err = run(
        capsys, config, "plan", "copy", "cua-lo-2024", "cua-lo-2025", "--year", "2025",
        "--from", str(source),
    )  # fmt: skip
    assert (code, err) == (0, "")
    new = tmp_path / "cua-lo-2025.toml"
    assert out.startswith(f"Đã ghi {new}: kế hoạch cua-lo-2025 năm 2025, ")
    old_spec, new_spec = read_plan_file(source), read_plan_file(new)
    assert [u.code for u in new_spec.units] == [u.code for u in old_spec.units]
    assert [(t.code, t.lead, t.support) for t in new_spec.tasks] == [
        (t.code, t.lead, t.support) for t in old_spec.tasks
    ]
    for old, copied in zip(old_spec.tasks, new_spec.tasks, strict=True):
        if old.schedule.due is not None:
            assert copied.schedule.due.year == old.schedule.due.year + 1
    assert "2025" in new_spec.title and "2024" not in new_spec.title
    code, out, _ = run(capsys, config, "plan", "load", str(new))
    assert code == 0 and out.startswith("Đã nạp kế hoạch cua-lo-2025")
    with Session(_engine(config)) as session:
        assert sorted(p.code for p in session.exec(select(Plan))) == ["cua-lo-2024", "cua-lo-2025"]


def test_copy_moves_explicit_years_and_dates_and_drops_the_issue_date():
    from scheduler.plan_copy import copy_plan_text

    text = (
        '[plan]\ncode = "a-2024"\ntitle = "Kế hoạch năm 2024"\nyear = 2024\n'
        "issued = 2024-01-10\n\n[[tasks]]\n"
        'code = "T1"\nwhen = "trước ngày 15/01/2024"  # ghi chú\ndue = 2024-02-29\n'
    )
    assert copy_plan_text(text, "a-2025", 2024, 2025) == (
        '[plan]\ncode = "a-2025"\ntitle = "Kế hoạch năm 2025"\nyear = 2025\n\n[[tasks]]\n'
        'code = "T1"\nwhen = "trước ngày 15/01/2025"  # ghi chú\ndue = 2025-02-28\n'
    )


def test_copy_refuses_a_code_in_use_and_an_existing_file(config, capsys, tmp_path):
    path = _plan_file(tmp_path)
    run(capsys, config, "plan", "load", str(path))
    code, _, err = run(
        capsys, config, "plan", "copy", "thu-nghiem-2024", "thu-nghiem-2024", "--year", "2025"
    )
    assert code == 1 and "Đã có kế hoạch mã thu-nghiem-2024" in err
    _plan_file(tmp_path, name="thu-nghiem-2025")
    code, _, err = run(
        capsys, config, "plan", "copy", "thu-nghiem-2024", "thu-nghiem-2025", "--year", "2025",
        "--from", str(path),
    )  # fmt: skip
    assert code == 1 and "không ghi đè" in err


def test_an_archived_plan_sends_nothing_and_is_listed_archived(config, capsys, tmp_path):
    path = _plan_file(tmp_path)
    run(capsys, config, "plan", "load", str(path))
    engine = _engine(config)
    with Session(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == "NV")).one()
        session.add(
            Chat(
                platform="telegram",
                chat_id="-5",
                kind="group",
                purpose="unit",
                unit_id=unit.id,
                created_at=CLOCK.now() - timedelta(days=30),
            )
        )
        session.add(
            Chat(
                platform="telegram",
                chat_id="-9",
                kind="group",
                purpose="leadership",
                created_at=CLOCK.now() - timedelta(days=30),
            )
        )
        session.commit()
        assert materialize(session, CLOCK.now(), WorkCalendar(), PolicyBook()) > 0
        session.commit()
    code, out, _ = run(capsys, config, "plan", "archive", "thu-nghiem-2024")
    assert code == 0 and out.startswith("Đã lưu trữ kế hoạch thu-nghiem-2024")
    with Session(engine) as session:
        states = {r.state for r in session.exec(select(Reminder))}
        assert ReminderState.PENDING not in states
        later = CLOCK.now() + timedelta(days=3)
        assert materialize(session, later, WorkCalendar(), PolicyBook()) == 0
        leaders = [
            (c, None) for c in session.exec(select(Chat).where(Chat.purpose == "leadership"))
        ]
        trigger = CronTrigger(day_of_week="mon", hour=8)
        assert weekly_summaries(session, WorkCalendar(), trigger, [later], leaders) == []
    code, out, _ = run(capsys, config, "plan", "list")
    assert out.split("  ")[2] == "2 nhiệm vụ, đã lưu trữ"
    code, out, _ = run(capsys, config, "plan", "show", "thu-nghiem-2024")
    assert code == 0 and "T1. Thành lập Tổ truyền thông" in out
