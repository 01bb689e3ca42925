"""``nhacviec invite`` and ``nhacviec chat``: the operator's commands of the chat core.

``invite UNIT --plan PLAN`` (or ``--leadership``, ``--coordinator [--plan PLAN]``) prints
what a new invite code is for, then the code alone on the last line, so a script can
take it with ``tail -n 1``. ``chat --as NAME [--chat GROUP]`` is a terminal chat with the
bot; ``chat --script FILE`` replays a transcript and prints every reply.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from bot.cli.common import AddCommand, CommandError, Commands, Context
from bot.console.clock import day_argument, simulated_from
from bot.console.files import DEFAULT_FOLDER
from messages.i18n import _, language


def cmd_invite(ctx: Context, args: argparse.Namespace) -> int:
    """Make a one-time invite code; the code is the last line printed."""
    from bot.core.registration import InviteRefused, issue_invite
    from storage.models import Role
    from storage.store import SqlStore

    if args.leadership:
        role = Role.LEADER
    elif args.coordinator:
        role = Role.COORDINATOR
    else:
        role = Role.MEMBER
        if not args.unit:
            raise CommandError(
                _("Hãy ghi mã đơn vị (kèm --plan), hoặc --leadership, hoặc --coordinator.")
            )
    if role != Role.MEMBER and args.unit:
        raise CommandError(_("Mã mời cho lãnh đạo hay đầu mối không kèm mã đơn vị."))
    if role == Role.LEADER and args.plan:
        raise CommandError(_("Mã mời cho lãnh đạo dùng cho mọi kế hoạch, không kèm --plan."))
    if not 1 <= args.uses <= 100 or (role != Role.MEMBER and args.uses != 1):
        raise CommandError(_("--uses từ 1 đến 100, và chỉ cho mã mời của một đơn vị."))
    store = SqlStore(ctx.engine)
    ttl = timedelta(days=ctx.config.invites.ttl_days)
    with language(ctx.config.general.language):
        try:
            issued = issue_invite(
                store, ctx.clock.now(), ttl, role, args.unit, args.plan, args.uses
            )
        except InviteRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        print(issued.description)
    print(issued.invite.code)
    store.audit(
        ctx.clock.now(), "cli", "operator", None, "invite.create", f"{role} #{issued.invite.id}"
    )
    return 0


def cmd_chat(ctx: Context, args: argparse.Namespace) -> int:
    """Talk to the bot in the terminal, or replay a transcript."""
    from bot.console.channel import ConsoleChannel, ScriptError, run_script
    from bot.core.bot import ChatCore
    from bot.evidence import EvidenceShelf
    from bot.exports import SqlFileBuilder
    from bot.runtime import core_settings
    from bot.stores import chat_store
    from messages import console as console_texts

    clock = simulated_from(args.at) if args.at else ctx.clock
    files = SqlFileBuilder(ctx.engine, ctx.config.files.evidence_dir)
    evidence = EvidenceShelf.configured(ctx.config)
    core = ChatCore(chat_store(ctx.engine), clock, core_settings(ctx.config), files, evidence)
    channel = ConsoleChannel(core, sys.stdout, Path(args.files))
    if args.script:
        try:
            path = Path(args.script)
            lines = (
                sys.stdin.read() if args.script == "-" else path.read_text("utf-8")
            ).splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(console_texts.cannot_read(args.script, str(error))) from error
        set_time = getattr(clock, "set", None)
        try:
            run_script(channel, lines, set_time)
        except ScriptError as error:
            raise CommandError(f"{args.script}: {error}") from error
        return 0
    if not args.sender:
        raise CommandError(_('Hãy ghi --as "Tên người gửi", hoặc --script TỆP.'))
    try:
        channel.interactive(args.sender, args.chat, _prompted(args.sender, args.chat))
    except ScriptError as error:
        raise CommandError(str(error)) from error
    return 0


def _prompted(sender: str, chat: str | None) -> Iterator[str]:
    prompt = f"{sender}@{chat or 'private'}> "
    while True:
        try:
            yield input(prompt)
        except EOFError:
            print()
            return


def add_chat_commands(commands: Commands, add: AddCommand) -> None:
    """Register ``invite`` and ``chat`` under ``commands``."""
    invite = add(commands, "invite", cmd_invite, _("tạo mã mời đăng ký"))
    invite.add_argument(
        "unit", nargs="?", metavar=_("MÃ_ĐƠN_VỊ"), help=_("mã đơn vị trong kế hoạch")
    )
    invite.add_argument("--plan", help=_("mã kế hoạch của đơn vị (hoặc của đầu mối)"))
    invite.add_argument(
        "--uses", type=int, default=1, metavar="N", help=_("số cán bộ dùng được mã (mặc định 1)")
    )
    who = invite.add_mutually_exclusive_group()
    who.add_argument("--leadership", action="store_true", help=_("mã cho lãnh đạo"))
    who.add_argument("--coordinator", action="store_true", help=_("mã cho đầu mối theo dõi"))

    chat = add(commands, "chat", cmd_chat, _("chat với bot trong cửa sổ dòng lệnh"))
    chat.add_argument("--as", dest="sender", metavar=_("TÊN"), help=_("tên người gửi"))
    chat.add_argument("--chat", metavar=_("NHÓM"), help=_("tên nhóm (mặc định: chat riêng)"))
    chat.add_argument(
        "--script", metavar=_("TỆP"), help=_("chạy lại bản ghi hội thoại (- : đọc từ stdin)")
    )
    chat.add_argument(
        "--at",
        type=day_argument,
        metavar=_("NGÀY"),
        help=_("chat trên đồng hồ mô phỏng bắt đầu 08:00 ngày này (vd 2024-03-05)"),
    )
    chat.add_argument(
        "--files",
        default=DEFAULT_FOLDER,
        metavar=_("THƯ_MỤC"),
        help=_("nơi ghi các tệp bot gửi (mặc định {folder})").format(folder=DEFAULT_FOLDER),
    )
