"""The commands anyone may use: /start, /giup, /huy, /ngonngu."""

from __future__ import annotations

from typing import Any

from bot.core.commands import COMMANDS, EVERYWHERE, Audience, Place, command, find_command
from bot.core.context import Turn
from messages import help as help_texts
from messages import replies
from messages.i18n import LANGUAGES, language
from messages.vocabulary import fold
from storage.models import Role


@command("start", audience=Audience.ANYONE, places=EVERYWHERE, order=10)
def start(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Greet the sender and say what they may do here, by the chat and their roles."""
    place = turn.place
    if place == Place.NEW_GROUP:
        turn.say(replies.greeting_new_group())
        return
    if place == Place.LEADERSHIP_GROUP:
        turn.say(replies.greeting_leadership_group())
        return
    if place == Place.UNIT_GROUP:
        unit = turn.group_unit()
        turn.say(replies.greeting_unit_group(unit.name if unit else ""))
        return
    if not turn.registered:
        turn.say(replies.greeting_unregistered(turn.message.sender_name))
        return
    roles = []
    for membership in turn.memberships:
        role = membership.member.role
        if role == Role.MEMBER and membership.unit and membership.plan:
            roles.append(replies.role_member(membership.unit.name, membership.plan.code))
        elif role in (Role.LEADER, Role.ADMIN):
            roles.append(replies.role_leader())
        elif role == Role.COORDINATOR:
            scope = (
                replies.scope_plan(membership.plan.code)
                if membership.plan
                else replies.scope_all_plans()
            )
            roles.append(replies.role_coordinator(scope))
    if turn.is_operator:
        roles.append(replies.role_operator())
    turn.say(replies.greeting_registered(turn.message.sender_name, list(dict.fromkeys(roles))))


@command("giup", aliases=("help",), audience=Audience.ANYONE, places=EVERYWHERE, order=20)
def giup(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """List the commands the sender may use, or explain the one named in ``args``."""
    if args:
        topic = args.split()[0].lstrip("/")
        command = find_command(topic)
        if command is None:
            turn.say(help_texts.unknown_help_topic(topic))
        else:
            turn.say(help_texts.help_command(command.name, command.aliases))
        return
    audiences = [Audience.ANYONE, Audience.MEMBER, Audience.OVERSEER]
    if turn.is_operator:
        audiences.append(Audience.OPERATOR)
    sections = [
        (str(audience), [(c.name, c.aliases) for c in COMMANDS if c.audience == audience])
        for audience in audiences
    ]
    turn.say(help_texts.help_overview(sections))


@command("huy", aliases=("cancel",), audience=Audience.ANYONE, places=EVERYWHERE, order=120)
def huy(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Say whether a waiting flow was cancelled (the core drops it before this runs)."""
    # The core has already dropped a waiting flow when this command arrived.
    turn.say(replies.flow_cancelled() if turn.dropped_flow else replies.nothing_to_cancel())
    turn.record("flow.cancel" if turn.dropped_flow else "command", "/huy")


@command("ngonngu", aliases=("language",), audience=Audience.ANYONE, places=EVERYWHERE, order=130)
def ngonngu(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Show or set the language the bot speaks in this chat (``vi`` or ``en``)."""
    current = turn.chat.language if turn.chat else turn.settings.default_language
    if not args:
        turn.say(replies.language_usage(current))
        return
    wanted = fold(args.split()[0])
    aliases = {"tieng viet": "vi", "vietnamese": "vi", "tieng anh": "en", "english": "en"}
    code = aliases.get(fold(args), wanted)
    if code not in LANGUAGES:
        turn.say(replies.language_unknown(args))
        return
    message = turn.message
    if not turn.store.set_language(
        message.platform, message.chat_id, message.chat_kind, code, turn.now
    ):
        turn.say(replies.group_not_registered())
        return
    turn.record("language", code)
    with language(code):
        turn.say(replies.language_set(code))
