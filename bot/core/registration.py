"""Joining with an invite code (/dangky) and making codes (/mamoi, ``nhacviec invite``).

In a private chat a code makes the sender a member of its unit, a leader or a
coordinator, and records the private chat (its id is the sender's, on Telegram and
Zalo alike), which is where reminders reach the person. In a group, a unit's code makes
the group that unit's group and a leader's code makes it a leadership group; the sender
also becomes a member (or leader). A coordinator's code works only in a private chat.

Five wrong codes from one person within an hour lock them out for an hour after the
fifth: during the lock no code is even looked at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core.commands import EVERYWHERE, Audience, Place, command
from bot.core.context import Turn
from bot.core.store import Store
from messages import admin as admin_texts
from messages import registration as texts
from messages import replies
from messages.vocabulary import COORDINATOR_WORDS, LEADERSHIP_WORDS, fold, is_one_of
from storage.models import ChatPurpose, InviteCode, Role
from storage.records import ChatBinding, Invite, RedeemResult, RedeemStatus, Redemption


def locked_until(
    failures: list[datetime], now: datetime, allowed: int, window: timedelta
) -> datetime | None:
    """When the lock of ``failures`` (oldest first) ends, or None if there is none now."""
    until = None
    for index in range(allowed - 1, len(failures)):
        if failures[index] - failures[index - allowed + 1] <= window:
            end = failures[index] + window
            if now < end and (until is None or end > until):
                until = end
    return until


def _binding(turn: Turn, invite: Invite) -> ChatBinding:
    message = turn.message
    if turn.place == Place.PRIVATE:
        return ChatBinding(message.chat_id, "private", ChatPurpose.PRIVATE)
    if invite.invite.role == Role.MEMBER:
        purpose, unit_id = ChatPurpose.UNIT, invite.invite.unit_id
    else:
        purpose, unit_id = ChatPurpose.LEADERSHIP, None
    return ChatBinding(message.chat_id, "group", purpose, unit_id, message.chat_title)


def _welcome(turn: Turn, result: RedeemResult) -> str:
    assert result.invite is not None
    invite, unit, plan = result.invite.invite, result.invite.unit, result.invite.plan
    name = turn.message.sender_name
    group = turn.place != Place.PRIVATE
    if invite.role == Role.MEMBER and unit and plan:
        if result.status == RedeemStatus.ALREADY and not group:
            return texts.already_member(unit.name)
        if group:
            return texts.group_registered_unit(unit.name, name)
        return texts.registered_member(name, unit.name, plan.code)
    if invite.role == Role.COORDINATOR:
        if result.status == RedeemStatus.ALREADY:
            return texts.already_coordinator()
        scope = replies.scope_plan(plan.code) if plan else replies.scope_all_plans()
        return texts.registered_coordinator(name, scope)
    if result.status == RedeemStatus.ALREADY and not group:
        return texts.already_leader()
    return texts.group_registered_leadership(name) if group else texts.registered_leader(name)


def typed_codes(args: str) -> list[str]:
    """What the invite code may be, as people type it: ``TSEC-KWBM``, ``tsec kwbm``,
    ``mã TSEC KWBM``, ``TSEC–KWBM``: the first word, then it joined with the next ones
    (a code read out over the phone gets written in pieces)."""
    words = args.split()
    if len(words) > 1 and fold(words[0]) in ("ma", "code", "ma moi"):
        words = words[1:]
    pieces = [re.sub(r"[^0-9A-Za-z]", "", word) for word in words[:4]]
    joined = ["".join(pieces[: n + 1]) for n in range(len(pieces))]
    return list(dict.fromkeys(code for code in joined if code)) or words[:1]


def _find_invite(turn: Turn, args: str) -> tuple[str, Invite | None]:
    codes = typed_codes(args)
    for code in codes:
        found = turn.store.invite(code)
        if found is not None:
            return code, found
    return codes[0], None


@command("dangky", aliases=("register",), audience=Audience.ANYONE, places=EVERYWHERE, order=30)
def dangky(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Redeem an invite code: the sender, or the group, joins a unit or the oversight."""
    message, settings = turn.message, turn.settings
    if not args:
        turn.say(texts.usage())
        return
    failures = turn.store.failed_codes(
        message.platform, message.sender_id, turn.now - 2 * settings.wrong_codes_window
    )
    until = locked_until(
        failures, turn.now, settings.wrong_codes_allowed, settings.wrong_codes_window
    )
    if until is not None:
        turn.say(texts.locked_out(until))
        turn.record("register.locked")
        return
    code, found = _find_invite(turn, args)
    if found is not None and found.invite.role == Role.COORDINATOR and turn.place != Place.PRIVATE:
        turn.say(texts.coordinator_code_in_group())
        turn.record("refused", "/dangky coordinator code in a group")
        return
    if found is None:
        result = RedeemResult(RedeemStatus.UNKNOWN)
    else:
        result = turn.store.redeem(
            Redemption(
                code=code,
                platform=message.platform,
                user_id=message.sender_id,
                display_name=message.sender_name,
                chat=_binding(turn, found),
                now=turn.now,
            )
        )
    if result.status == RedeemStatus.REVOKED:
        turn.record("register.failed", str(result.status))
        turn.say(texts.code_revoked())
        return
    if result.status in (RedeemStatus.UNKNOWN, RedeemStatus.USED, RedeemStatus.EXPIRED):
        turn.store.record_failed_code(message.platform, message.sender_id, turn.now)
        turn.record("register.failed", str(result.status))
        if result.status == RedeemStatus.EXPIRED and found is not None:
            turn.say(texts.code_expired(found.invite.expires_at))
        else:
            turn.say(
                texts.code_used() if result.status == RedeemStatus.USED else texts.code_unknown()
            )
        return
    if result.status == RedeemStatus.CHAT_TAKEN:
        turn.record("refused", "/dangky group already registered")
        turn.say(
            texts.group_taken_by_unit(result.chat_unit.name)
            if result.chat_unit
            else texts.group_taken_by_leadership()
        )
        return
    assert result.invite is not None
    turn.record(
        "register", f"{result.invite.invite.role} {result.status} invite#{result.invite.invite.id}"
    )
    turn.say(_welcome(turn, result))


