"""Reloads that lose nothing: a reload that would detach reports, officers or reminders is
refused with nothing written, unless the operator maps the codes (rename) or retires them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, select

from scheduler.planfile import parse_plan
from scheduler.planload import load_plan
from scheduler.reload_guard import ReloadOptions, ReloadRefused
from storage.models import AuditLog, Chat, Member, Occurrence, Plan, Reminder, Report, Task, Unit
from tests.test_planfile import GOOD

NOW = datetime(2024, 2, 26, 1, 0, tzinfo=UTC)
T1_RENAMED = GOOD.replace('code = "T1"', 'code = "T1a"')
NV_RENAMED = GOOD.replace('code = "NV"', 'code = "NOIVU"').replace('["NV"]', '["NOIVU"]')
T1_IN_MARCH = GOOD.replace('when = "Tháng 2"', 'when = "Tháng 3"')


def _load(engine, text: str, options: ReloadOptions | None = None):
    with Session(engine) as session:
        result = load_plan(session, parse_plan(text.encode(), "x"), NOW, options=options)
        session.commit()
        return result


def _world(engine) -> None:
    """GOOD loaded, NV reported 50% on T1 (Tháng 2/2024), an officer of NV, a reminder."""
    _load(engine, GOOD)
    with Session(engine) as session:
        occurrence = session.exec(
            select(Occurrence).where(Occurrence.period == "Tháng 2/2024")
        ).one()
        unit = session.exec(select(Unit).where(Unit.code == "NV")).one()
        member = Member(
            platform="telegram",
            user_id="7",
            display_name="Chị Hoa",
            role="member",
            unit_id=unit.id,
            created_at=NOW,
        )
        session.add(member)
        session.flush()
        session.add(
            Report(
                occurrence_id=occurrence.id,
                unit_id=unit.id,
                member_id=member.id,
                status="in_progress",
                percent=50,
                created_at=NOW,
                platform="telegram",
                source_chat_id="7",
                source_message_id="1",
            )
        )
        session.commit()


def _snapshot(engine) -> dict:
    with Session(engine) as session:
        return {
            "plan": [
                (p.code, p.year, p.issuer, p.source_hash) for p in session.exec(select(Plan))
            ],
            "tasks": sorted((t.code, t.active) for t in session.exec(select(Task))),
            "units": sorted(u.code for u in session.exec(select(Unit))),
            "periods": sorted((o.period, o.active) for o in session.exec(select(Occurrence))),
            "members": [(m.unit_id, m.active) for m in session.exec(select(Member))],
            "reports": [(r.occurrence_id, r.unit_id) for r in session.exec(select(Report))],
            "audit": len(session.exec(select(AuditLog)).all()),
        }


def _refusal(engine, text: str, options: ReloadOptions | None = None) -> list[str]:
    before = _snapshot(engine)
    with pytest.raises(ReloadRefused) as refused:
        _load(engine, text, options)
    assert _snapshot(engine) == before
    return refused.value.problems


def _report_task(engine) -> tuple[str, str, bool]:
    with Session(engine) as session:
        report = session.exec(select(Report)).one()
        occurrence = session.get(Occurrence, report.occurrence_id)
        task = session.get(Task, occurrence.task_id)
        return task.code, occurrence.period, task.active and occurrence.active


def test_another_year_under_the_same_code_is_refused(engine):
    _world(engine)
    assert _refusal(engine, GOOD.replace("year = 2024", "year = 2025")) == [
        "mã thu-nghiem-2024 đã dùng cho kế hoạch năm 2024 của UBND thị xã Cửa Lò; tệp này là "
        "năm 2025 của UBND thị xã Cửa Lò. Hãy đặt mã mới cho kế hoạch mới "
        "(nhacviec plan copy thu-nghiem-2024 MÃ-MỚI --year 2025)"
    ]


def test_another_issuer_under_the_same_code_is_refused(engine):
    _world(engine)
    (problem,) = _refusal(engine, GOOD.replace("UBND thị xã Cửa Lò", "UBND huyện Long Hồ"))
    assert "của UBND huyện Long Hồ" in problem


def test_a_renamed_task_with_reports_is_refused(engine):
    _world(engine)
    assert _refusal(engine, T1_RENAMED) == ["nhiệm vụ T1 (kỳ Tháng 2/2024): 1 báo cáo"]


def test_a_renamed_unit_with_an_officer_and_reports_is_refused(engine):
    _world(engine)
    assert _refusal(engine, NV_RENAMED) == ["đơn vị NV (Phòng Nội vụ): 1 báo cáo, 1 cán bộ"]


def test_a_dropped_period_with_a_report_and_a_reminder_is_refused(engine):
    _world(engine)
    with Session(engine) as session:
        occurrence = session.exec(
            select(Occurrence).where(Occurrence.period == "Tháng 2/2024")
        ).one()
        chat = Chat(
            platform="telegram", chat_id="7", kind="private", purpose="private", created_at=NOW
        )
        session.add(chat)
        session.flush()
        session.add(
            Reminder(
                dedupe_key="u:x",
                chat_id=chat.id,
                occurrence_id=occurrence.id,
                kind="lead",
                step="before-3",
                due_at=NOW,
            )
        )
        session.commit()
    assert _refusal(engine, T1_IN_MARCH) == [
        "nhiệm vụ T1: kỳ Tháng 2/2024 không còn trong tệp: 1 báo cáo, 1 lời nhắc"
    ]


def test_a_wrong_rename_is_refused(engine):
    _world(engine)
    assert _refusal(engine, T1_RENAMED, ReloadOptions({"T9": "T1a", "T1": "T7"})) == [
        "--rename T9: kế hoạch không có nhiệm vụ hay đơn vị mã T9",
        "--rename T1=T7: tệp mới không có mã T7",
    ]


def test_a_rename_keeps_every_report_on_the_task(engine):
    _world(engine)
    result = _load(engine, T1_RENAMED, ReloadOptions({"T1": "T1a"}))
    assert result.changes and result.changes.renamed == ("T1 → T1a",)
    assert _report_task(engine) == ("T1a", "Tháng 2/2024", True)
    with Session(engine) as session:
        assert sorted(t.code for t in session.exec(select(Task))) == ["T1a", "T2"]


def test_a_unit_rename_keeps_its_officer_and_reports(engine):
    _world(engine)
    _load(engine, NV_RENAMED, ReloadOptions({"NV": "NOIVU"}))
    with Session(engine) as session:
        member = session.exec(select(Member)).one()
        assert session.get(Unit, member.unit_id).code == "NOIVU" and member.active
        report = session.exec(select(Report)).one()
        assert report.unit_id == member.unit_id


def test_retiring_keeps_the_reports_and_says_what_it_let_go(engine):
    _world(engine)
    result = _load(engine, T1_RENAMED, ReloadOptions(retire=True))
    assert result.changes and result.changes.retired == (
        "nhiệm vụ T1 (kỳ Tháng 2/2024): 1 báo cáo",
    )
    assert _report_task(engine) == ("T1", "Tháng 2/2024", False)
    with Session(engine) as session:
        assert session.exec(select(Task).where(Task.code == "T1a")).one().active
        audit = session.exec(select(AuditLog).order_by(col(AuditLog.id).desc())).first()
        assert audit.detail.endswith("; nhiệm vụ T1 (kỳ Tháng 2/2024): 1 báo cáo")


def test_retiring_a_unit_unregisters_its_officers(engine):
    _world(engine)
    _load(engine, NV_RENAMED, ReloadOptions(retire=True))
    with Session(engine) as session:
        assert [m.active for m in session.exec(select(Member))] == [False]
        assert len(session.exec(select(Report)).all()) == 1


def test_a_change_that_detaches_nothing_needs_no_option(engine):
    _load(engine, GOOD)
    result = _load(engine, T1_RENAMED)
    assert result.updated and result.changes and not result.changes.retired
