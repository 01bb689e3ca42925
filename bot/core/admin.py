"""Administration in chat, for operators and coordinators: a unit's officers and groups
(/canbo), removing an officer (/xoacanbo), the open invite codes (/dsmamoi) and revoking
one (/huymamoi); and, in a unit's registered group, admitting a colleague (/duyet).

When someone not registered writes a command in a unit's registered group, the bot offers
the unit's registered officers a one-tap button (the value ``/duyet #ID``, which the core
runs as that command) to make them an officer too; /duyet NAME does the same by typing.
A coordinator manages only the units of the plans they follow. Each action is written to
the audit log.
"""

from __future__ import annotations

from typing import Any

from bot.core.commands import OVERSIGHT_PLACES, UNIT_PLACES, Audience, Command, Place, command
from bot.core.context import Turn
from bot.core.types import Choice
from messages import admin as texts
from messages import registration as reg_texts
from messages.vocabulary import fold
from storage.models import Plan, Unit

ADMIN_PLACES = OVERSIGHT_PLACES | UNIT_PLACES
NOT_OFFERED_AFTER = ("dangky", "duyet")  # registering, or admitting someone already


def _may_manage(turn: Turn, plan: Plan) -> bool:
    scopes = turn.coordinator_plans
    return turn.is_operator or None in scopes or plan.id in scopes


def _refused_manager(turn: Turn, name: str) -> bool:
    if turn.is_operator or turn.coordinator_plans:
        return False
    turn.say(texts.admins_only(name))
    turn.record("refused", f"/{name}")
    return True


def _unit(turn: Turn, words: list[str]) -> tuple[Unit, Plan] | None:
    """The unit ``words`` name (code, then maybe a plan), or the group's; says why not."""
    plans = turn.store.plans()
    if not words:
        unit = turn.group_unit()
        plan = next((p for p in plans if unit and p.id == unit.plan_id), None)
        if unit is None or plan is None:
            return None
    else:
        found = turn.store.units_by_code(words[0].upper())
        if len(words) > 1:
            found = [(u, p) for u, p in found if p.code.lower() == words[1].lower()]
            if not found:
                turn.say(reg_texts.unknown_unit_in_plan(words[0], words[1]))
                return None
        if not found:
            turn.say(reg_texts.unknown_unit(words[0]))
            return None
        if len(found) > 1:
            turn.say(
                reg_texts.unit_in_several_plans(found[0][0].code, [p.code for _u, p in found])
            )
            return None
        unit, plan = found[0]
    if not _may_manage(turn, plan):
        turn.say(texts.not_your_plan(plan.code))
        return None
    return unit, plan


