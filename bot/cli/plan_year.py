"""The operator's year: ``nhacviec plan copy`` and ``plan archive``, and what ``plan load``
says of a reload (what it renamed and retired, or why it refused).

``plan copy CODE NEW-CODE --year Y`` writes next year's plan file from the loaded plan's
file (``plans/CODE.toml`` beside the new one, or ``--from FILE``); the old plan and its
reports stay as they are. ``plan archive CODE`` keeps a finished plan for history,
summaries and exports, and stops everything it would send.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import AddCommand, CommandError, Commands, Context, plan_or_error
from messages.i18n import _

if TYPE_CHECKING:
    from scheduler.planload import LoadResult
    from scheduler.reload_guard import ReloadOptions, ReloadRefused


def reload_options(args: argparse.Namespace) -> ReloadOptions:
    """``--rename OLD=NEW`` (repeatable) and ``--retire`` of ``plan load``."""
    from scheduler.reload_guard import ReloadOptions

    renames: dict[str, str] = {}
    for item in args.rename:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise CommandError(
                _("--rename cần dạng MÃ-CŨ=MÃ-MỚI, ví dụ --rename T3=T3a (nhận: {item})").format(
                    item=item
                )
            )
        renames[old.strip()] = new.strip()
    return ReloadOptions(renames, args.retire)


def reload_advice(refusal: ReloadRefused) -> str:
    """What to do about a refused reload."""
    if refusal.detached:
        return _(
            "Không có gì được ghi. Nếu đã đổi mã, nạp lại kèm --rename MÃ-CŨ=MÃ-MỚI; nếu các "
            "mục trên đã thôi thực hiện, nạp lại kèm --retire (báo cáo vẫn được lưu)."
        )
    return _("Không có gì được ghi; hãy sửa rồi nạp lại.")


def load_summary(result: LoadResult) -> str:
    """What loading one file did, in the operator's words; it claims the reports kept
    only when nothing was retired."""
    counts = {
        "code": result.code,
        "tasks": result.tasks,
        "deadlines": result.occurrences,
        "units": result.units,
    }
    changes = result.changes
    if result.created:
        return _(
            "Đã nạp kế hoạch {code}: {tasks} nhiệm vụ, {deadlines} hạn chót, {units} đơn vị."
        ).format(**counts)
    if not result.updated:
        return _("Kế hoạch {code} không có gì thay đổi.").format(**counts)
    lines = []
    if changes is None or not changes.retired:
        lines.append(
            _(
                "Đã cập nhật kế hoạch {code}: {tasks} nhiệm vụ, {deadlines} hạn chót, "
                "{units} đơn vị; các báo cáo đã có được giữ nguyên."
            ).format(**counts)
        )
    else:
        lines.append(
            _(
                "Đã cập nhật kế hoạch {code}: {tasks} nhiệm vụ, {deadlines} hạn chót, "
                "{units} đơn vị."
            ).format(**counts)
        )
    if changes and changes.renamed:
        lines.append(_("Đã đổi mã: {pairs}.").format(pairs=", ".join(changes.renamed)))
    if changes and changes.retired:
        lines.append(
            _(
                "Đã thôi theo dõi (báo cáo vẫn lưu nhưng không còn trong tổng hợp; không "
                "nhắc nữa; cán bộ của đơn vị thôi theo dõi không còn đăng ký):"
            )
        )
        lines.extend(f"  {line}" for line in changes.retired)
    return "\n".join(lines)


def cmd_plan_copy(ctx: Context, args: argparse.Namespace) -> int:
    """Write next year's plan file from a loaded plan's file."""
    from scheduler.plan_copy import copied_plan
    from scheduler.planfile import PLAN_CODE, PlanFileInvalid
    from storage.engine import session_scope
    from storage.queries import plan_by_code

    if not PLAN_CODE.match(args.new_code):
        raise CommandError(
            _("Mã kế hoạch mới {code} chỉ gồm chữ thường không dấu, số và dấu gạch ngang.").format(
                code=args.new_code
            )
        )
    with session_scope(ctx.engine) as session:
        plan_or_error(session, args.code)
        if plan_by_code(session, args.new_code) is not None:
            raise CommandError(
                _("Đã có kế hoạch mã {code}; hãy chọn mã khác.").format(code=args.new_code)
            )
    source = Path(args.source) if args.source else Path("plans") / f"{args.code}.toml"
    out = Path(args.out) if args.out else source.with_name(f"{args.new_code}.toml")
    if out.stem != args.new_code:
        raise CommandError(
            _("Tệp mới phải tên {code}.toml (mã kế hoạch trùng tên tệp).").format(
                code=args.new_code
            )
        )
    if out.exists():
        raise CommandError(_("Đã có tệp {file}; không ghi đè.").format(file=out))
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Không đọc được tệp {file} ({reason}); chỉ rõ tệp bằng --from TỆP.").format(
                file=source, reason=error.strerror
            )
        ) from error
    try:
        text, spec = copied_plan(raw, args.new_code, args.year, str(source))
    except PlanFileInvalid as error:
        print(_("Bản sao chưa dùng được: {n} lỗi").format(n=len(error.problems)), file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    out.write_text(text, encoding="utf-8")
    print(
        _(
            "Đã ghi {file}: kế hoạch {code} năm {year}, {tasks} nhiệm vụ. Hãy xem lại tiêu đề, "
            "số văn bản và các mốc thời gian, rồi nạp: nhacviec plan load {file}"
        ).format(file=out, code=spec.code, year=spec.year, tasks=len(spec.tasks))
    )
    return 0


def cmd_plan_archive(ctx: Context, args: argparse.Namespace) -> int:
    """Archive a plan: kept for history and exports, nothing reminded or sent."""
    from storage.engine import session_scope
    from storage.plan_admin import archive_plan

    with session_scope(ctx.engine) as session:
        plan = plan_or_error(session, args.code)
        if plan.archived:
            print(_("Kế hoạch {code} đã lưu trữ từ trước.").format(code=plan.code))
            return 0
        dropped = archive_plan(session, plan, ctx.clock.now())
    print(
        _(
            "Đã lưu trữ kế hoạch {code}: không nhắc việc, không gửi tổng hợp định kỳ nữa "
            "({n} tin đang chờ đã bỏ); báo cáo, tổng hợp và tệp xuất vẫn dùng được."
        ).format(code=args.code, n=dropped)
    )
    return 0


def add_plan_year_commands(plan_commands: Commands, add: AddCommand) -> None:
    """Register ``plan copy`` and ``plan archive`` under ``nhacviec plan``."""
    copy = add(plan_commands, "copy", cmd_plan_copy, _("tạo tệp kế hoạch năm sau từ kế hoạch cũ"))
    copy.add_argument("code", metavar=_("MÃ"))
    copy.add_argument("new_code", metavar=_("MÃ-MỚI"))
    copy.add_argument("--year", type=int, required=True, help=_("năm của kế hoạch mới"))
    copy.add_argument(
        "--from",
        dest="source",
        metavar=_("TỆP"),
        help=_("tệp kế hoạch cũ (mặc định plans/MÃ.toml)"),
    )
    copy.add_argument("--out", metavar=_("TỆP"), help=_("tệp mới (mặc định MÃ-MỚI.toml bên cạnh)"))
    archive = add(
        plan_commands, "archive", cmd_plan_archive, _("lưu trữ kế hoạch: thôi nhắc, giữ lịch sử")
    )
    archive.add_argument("code", metavar=_("MÃ"))
