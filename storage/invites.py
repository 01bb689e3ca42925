"""Invite codes: made by an operator, redeemed by the person (or group) they admit, once
or, for a code made for several officers, up to its ``uses``; an operator may revoke one.

A code is eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), so it
can be read out over the phone; it is matched without regard to case, spaces or dashes.
Redeeming is one transaction: the code's use is counted by a guarded UPDATE (``WHERE
used_count < uses``), so two people typing the last use of a code at once, on two bot
processes, cannot both get in.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import Chat, ChatPurpose, InviteCode, Member, Plan, Role, Unit
from storage.records import Invite, RedeemResult, RedeemStatus, Redemption

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class _Taken(Exception):
    """The code was used by someone else between our read and our write."""


def normalize_code(text: str) -> str:
    """``k7qm-3xpa`` -> ``K7QM3XPA``."""
    return re.sub(r"[\s\-_.]", "", text).upper()


def create_invite(
    session: Session,
    role: Role,
    now: datetime,
    expires_at: datetime,
    unit_id: int | None = None,
    plan_id: int | None = None,
    uses: int = 1,
) -> InviteCode:
    """A new unused code, good for ``uses`` people; the caller commits."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if session.exec(select(InviteCode.id).where(InviteCode.code == code)).first() is None:
            break
    invite = InviteCode(
        code=code,
        role=role,
        unit_id=unit_id,
        plan_id=plan_id,
        created_at=now,
        expires_at=expires_at,
        uses=uses,
    )
    session.add(invite)
    session.flush()
    return invite


def find_invite(session: Session, code: str) -> Invite | None:
    """The invite of ``code`` with its unit and plan; None when there is no such code."""
    invite = session.exec(
        select(InviteCode).where(InviteCode.code == normalize_code(code))
    ).first()
    if invite is None:
        return None
    unit = session.get(Unit, invite.unit_id) if invite.unit_id else None
    plan_id = unit.plan_id if unit else invite.plan_id
    plan = session.get(Plan, plan_id) if plan_id else None
    return Invite(invite, unit, plan)


def _existing_member(session: Session, request: Redemption, invite: InviteCode) -> Member | None:
    query = select(Member).where(
        Member.platform == request.platform,
        Member.user_id == request.user_id,
        Member.role == invite.role,
    )
    unit, plan = col(Member.unit_id), col(Member.plan_id)
    query = query.where(unit == invite.unit_id if invite.unit_id else unit.is_(None))
    if invite.role == Role.COORDINATOR:
        query = query.where(plan == invite.plan_id if invite.plan_id else plan.is_(None))
    return session.exec(query).first()


def _bind_chat(session: Session, request: Redemption) -> Chat:
    binding = request.chat
    chat = session.exec(
        select(Chat).where(Chat.platform == request.platform, Chat.chat_id == binding.chat_id)
    ).first()
    if chat is None:
        chat = Chat(
            platform=request.platform,
            chat_id=binding.chat_id,
            kind=binding.kind,
            purpose=binding.purpose,
            created_at=request.now,
        )
    chat.kind, chat.purpose, chat.unit_id = binding.kind, binding.purpose, binding.unit_id
    chat.title = binding.title if binding.title is not None else chat.title
    chat.active = True
    session.add(chat)
    session.flush()
    return chat


def _same_binding(session: Session, request: Redemption) -> bool:
    if request.chat.purpose == ChatPurpose.PRIVATE:
        return True
    chat = session.exec(
        select(Chat).where(Chat.platform == request.platform, Chat.chat_id == request.chat.chat_id)
    ).first()
    return chat is not None and (chat.purpose, chat.unit_id) == (
        request.chat.purpose,
        request.chat.unit_id,
    )


def _chat_taken(session: Session, request: Redemption) -> RedeemResult | None:
    """A group already bound (and active) to another unit or purpose is not rebound."""
    if request.chat.purpose == ChatPurpose.PRIVATE:
        return None
    chat = session.exec(
        select(Chat).where(Chat.platform == request.platform, Chat.chat_id == request.chat.chat_id)
    ).first()
    if chat is None or not chat.active or chat.purpose == ChatPurpose.PRIVATE:
        return None
    if (chat.purpose, chat.unit_id) == (request.chat.purpose, request.chat.unit_id):
        return None
    unit = session.get(Unit, chat.unit_id) if chat.unit_id else None
    return RedeemResult(RedeemStatus.CHAT_TAKEN, chat=chat, chat_unit=unit)


def redeem(session: Session, request: Redemption) -> RedeemResult:
    """Use the code of ``request``: make the member, bind the chat. The caller commits;
    on any status but REGISTERED or ALREADY nothing has been written."""
    found = find_invite(session, request.code)
    if found is None:
        return RedeemResult(RedeemStatus.UNKNOWN)
    invite = found.invite
    member = _existing_member(session, request, invite)
    if invite.revoked_at is not None:
        return RedeemResult(RedeemStatus.REVOKED, found)
    if invite.used_count >= invite.uses:
        # The same message delivered twice: answer as before. A used code never binds a
        # chat it did not bind the first time.
        if (
            member is not None
            and member.active
            and (invite.used_by_id == member.id or invite.uses > 1)
            and _same_binding(session, request)
        ):
            return RedeemResult(RedeemStatus.ALREADY, found, member, _bind_chat(session, request))
        return RedeemResult(RedeemStatus.USED, found)
    if invite.expires_at <= request.now:
        return RedeemResult(RedeemStatus.EXPIRED, found)
    taken = _chat_taken(session, request)
    if taken is not None:
        return RedeemResult(taken.status, found, chat=taken.chat, chat_unit=taken.chat_unit)
    # Someone already registered privately keeps the code unused for a colleague; a group
    # being bound consumes it, since that changes what the group is.
    if member is not None and member.active and request.chat.purpose == ChatPurpose.PRIVATE:
        member.display_name = request.display_name
        session.add(member)
        return RedeemResult(RedeemStatus.ALREADY, found, member, _bind_chat(session, request))
    try:
        with session.begin_nested():
            if member is None:
                member = Member(
                    platform=request.platform,
                    user_id=request.user_id,
                    display_name=request.display_name,
                    role=invite.role,
                    unit_id=invite.unit_id,
                    plan_id=invite.plan_id if invite.role == Role.COORDINATOR else None,
                    created_at=request.now,
                )
            member.display_name, member.active = request.display_name, True
            session.add(member)
            session.flush()
            claimed = session.connection().execute(
                update(InviteCode)
                .where(
                    col(InviteCode.id) == invite.id,
                    col(InviteCode.used_count) < col(InviteCode.uses),
                    col(InviteCode.revoked_at).is_(None),
                )
                .values(
                    used_at=request.now,
                    used_by_id=member.id,
                    used_count=col(InviteCode.used_count) + 1,
                )
            )
            if claimed.rowcount != 1:
                raise _Taken
            chat = _bind_chat(session, request)
    except (_Taken, IntegrityError):
        return RedeemResult(RedeemStatus.USED, found)
    return RedeemResult(RedeemStatus.REGISTERED, found, member, chat)
