"""``nhacviec db upgrade``, ``nhacviec plan load|list|show`` and ``nhacviec when``: the
database schema, the plans, and how a plan's time expression is understood. Next year's
``plan copy`` and ``plan archive`` are in ``bot.cli.plan_year``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli.common import AddCommand, CommandError, Commands, Context, plan_or_error
from bot.cli.events import add_event_command
from bot.cli.imports import add_import_command
from bot.cli.plan_year import add_plan_year_commands, load_summary, reload_advice, reload_options
from messages.i18n import _


def cmd_db_upgrade(ctx: Context, args: argparse.Namespace) -> int:
    """Create the database schema, or bring it up to date (the bot also does it on start)."""
    from sqlalchemy.exc import OperationalError

    from storage.engine import make_engine, schema_revision

    probe = make_engine(ctx.config.database.url)
    try:
        before = schema_revision(probe)
    except OperationalError:
        before = None  # opening it below says why, in the operator's words
    finally:
        probe.dispose()
    after = schema_revision(ctx.engine)  # opening the engine runs the migrations
    if before is None:
        print(_("Đã tạo lược đồ cơ sở dữ liệu mới (phiên bản {revision}).").format(revision=after))
    elif before != after:
        print(
            _("Đã nâng cấp cơ sở dữ liệu từ phiên bản {old} lên {new}.").format(
                old=before, new=after
            )
        )
    else:
        print(_("Cơ sở dữ liệu đã ở phiên bản mới nhất."))
    return 0


def cmd_plan_load(ctx: Context, args: argparse.Namespace) -> int:
    """Check plan files and load them; a file with any error is refused whole, and so is a
    reload that would detach reports, officers or reminders (see ``scheduler.reload_guard``)."""
    from scheduler.planfile import PlanFileInvalid, read_plan_file
    from scheduler.planload import load_plan
    from scheduler.reload_guard import ReloadRefused, file_name_problem
    from storage.engine import session_scope

    specs = []
    failed = False
    for path in args.files:
        try:
            spec = read_plan_file(Path(path))
        except PlanFileInvalid as error:
            failed = True
            print(
                _("Không nạp {file}: {n} lỗi").format(file=path, n=len(error.problems)),
                file=sys.stderr,
            )
            for problem in error.problems:
                print(f"  {problem}", file=sys.stderr)
            continue
        misnamed = file_name_problem(Path(path), spec)
        if misnamed:
            failed = True
            print(_("Không nạp {file}: {n} lỗi").format(file=path, n=1), file=sys.stderr)
            print(f"  {misnamed}", file=sys.stderr)
        specs.append(spec)
    if failed:
        print(_("Chưa nạp kế hoạch nào; hãy sửa các lỗi trên rồi nạp lại."), file=sys.stderr)
        return 1
    options = reload_options(args)
    try:
        with session_scope(ctx.engine) as session:
            results = [
                load_plan(session, spec, ctx.clock.now(), options=options) for spec in specs
            ]
    except ReloadRefused as refusal:
        print(_("Không nạp kế hoạch {code}:").format(code=refusal.code), file=sys.stderr)
        for line in refusal.problems:
            print(f"  {line}", file=sys.stderr)
        print(reload_advice(refusal), file=sys.stderr)
        return 1
    for spec in specs:
        for warning in spec.warnings:
            print(_("Lưu ý {file}: {warning}").format(file=spec.code, warning=warning))
    for result in results:
        print(load_summary(result))
    return 0


def cmd_plan_list(ctx: Context, args: argparse.Namespace) -> int:
    """List the loaded plans."""
    from messages.plans import plan_line
    from storage.engine import session_scope
    from storage.queries import plans_with_counts

    with session_scope(ctx.engine) as session:
        rows = plans_with_counts(session)
    if not rows:
        print(
            _("Chưa có kế hoạch nào. Nạp một kế hoạch: nhacviec plan load plans/cua-lo-2024.toml")
        )
    for plan, count in rows:
        print(plan_line(plan, count))
    return 0


def cmd_plan_show(ctx: Context, args: argparse.Namespace) -> int:
    """Show a plan's tasks with their units and due dates."""
    from messages.plans import plan_timetable
    from storage.engine import session_scope
    from storage.queries import plan_tasks

    with session_scope(ctx.engine) as session:
        plan = plan_or_error(session, args.code)
        from sqlmodel import select

        from storage.models import Unit

        units = {u.id: u.name for u in session.exec(select(Unit).where(Unit.plan_id == plan.id))}
        print(plan_timetable(plan, plan_tasks(session, plan), units))
    return 0


def cmd_when(ctx: Context, args: argparse.Namespace) -> int:
    """Show how a time expression of a plan is understood."""
    from scheduler.timeexpr import TimeExpressionError, parse_when

    try:
        schedule = parse_when(args.text, args.year, report_day=args.report_day, until=args.until)
    except TimeExpressionError as error:
        raise CommandError(str(error)) from error
    if args.json:
        print(json.dumps(schedule.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"{schedule.kind}: {schedule.start} → {schedule.due}")
        if schedule.event:
            print("  " + _("chờ sự kiện: {event}").format(event=schedule.event))
        for occurrence in schedule.occurrences:
            due = occurrence.due or _("chưa có hạn chót")
            print(f"  {occurrence.period}: {due}")
    return 0


def add_plan_commands(commands: Commands, add: AddCommand) -> None:
    """Register ``db upgrade``, ``plan load|list|show`` and ``when`` under ``commands``."""
    db = commands.add_parser("db", help=_("cơ sở dữ liệu"))
    db_commands = db.add_subparsers(dest="db_command", metavar=_("LỆNH"), required=True)
    add(db_commands, "upgrade", cmd_db_upgrade, _("nâng cấp lược đồ cơ sở dữ liệu"))

    plan = commands.add_parser("plan", help=_("kế hoạch: nạp, liệt kê, xem, sao chép, lưu trữ"))
    plan_commands = plan.add_subparsers(dest="plan_command", metavar=_("LỆNH"), required=True)
    load = add(plan_commands, "load", cmd_plan_load, _("kiểm tra và nạp tệp kế hoạch (.toml)"))
    load.add_argument("files", nargs="+", metavar=_("TỆP"))
    load.add_argument(
        "--rename",
        action="append",
        default=[],
        metavar=_("CŨ=MỚI"),
        help=_("mã nhiệm vụ hay đơn vị đã đổi trong tệp (giữ báo cáo, cán bộ, lời nhắc)"),
    )
    load.add_argument(
        "--retire",
        action="store_true",
        help=_("thôi theo dõi những nhiệm vụ, đơn vị, kỳ không còn trong tệp"),
    )
    add(plan_commands, "list", cmd_plan_list, _("liệt kê các kế hoạch đã nạp"))
    show = add(plan_commands, "show", cmd_plan_show, _("xem nhiệm vụ, đơn vị và hạn chót"))
    show.add_argument("code", metavar=_("MÃ"))
    add_event_command(plan_commands, add)
    add_import_command(plan_commands, add)
    add_plan_year_commands(plan_commands, add)

    when = add(commands, "when", cmd_when, _("xem cách hiểu một mốc thời gian"))
    when.add_argument("text", metavar=_("MỐC"))
    when.add_argument("--year", type=int, required=True, help=_("năm của kế hoạch"))
    when.add_argument("--until", type=int, help=_("năm cuối của kế hoạch nhiều năm"))
    when.add_argument(
        "--report-day",
        type=int,
        default=15,
        help=_("ngày trong tháng cuối kỳ phải nộp báo cáo định kỳ"),
    )
    when.add_argument("--json", action="store_true", help=_("in dạng JSON"))
