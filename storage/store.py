"""``SqlStore``: the chat core's Store (``bot.core.store.Store``) on SQLModel sessions.

Each method is one short transaction, so the core can run in a thread per update on
several processes at once against one database: uniqueness is left to the database
(a report's source message, an invite's single use), never to a check-then-write.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage import entry_queries, invites
from storage.admin_store import AdminStore
from storage.engine import session_scope
from storage.evidence import add_evidence, task_evidence
from storage.extensions import ExtensionStore
from storage.history import EvidenceRecord
from storage.models import (
    AuditLog,
    Chat,
    ChatPurpose,
    Conversation,
    FailedCode,
    InviteCode,
    Member,
    Occurrence,
    Plan,
    Report,
    Role,
    Task,
    Unit,
    UnitGroupMember,
)
from storage.progress import Entry, PlanProgress, UnitRef
from storage.progress_queries import plan_progress
from storage.records import (
    EventOutcome,
    EventRequest,
    FlowState,
    Invite,
    LoadResult,
    Membership,
    RedeemResult,
    Redemption,
    ReportDraft,
    ReportView,
    TaskDetail,
)
from storage.summary import PlanSummary
from storage.summary_queries import plan_summary
from storage.task_details import task_details

logger = logging.getLogger(__name__)


def _report_view(session: Session, report: Report) -> ReportView:
    occurrence = session.get(Occurrence, report.occurrence_id)
    task = session.get(Task, occurrence.task_id) if occurrence else None
    plan = session.get(Plan, task.plan_id) if task else None
    unit = session.get(Unit, report.unit_id)
    assert occurrence and task and plan and unit and report.id is not None
    return ReportView(
        report_id=report.id,
        plan_code=plan.code,
        task_code=task.code,
        task_title=task.title,
        period=occurrence.period,
        due_at=occurrence.due_at,
        unit_name=unit.name,
        status=report.status,
        percent=report.percent,
        note=report.note,
        evidence_count=len(json.loads(report.evidence or "[]")),
        late=report.late,
        created_at=report.created_at,
    )


PlanLoader = Callable[[Session, Any, datetime, str], LoadResult]
"""Loads a checked plan file into the session (``scheduler.planload.load_plan``)."""

EventRecorder = Callable[[Session, Plan, EventRequest], EventOutcome]
"""Records a task's event in the session (``scheduler.events.record_or_refuse``)."""


