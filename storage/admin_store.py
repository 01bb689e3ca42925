"""The administration part of ``SqlStore``: a unit's officers and groups, removing an
officer, the open invite codes and revoking one, and admitting a colleague who wrote in
the unit's group (``Admission``).

Kept apart from ``storage.store`` so that file stays readable; ``SqlStore`` inherits it.
Every method is one transaction, as the Store protocol (``bot.core.store``) asks.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from storage import invites
from storage.engine import session_scope
from storage.models import Admission, Chat, ChatPurpose, InviteCode, Member, Role


class AdminStore:
    """Administration on one engine (``self.engine``, set by ``SqlStore``)."""

    engine: Engine

    def unit_officers(self, unit_id: int) -> list[Member]:
        with session_scope(self.engine) as session:
            return list(
                session.exec(
                    select(Member)
                    .where(Member.unit_id == unit_id, Member.role == Role.MEMBER, Member.active)
                    .order_by(col(Member.id))
                ).all()
            )

    def unit_chats(self, unit_id: int) -> list[Chat]:
        with session_scope(self.engine) as session:
            return list(
                session.exec(
                    select(Chat)
                    .where(Chat.unit_id == unit_id, Chat.purpose == ChatPurpose.UNIT, Chat.active)
                    .order_by(col(Chat.id))
                ).all()
            )

    def remove_officer(self, member_id: int) -> Member | None:
        """The officer is no longer registered (their reports stay); None if there is no
        active officer of that number."""
        with session_scope(self.engine) as session:
            member = session.get(Member, member_id)
            if member is None or not member.active or member.role != Role.MEMBER:
                return None
            member.active = False
            session.add(member)
            return member

    def open_invites(self, now: datetime) -> list[invites.Invite]:
        """Codes that may still be used: not revoked, not used up, not expired."""
        with session_scope(self.engine) as session:
            rows = session.exec(
                select(InviteCode)
                .where(
                    col(InviteCode.revoked_at).is_(None),
                    col(InviteCode.used_count) < col(InviteCode.uses),
                    col(InviteCode.expires_at) > now,
                )
                .order_by(col(InviteCode.id))
            ).all()
            return [found for row in rows if (found := invites.find_invite(session, row.code))]

    def revoke_invite(self, code: str, now: datetime) -> invites.Invite | None:
        """Withdraw the code (already revoked: unchanged); None if there is no such code."""
        with session_scope(self.engine) as session:
            found = invites.find_invite(session, code)
            if found is None:
                return None
            if found.invite.revoked_at is None:
                found.invite.revoked_at = now
                session.add(found.invite)
                session.flush()
            return found

    def ask_admission(
        self,
        platform: str,
        user_id: str,
        display_name: str,
        unit_id: int,
        chat_id: str,
        now: datetime,
    ) -> Admission | None:
        """Note that this person asks to join the unit; None if they had asked already."""
        try:
            with session_scope(self.engine) as session:
                exists = session.exec(
                    select(Admission.id).where(
                        Admission.platform == platform,
                        Admission.user_id == user_id,
                        Admission.unit_id == unit_id,
                    )
                ).first()
                if exists is not None:
                    return None
                admission = Admission(
                    platform=platform,
                    user_id=user_id,
                    display_name=display_name,
                    unit_id=unit_id,
                    chat_id=chat_id,
                    asked_at=now,
                )
                session.add(admission)
                session.flush()
                return admission
        except IntegrityError:  # the same person's two messages, on two processes
            return None

    def pending_admissions(self, unit_id: int) -> list[Admission]:
        with session_scope(self.engine) as session:
            return list(
                session.exec(
                    select(Admission)
                    .where(Admission.unit_id == unit_id, col(Admission.decided_at).is_(None))
                    .order_by(col(Admission.id))
                ).all()
            )

    def admit(self, admission_id: int, by_member_id: int | None, now: datetime) -> Member | None:
        """Make the person of a pending admission an officer of its unit; None if it is
        not pending (admitted already by a colleague)."""
        with session_scope(self.engine) as session:
            admission = session.get(Admission, admission_id)
            if admission is None or admission.decided_at is not None:
                return None
            admission.decided_at, admission.decided_by_id = now, by_member_id
            session.add(admission)
            member = session.exec(
                select(Member).where(
                    Member.platform == admission.platform,
                    Member.user_id == admission.user_id,
                    Member.unit_id == admission.unit_id,
                    Member.role == Role.MEMBER,
                )
            ).first() or Member(
                platform=admission.platform,
                user_id=admission.user_id,
                display_name=admission.display_name,
                role=Role.MEMBER,
                unit_id=admission.unit_id,
                created_at=now,
            )
            member.active = True
            session.add(member)
            session.flush()
            return member