@command(
    "canbo", aliases=("officers",), audience=Audience.OVERSEER, places=ADMIN_PLACES, order=150
)
def canbo(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """List a unit's registered officers and its group chats (operators, coordinators)."""
    if _refused_manager(turn, "canbo"):
        return
    words = args.split()
    if not words and turn.place != Place.UNIT_GROUP:
        turn.say(texts.officers_usage())
        return
    found = _unit(turn, words)
    if found is None:
        return
    unit, plan = found
    assert unit.id is not None
    officers = turn.store.unit_officers(unit.id)
    turn.say(texts.officers(unit.name, plan.code, officers, turn.store.unit_chats(unit.id)))
    turn.record("command", f"/canbo {unit.code} {plan.code}")


@command(
    "xoacanbo",
    aliases=("removeofficer",),
    audience=Audience.OVERSEER,
    places=ADMIN_PLACES,
    order=160,
)
def xoacanbo(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Unregister an officer who left the unit; their reports stay (operators, coordinators)."""
    if _refused_manager(turn, "xoacanbo"):
        return
    words = args.split()
    numbers = [w for w in words if w.lstrip("#").isdigit()]
    if len(numbers) != 1 or (turn.place != Place.UNIT_GROUP and len(words) < 2):
        turn.say(texts.remove_usage())
        return
    found = _unit(turn, [w for w in words if w not in numbers])
    if found is None:
        return
    unit, plan = found
    assert unit.id is not None
    number = int(numbers[0].lstrip("#"))
    if number not in {m.id for m in turn.store.unit_officers(unit.id)}:
        turn.say(texts.no_such_officer(numbers[0], unit.name))
        return
    removed = turn.store.remove_officer(number)
    if removed is None:
        turn.say(texts.no_such_officer(numbers[0], unit.name))
        return
    turn.record("officer.remove", f"member#{number} {unit.code} {plan.code}")
    turn.say(texts.officer_removed(removed.display_name, unit.name))


@command(
    "dsmamoi", aliases=("invites",), audience=Audience.OVERSEER, places=OVERSIGHT_PLACES, order=170
)
def dsmamoi(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """List the invite codes that may still be used (operators, coordinators)."""
    if _refused_manager(turn, "dsmamoi"):
        return
    wanted = args.split()[0].lower() if args.split() else None
    shown = [
        found
        for found in turn.store.open_invites(turn.now)
        if (found.plan is not None and _may_manage(turn, found.plan)) or turn.is_operator
        if wanted is None or (found.plan is not None and found.plan.code.lower() == wanted)
    ]
    turn.say(texts.invites(shown))
    turn.record("command", "/dsmamoi")


@command(
    "huymamoi",
    aliases=("revokeinvite",),
    audience=Audience.OVERSEER,
    places=OVERSIGHT_PLACES,
    order=180,
)
def huymamoi(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Revoke an invite code so that nobody can register with it (operators, coordinators)."""
    if _refused_manager(turn, "huymamoi"):
        return
    if not args.strip():
        turn.say(texts.revoke_usage())
        return
    code = "".join(args.split())
    found = turn.store.invite(code)
    if found is None or not (
        turn.is_operator or (found.plan is not None and _may_manage(turn, found.plan))
    ):
        turn.say(texts.invite_unknown(code))
        return
    revoked = turn.store.revoke_invite(code, turn.now)
    assert revoked is not None
    turn.record("invite.revoke", f"invite#{revoked.invite.id}")
    turn.say(texts.invite_revoked(revoked, revoked.invite.revoked_at or turn.now))


@command(
    "duyet",
    aliases=("approve",),
    audience=Audience.MEMBER,
    places=frozenset({Place.UNIT_GROUP}),
    order=190,
)
def duyet(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Admit a colleague who wrote in the unit's group as an officer of the unit."""
    unit = turn.group_unit()
    assert unit is not None and unit.id is not None
    plan = next((p for p in turn.store.plans() if p.id == unit.plan_id), None)
    officer = turn.member_of(unit.id)
    if officer is None and not (plan is not None and _may_manage(turn, plan)):
        turn.say(texts.admit_officers_only(unit.name))
        turn.record("refused", "/duyet not an officer")
        return
    pending = turn.store.pending_admissions(unit.id)
    typed = " ".join(args.split())
    if not typed:
        turn.say(texts.admit_usage(pending))
        return
    if typed.startswith("#") and typed[1:].isdigit():
        chosen = [a for a in pending if a.id == int(typed[1:])]
        if not chosen:
            turn.say(texts.admitted_already(typed))
            return
    else:
        chosen = [a for a in pending if fold(a.display_name) == fold(typed)]
        chosen = chosen or [a for a in pending if fold(typed) in fold(a.display_name)]
    if not chosen:
        turn.say(texts.admit_nobody(typed, pending))
        return
    if len(chosen) > 1:
        turn.say(texts.admit_several(typed, chosen))
        return
    admission = chosen[0]
    assert admission.id is not None
    member = turn.store.admit(admission.id, officer.member.id if officer else None, turn.now)
    if member is None:
        turn.say(texts.admitted_already(admission.display_name))
        return
    turn.record("admit", f"member#{member.id} {unit.code} by {turn.message.sender_id}")
    turn.say(texts.admitted(admission.display_name, unit.name, turn.message.sender_name))


def offer_admission(turn: Turn, command: Command) -> None:
    """After a command in a unit's group from someone registered nowhere, offer the unit's
    officers to admit them (once per person and unit). An officer of another unit is not
    offered: being in a second unit is for an invite code."""
    if turn.place != Place.UNIT_GROUP or command.name in NOT_OFFERED_AFTER or turn.registered:
        return
    unit = turn.group_unit()
    if unit is None or unit.id is None:
        return
    if not turn.store.unit_officers(unit.id):
        return  # nobody to admit them: an operator's invite code is the way in
    message = turn.message
    admission = turn.store.ask_admission(
        message.platform,
        message.sender_id,
        message.sender_name,
        unit.id,
        message.chat_id,
        turn.now,
    )
    if admission is None:
        return
    turn.store.audit(
        turn.now,
        message.platform,
        message.sender_id,
        message.chat_id,
        "admission.ask",
        f"admission#{admission.id} {unit.code}",
    )
    name = message.sender_name
    button = Choice(texts.admit_button(name), f"/duyet #{admission.id}")
    turn.say(texts.admission_offer(name, unit.name), (button,))