class SqlStore(AdminStore, ExtensionStore):
    """The Store of the chat core on one SQLAlchemy engine (SQLite or PostgreSQL)."""

    def __init__(
        self,
        engine: Engine,
        plan_loader: PlanLoader | None = None,
        event_recorder: EventRecorder | None = None,
    ) -> None:
        self.engine = engine
        # Loading a plan is the scheduler's work (its timetable); storage imports nothing
        # above it, so whoever builds the store for the chat hands the loader in. So too
        # for recording an event, which gives the task its new deadline.
        self.plan_loader = plan_loader
        self.event_recorder = event_recorder

    def bound_to(self, connection: Connection) -> SqlStore:
        """The same store, writing into ``connection``'s transaction."""
        return SqlStore(connection, self.plan_loader, self.event_recorder)  # type: ignore[arg-type]

    # -- chats and people ------------------------------------------------------------

    def chat(self, platform: str, chat_id: str) -> Chat | None:
        with session_scope(self.engine) as session:
            return session.exec(
                select(Chat).where(Chat.platform == platform, Chat.chat_id == chat_id)
            ).first()

    def unit(self, unit_id: int) -> Unit | None:
        with session_scope(self.engine) as session:
            return session.get(Unit, unit_id)

    def memberships(self, platform: str, user_id: str) -> list[Membership]:
        with session_scope(self.engine) as session:
            rows = session.exec(
                select(Member)
                .where(Member.platform == platform, Member.user_id == user_id, Member.active)
                .order_by(col(Member.id))
            ).all()
            result = []
            for member in rows:
                unit = session.get(Unit, member.unit_id) if member.unit_id else None
                plan_id = unit.plan_id if unit else member.plan_id
                result.append(
                    Membership(member, unit, session.get(Plan, plan_id) if plan_id else None)
                )
            return result

    def set_language(
        self, platform: str, chat_id: str, kind: str, language: str, now: datetime
    ) -> bool:
        """Keep ``language`` for the chat; a private chat seen for the first time is added.
        False when the chat is a group the bot does not know (it must register first)."""
        with session_scope(self.engine) as session:
            chat = session.exec(
                select(Chat).where(Chat.platform == platform, Chat.chat_id == chat_id)
            ).first()
            if chat is None:
                if kind != "private":
                    return False
                chat = Chat(
                    platform=platform,
                    chat_id=chat_id,
                    kind=kind,
                    purpose=ChatPurpose.PRIVATE,
                    created_at=now,
                )
            chat.language = language
            session.add(chat)
            return True

    def deactivate_chat(self, platform: str, chat_id: str) -> bool:
        """The bot was removed from the chat (or blocked): no more messages go there."""
        with session_scope(self.engine) as session:
            chat = session.exec(
                select(Chat).where(Chat.platform == platform, Chat.chat_id == chat_id)
            ).first()
            if chat is None:
                return False
            chat.active = False
            session.add(chat)
            return True

    def reactivate_chat(self, platform: str, chat_id: str) -> bool:
        """The bot is back in a chat it had left (re-added, unblocked): messages go there
        again, under the registration the chat had."""
        with session_scope(self.engine) as session:
            chat = session.exec(
                select(Chat).where(Chat.platform == platform, Chat.chat_id == chat_id)
            ).first()
            if chat is None or chat.active:
                return False
            chat.active = True
            session.add(chat)
            return True

    def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> bool:
        """A group got a new id (Telegram's upgrade to a supergroup): keep everything."""
        with session_scope(self.engine) as session:
            chat = session.exec(
                select(Chat).where(Chat.platform == platform, Chat.chat_id == old_chat_id)
            ).first()
            if chat is None:
                return False
            chat.chat_id = new_chat_id
            session.add(chat)
            for flow in session.exec(
                select(Conversation).where(
                    Conversation.platform == platform, Conversation.chat_id == old_chat_id
                )
            ):
                flow.chat_id = new_chat_id
                session.add(flow)
            return True

    # -- invite codes ----------------------------------------------------------------

    def invite(self, code: str) -> Invite | None:
        with session_scope(self.engine) as session:
            return invites.find_invite(session, code)

    def create_invite(
        self,
        role: Role,
        now: datetime,
        expires_at: datetime,
        unit_id: int | None = None,
        plan_id: int | None = None,
        uses: int = 1,
    ) -> InviteCode:
        with session_scope(self.engine) as session:
            return invites.create_invite(session, role, now, expires_at, unit_id, plan_id, uses)

    def failed_codes(self, platform: str, user_id: str, since: datetime) -> list[datetime]:
        with session_scope(self.engine) as session:
            return list(
                session.exec(
                    select(FailedCode.at)
                    .where(
                        FailedCode.platform == platform,
                        FailedCode.user_id == user_id,
                        FailedCode.at >= since,
                    )
                    .order_by(col(FailedCode.at))
                ).all()
            )

    def record_failed_code(self, platform: str, user_id: str, at: datetime) -> None:
        with session_scope(self.engine) as session:
            session.add(FailedCode(platform=platform, user_id=user_id, at=at))

    def redeem(self, request: Redemption) -> RedeemResult:
        with session_scope(self.engine) as session:
            return invites.redeem(session, request)

    # -- plans and progress ----------------------------------------------------------

    def plans(self) -> list[Plan]:
        with session_scope(self.engine) as session:
            query = select(Plan).order_by(col(Plan.year).desc(), col(Plan.code))
            return list(session.exec(query).all())

    def units_by_code(self, code: str) -> list[tuple[Unit, Plan]]:
        with session_scope(self.engine) as session:
            rows = session.exec(
                select(Unit, Plan)
                .join(Plan, col(Plan.id) == Unit.plan_id)
                .where(Unit.code == code)
            ).all()
            return [(unit, plan) for unit, plan in rows]

    def group_members(self, group_id: int) -> list[Unit]:
        """The units a group of the plan lists (empty: the group counts as one unit)."""
        with session_scope(self.engine) as session:
            return list(
                session.exec(
                    select(Unit)
                    .join(UnitGroupMember, col(UnitGroupMember.unit_id) == Unit.id)
                    .where(UnitGroupMember.group_id == group_id)
                    .order_by(Unit.code)
                ).all()
            )

    def progress(self, plan_id: int, now: datetime) -> PlanProgress:
        with session_scope(self.engine) as session:
            return plan_progress(session, plan_id, now)

    def entries(
        self, plan_id: int, unit_ids: list[int] | None, now: datetime, task_code: str | None = None
    ) -> list[Entry]:
        with session_scope(self.engine) as session:
            return entry_queries.entries(
                session, plan_id, now, unit_ids=unit_ids, task_code=task_code
            )

    def task_owners(self, plan_id: int, task_code: str) -> list[UnitRef] | None:
        with session_scope(self.engine) as session:
            return entry_queries.task_owners(session, plan_id, task_code)

    def summary(self, plan_id: int, now: datetime, limit: int = 20) -> PlanSummary:
        with session_scope(self.engine) as session:
            return plan_summary(session, plan_id, now, limit)

    def task_details(
        self, plan_id: int, task_ids: Collection[int] | None = None, *, waiting: bool = False
    ) -> list[TaskDetail]:
        with session_scope(self.engine) as session:
            return task_details(session, plan_id, task_ids, waiting=waiting)

    def record_event(self, request: EventRequest) -> EventOutcome:
        if self.event_recorder is None:
            raise RuntimeError("this store was built without an event recorder")
        with session_scope(self.engine) as session:
            plan = session.get(Plan, request.plan_id)
            assert plan is not None
            return self.event_recorder(session, plan, request)

    # -- reports ---------------------------------------------------------------------

    def report_from_message(
        self, platform: str, chat_id: str, message_id: str
    ) -> ReportView | None:
        with session_scope(self.engine) as session:
            report = session.exec(
                select(Report).where(
                    Report.platform == platform,
                    Report.source_chat_id == chat_id,
                    Report.source_message_id == message_id,
                )
            ).first()
            return _report_view(session, report) if report else None

    def record_report(self, draft: ReportDraft) -> tuple[ReportView, bool]:
        """Store the report; the same source message again stores nothing and returns
        the report it made the first time, with False."""
        existing = self.report_from_message(
            draft.platform, draft.source_chat_id, draft.source_message_id
        )
        if existing is not None:
            return existing, False
        try:
            with session_scope(self.engine) as session:
                report = Report(
                    occurrence_id=draft.occurrence_id,
                    unit_id=draft.unit_id,
                    member_id=draft.member_id,
                    status=draft.status,
                    percent=draft.percent,
                    note=draft.note,
                    evidence=json.dumps(draft.evidence, ensure_ascii=False),
                    late=draft.late,
                    created_at=draft.created_at,
                    platform=draft.platform,
                    source_chat_id=draft.source_chat_id,
                    source_message_id=draft.source_message_id,
                )
                session.add(report)
                session.flush()
                assert report.id is not None
                add_evidence(session, report.id, draft.platform, draft.evidence)
                return _report_view(session, report), True
        except IntegrityError:
            # Another process stored the same message a moment ago.
            existing = self.report_from_message(
                draft.platform, draft.source_chat_id, draft.source_message_id
            )
            if existing is None:
                raise
            return existing, False

    def task_evidence(self, plan_id: int, task_code: str) -> list[EvidenceRecord]:
        with session_scope(self.engine) as session:
            return task_evidence(session, plan_id, task_code)

    # -- guided flows ----------------------------------------------------------------

    def _flow_row(
        self, session: Session, platform: str, chat_id: str, user_id: str
    ) -> Conversation | None:
        return session.exec(
            select(Conversation).where(
                Conversation.platform == platform,
                Conversation.chat_id == chat_id,
                Conversation.user_id == user_id,
            )
        ).first()

    def load_plan(self, spec: Any, now: datetime, actor: str) -> LoadResult:
        """Load (or update) a checked plan, as ``nhacviec plan load`` does."""
        if self.plan_loader is None:
            raise RuntimeError("this store was built without a plan loader")
        with session_scope(self.engine) as session:
            return self.plan_loader(session, spec, now, actor)

    def load_flow(self, platform: str, chat_id: str, user_id: str) -> FlowState | None:
        with session_scope(self.engine) as session:
            row = self._flow_row(session, platform, chat_id, user_id)
            if row is None:
                return None
            return FlowState(row.step, json.loads(row.data), row.updated_at)

    def save_flow(
        self, platform: str, chat_id: str, user_id: str, state: FlowState, now: datetime
    ) -> None:
        try:
            with session_scope(self.engine) as session:
                row = self._flow_row(session, platform, chat_id, user_id) or Conversation(
                    platform=platform, chat_id=chat_id, user_id=user_id, step="", updated_at=now
                )
                row.step, row.updated_at = state.step, now
                row.data = json.dumps(state.data, ensure_ascii=False)
                session.add(row)
        except IntegrityError:
            # Two messages of the same person raced to start a flow: the later one wins.
            with session_scope(self.engine) as session:
                existing = self._flow_row(session, platform, chat_id, user_id)
                assert existing is not None
                existing.step, existing.updated_at = state.step, now
                existing.data = json.dumps(state.data, ensure_ascii=False)
                session.add(existing)

    def drop_flow(self, platform: str, chat_id: str, user_id: str) -> bool:
        with session_scope(self.engine) as session:
            result = session.connection().execute(
                delete(Conversation).where(
                    col(Conversation.platform) == platform,
                    col(Conversation.chat_id) == chat_id,
                    col(Conversation.user_id) == user_id,
                )
            )
            return bool(result.rowcount)

    def drop_idle_flows(self, before: datetime) -> int:
        with session_scope(self.engine) as session:
            result = session.connection().execute(
                delete(Conversation).where(col(Conversation.updated_at) < before)
            )
            return int(result.rowcount or 0)

    # -- audit -----------------------------------------------------------------------

    def audit(
        self,
        at: datetime,
        platform: str,
        actor: str,
        chat: str | None,
        action: str,
        detail: str | None = None,
    ) -> None:
        with session_scope(self.engine) as session:
            session.add(
                AuditLog(
                    at=at,
                    platform=platform,
                    actor=actor[:64],
                    chat=chat[:64] if chat else None,
                    action=action[:64],
                    detail=detail,
                )
            )