# -- making codes --------------------------------------------------------------------


class InviteRefused(Exception):
    """The operator's request names no unit, or an ambiguous one; the text says why."""


@dataclass(frozen=True)
class IssuedInvite:
    invite: InviteCode
    description: str  # what the code is for and until when, in the current language


def issue_invite(
    store: Store,
    now: datetime,
    ttl: timedelta,
    role: Role,
    unit_code: str | None = None,
    plan_code: str | None = None,
    uses: int = 1,
) -> IssuedInvite:
    """A new code for a unit (``unit_code``, with ``plan_code`` if several plans have it;
    good for ``uses`` officers), the leadership, or a coordinator (of ``plan_code``, or of
    every plan)."""
    expires_at = now + ttl
    plans = store.plans()
    plan = None
    if plan_code:
        plan = next((p for p in plans if p.code.lower() == plan_code.lower()), None)
        if plan is None:
            raise InviteRefused(texts.unknown_plan(plan_code, [p.code for p in plans]))
    if role == Role.LEADER:
        invite = store.create_invite(Role.LEADER, now, expires_at)
        return IssuedInvite(invite, texts.invite_for_leadership(expires_at))
    if role == Role.COORDINATOR:
        invite = store.create_invite(
            Role.COORDINATOR, now, expires_at, plan_id=plan.id if plan else None
        )
        scope = replies.scope_plan(plan.code) if plan else replies.scope_all_plans()
        return IssuedInvite(invite, texts.invite_for_coordinator(scope, expires_at))
    found = store.units_by_code((unit_code or "").upper())
    if plan is not None:
        found = [(u, p) for u, p in found if p.id == plan.id]
        if not found:
            raise InviteRefused(texts.unknown_unit_in_plan(unit_code or "", plan.code))
    if not found:
        raise InviteRefused(texts.unknown_unit(unit_code or ""))
    if len(found) > 1:
        raise InviteRefused(
            texts.unit_in_several_plans(found[0][0].code, [p.code for _u, p in found])
        )
    unit, unit_plan = found[0]
    assert unit.id is not None
    members = store.group_members(unit.id) if unit.is_group else []
    if members:
        raise InviteRefused(texts.unit_is_group(unit.name, len(members)))
    invite = store.create_invite(Role.MEMBER, now, expires_at, unit_id=unit.id, uses=uses)
    if uses > 1:
        several = admin_texts.invite_for_several(unit.name, unit_plan.code, uses, expires_at)
        return IssuedInvite(invite, several)
    return IssuedInvite(invite, texts.invite_for_unit(unit.name, unit_plan.code, expires_at))


@command(
    "mamoi",
    aliases=("invite",),
    audience=Audience.OPERATOR,
    places=frozenset({Place.PRIVATE}),
    order=140,
)
def mamoi(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Issue an invite code for a unit, a leader or a coordinator (operators only)."""
    words = args.split()
    uses = 1
    if len(words) > 1 and words[-1].isdigit():  # /mamoi NV 5: a code for five officers
        uses = int(words.pop())
        if not 1 <= uses <= 100:
            turn.say(admin_texts.uses_wrong(str(uses)))
            return
    if not words:
        turn.say(texts.invite_usage())
        return
    settings = turn.settings
    try:
        if is_one_of(words[0], LEADERSHIP_WORDS) and len(words) == 1:
            issued = issue_invite(turn.store, turn.now, settings.invite_ttl, Role.LEADER)
        elif is_one_of(words[0], COORDINATOR_WORDS) and len(words) <= 2:
            plan = words[1] if len(words) == 2 else None
            issued = issue_invite(
                turn.store, turn.now, settings.invite_ttl, Role.COORDINATOR, plan_code=plan
            )
        elif len(words) <= 2:
            plan = words[1] if len(words) == 2 else None
            issued = issue_invite(
                turn.store, turn.now, settings.invite_ttl, Role.MEMBER, words[0], plan, uses
            )
        else:
            turn.say(texts.invite_usage())
            return
    except InviteRefused as refusal:
        turn.say(str(refusal))
        return
    turn.record("invite.create", f"{issued.invite.role} invite#{issued.invite.id}")
    turn.say(f"{issued.description}\n{issued.invite.code}")
