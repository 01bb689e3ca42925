"""``nhacviec officer list|remove`` and ``nhacviec invites list|revoke``: the operator's
administration of who is registered, the same as /canbo, /xoacanbo, /dsmamoi and
/huymamoi in chat, each written to the audit log."""

from __future__ import annotations

import argparse
from types import ModuleType
from typing import TYPE_CHECKING

from bot.cli.common import AddCommand, CommandError, Commands, Context
from messages.i18n import _, language

if TYPE_CHECKING:
    from storage.models import Plan, Unit
    from storage.store import SqlStore


def _texts() -> ModuleType:
    # The administration's texts name the storage's records: loaded when a command runs.
    from messages import admin

    return admin


def _store(ctx: Context) -> SqlStore:
    from storage.store import SqlStore

    return SqlStore(ctx.engine)


def _unit(store: SqlStore, code: str, plan_code: str | None) -> tuple[Unit, Plan]:
    from messages import registration as reg_texts

    found = store.units_by_code(code.upper())
    if plan_code:
        found = [(u, p) for u, p in found if p.code == plan_code]
        if not found:
            raise CommandError(reg_texts.unknown_unit_in_plan(code, plan_code))
    if not found:
        raise CommandError(reg_texts.unknown_unit(code))
    if len(found) > 1:
        raise CommandError(
            reg_texts.unit_in_several_plans(found[0][0].code, [p.code for _u, p in found])
        )
    return found[0]


def cmd_officer_list(ctx: Context, args: argparse.Namespace) -> int:
    """A unit's registered officers (with their numbers) and its group chats."""
    store = _store(ctx)
    with language(ctx.config.general.language):
        unit, plan = _unit(store, args.unit, args.plan)
        assert unit.id is not None
        members, chats = store.unit_officers(unit.id), store.unit_chats(unit.id)
        print(_texts().officers(unit.name, plan.code, members, chats))
    return 0


def cmd_officer_remove(ctx: Context, args: argparse.Namespace) -> int:
    """Unregister an officer of a unit; their reports stay."""
    store = _store(ctx)
    with language(ctx.config.general.language):
        unit, plan = _unit(store, args.unit, args.plan)
        assert unit.id is not None
        if args.number not in {m.id for m in store.unit_officers(unit.id)}:
            raise CommandError(_texts().no_such_officer(str(args.number), unit.name))
        removed = store.remove_officer(args.number)
        if removed is None:
            raise CommandError(_texts().no_such_officer(str(args.number), unit.name))
        print(_texts().officer_removed(removed.display_name, unit.name))
    store.audit(
        ctx.clock.now(),
        "cli",
        "operator",
        None,
        "officer.remove",
        f"member#{args.number} {unit.code} {plan.code}",
    )
    return 0


def cmd_invites_list(ctx: Context, args: argparse.Namespace) -> int:
    """The invite codes that may still be used."""
    store = _store(ctx)
    found = [
        f
        for f in store.open_invites(ctx.clock.now())
        if args.plan is None or (f.plan is not None and f.plan.code == args.plan)
    ]
    with language(ctx.config.general.language):
        print(_texts().invites(found))
    return 0


def cmd_invites_revoke(ctx: Context, args: argparse.Namespace) -> int:
    """Revoke an invite code: nobody can register with it any more."""
    store = _store(ctx)
    now = ctx.clock.now()
    revoked = store.revoke_invite(args.code, now)
    with language(ctx.config.general.language):
        if revoked is None:
            raise CommandError(
                _("Không có mã mời {code}. Xem các mã: nhacviec invites list").format(
                    code=args.code
                )
            )
        print(_texts().invite_revoked(revoked, revoked.invite.revoked_at or now))
    store.audit(now, "cli", "operator", None, "invite.revoke", f"invite#{revoked.invite.id}")
    return 0


def add_admin_commands(commands: Commands, add: AddCommand) -> None:
    """Register ``officer list|remove`` and ``invites list|revoke`` under ``commands``."""
    officer = commands.add_parser("officer", help=_("cán bộ của đơn vị: xem, xóa"))
    officer_commands = officer.add_subparsers(dest="officer_command", metavar=_("LỆNH"))
    officer_commands.required = True
    listing = add(
        officer_commands, "list", cmd_officer_list, _("cán bộ đã đăng ký và nhóm chat của đơn vị")
    )
    listing.add_argument("unit", metavar=_("MÃ_ĐƠN_VỊ"))
    listing.add_argument("--plan", help=_("mã kế hoạch của đơn vị"))
    remove = add(
        officer_commands, "remove", cmd_officer_remove, _("xóa một cán bộ (báo cáo vẫn giữ)")
    )
    remove.add_argument("unit", metavar=_("MÃ_ĐƠN_VỊ"))
    remove.add_argument("number", type=int, metavar=_("SỐ"), help=_("số # trong officer list"))
    remove.add_argument("--plan", help=_("mã kế hoạch của đơn vị"))

    invites = commands.add_parser("invites", help=_("mã mời: xem, hủy"))
    invite_commands = invites.add_subparsers(dest="invites_command", metavar=_("LỆNH"))
    invite_commands.required = True
    open_codes = add(invite_commands, "list", cmd_invites_list, _("các mã mời còn dùng được"))
    open_codes.add_argument("--plan", help=_("chỉ mã của kế hoạch này"))
    revoke = add(invite_commands, "revoke", cmd_invites_revoke, _("hủy một mã mời"))
    revoke.add_argument("code", metavar=_("MÃ"))
