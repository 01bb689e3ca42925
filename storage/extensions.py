"""The extension part of ``SqlStore``: a unit asks to move its deadline of one occurrence
(*xin gia hạn*), a coordinator or an operator accepts or refuses it, and an accepted one
becomes the unit's own deadline (``DueOverride``), which the entries, the summaries and
the reminders then follow.

Kept apart from ``storage.store`` so that file stays readable; ``SqlStore`` inherits it.
Every method is one transaction, as the Store protocol (``bot.core.store``) asks.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, or_, select

from storage.engine import session_scope
from storage.models import (
    DueOverride,
    ExtensionRequest,
    ExtensionStatus,
    Member,
    Occurrence,
    Plan,
    Role,
    Task,
    Unit,
)
from storage.records import ExtensionAsk, ExtensionView


def _view(session: Session, request: ExtensionRequest) -> ExtensionView:
    occurrence = session.get(Occurrence, request.occurrence_id)
    assert occurrence is not None and request.id is not None
    task = session.get(Task, occurrence.task_id)
    assert task is not None
    plan = session.get(Plan, task.plan_id)
    unit = session.get(Unit, request.unit_id)
    assert plan is not None and plan.id is not None and unit is not None
    own = session.exec(
        select(DueOverride.due_at).where(
            DueOverride.occurrence_id == request.occurrence_id,
            DueOverride.unit_id == request.unit_id,
        )
    ).first()
    return ExtensionView(
        id=request.id,
        plan_id=plan.id,
        plan_code=plan.code,
        task_code=task.code,
        task_title=task.title,
        period=occurrence.period,
        unit_name=unit.name,
        due_at=own or occurrence.due_at,
        wanted_due_at=request.wanted_due_at,
        reason=request.reason,
        status=request.status,
        platform=request.platform,
        chat_id=request.chat_id,
        display_name=request.display_name,
        answer=request.answer,
    )


class ExtensionStore:
    """Extension requests on one engine (``self.engine``, set by ``SqlStore``)."""

    engine: Engine

    def ask_extension(self, ask: ExtensionAsk) -> ExtensionView:
        with session_scope(self.engine) as session:
            request = ExtensionRequest(
                occurrence_id=ask.occurrence_id,
                unit_id=ask.unit_id,
                wanted_due_at=ask.wanted_due_at,
                reason=ask.reason,
                status=ExtensionStatus.PENDING,
                platform=ask.platform,
                chat_id=ask.chat_id,
                user_id=ask.user_id,
                display_name=ask.display_name,
                created_at=ask.created_at,
            )
            session.add(request)
            session.flush()
            return _view(session, request)

    def extension(self, extension_id: int) -> ExtensionView | None:
        with session_scope(self.engine) as session:
            request = session.get(ExtensionRequest, extension_id)
            return _view(session, request) if request is not None else None

    def decide_extension(
        self, extension_id: int, accepted: bool, by: str, now: datetime, answer: str | None
    ) -> ExtensionView | None:
        with session_scope(self.engine) as session:
            request = session.get(ExtensionRequest, extension_id)
            if request is None or request.status != ExtensionStatus.PENDING:
                return None
            request.status = ExtensionStatus.ACCEPTED if accepted else ExtensionStatus.REFUSED
            request.decided_by, request.decided_at, request.answer = by[:64], now, answer
            session.add(request)
            if accepted:
                # A new row each time: its id versions the unit's reminders for the new
                # date (``scheduler.outbox``), so a second extension plans them again.
                old = session.exec(
                    select(DueOverride).where(
                        DueOverride.occurrence_id == request.occurrence_id,
                        DueOverride.unit_id == request.unit_id,
                    )
                ).first()
                if old is not None:
                    session.delete(old)
                    session.flush()
                session.add(
                    DueOverride(
                        occurrence_id=request.occurrence_id,
                        unit_id=request.unit_id,
                        due_at=request.wanted_due_at,
                        extension_id=request.id,
                        set_at=now,
                    )
                )
                session.flush()
            return _view(session, request)

    def plan_coordinators(self, plan_id: int, platform: str) -> list[str]:
        """The user ids of the active coordinators who follow the plan on ``platform``."""
        with session_scope(self.engine) as session:
            return list(
                session.exec(
                    select(Member.user_id)
                    .where(
                        Member.platform == platform,
                        Member.role == Role.COORDINATOR,
                        col(Member.active).is_(True),
                        or_(col(Member.plan_id).is_(None), Member.plan_id == plan_id),
                    )
                    .distinct()
                    .order_by(col(Member.user_id))
                ).all()
            )
