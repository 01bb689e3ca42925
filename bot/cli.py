"""The ``nhacviec`` command: what the operator types on the server.

Every sub-command takes ``--config PATH``; errors are printed as one short Vietnamese
line (or one per problem for a refused plan file) and exit with status 1 or 2, never
as a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from bot.chat_cli import add_chat_commands
from bot.commandline import CommandError, plan_or_error
from bot.config import Config, ConfigError, load_config
from bot.demo import add_demo_command
from bot.exports_cli import add_export_commands
from bot.import_cli import add_import_command
from bot.reminders_cli import add_reminder_commands
from bot.runtime import add_run_command
from bot.timing import make_clock
from messages.i18n import _
from messages.plans import plan_line, plan_timetable
from scheduler.clock import Clock
from scheduler.planfile import PlanFileInvalid, read_plan_file
from scheduler.planload import load_plan
from scheduler.timeexpr import TimeExpressionError, parse_when
from storage.engine import make_engine, session_scope, upgrade
from storage.queries import plan_tasks, plans_with_counts

logger = logging.getLogger(__name__)


class Context:
    """What every sub-command may need: the configuration, a database, the clock."""

    def __init__(self, config: Config, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.config.database.url)
            try:
                upgrade(self._engine)
            except OperationalError as error:
                raise CommandError(
                    _("Không mở được cơ sở dữ liệu ({url}): {reason}").format(
                        url=self._engine.url.render_as_string(hide_password=True),
                        reason=str(error.orig).strip(),
                    )
                ) from error
        return self._engine


def cmd_db_upgrade(ctx: Context, args: argparse.Namespace) -> int:
    """Bring the database schema up to date (the bot also does it on start)."""
    ctx.engine  # noqa: B018  (opening the engine runs the migrations)
    print(_("Cơ sở dữ liệu đã ở phiên bản mới nhất."))
    return 0


def cmd_plan_load(ctx: Context, args: argparse.Namespace) -> int:
    """Check plan files and load them; a file with any error is refused whole."""
    specs = []
    failed = False
    for path in args.files:
        try:
            specs.append(read_plan_file(Path(path)))
        except PlanFileInvalid as error:
            failed = True
            print(
                _("Không nạp {file}: {n} lỗi").format(file=path, n=len(error.problems)),
                file=sys.stderr,
            )
            for problem in error.problems:
                print(f"  {problem}", file=sys.stderr)
    if failed:
        print(_("Chưa nạp kế hoạch nào; hãy sửa các lỗi trên rồi nạp lại."), file=sys.stderr)
        return 1
    with session_scope(ctx.engine) as session:
        results = [load_plan(session, spec, ctx.clock.now()) for spec in specs]
    for result in results:
        if result.created:
            message = _(
                "Đã nạp kế hoạch {code}: {tasks} nhiệm vụ, {deadlines} hạn chót, {units} đơn vị."
            )
        elif result.updated:
            message = _(
                "Đã cập nhật kế hoạch {code}: {tasks} nhiệm vụ, {deadlines} hạn chót, "
                "{units} đơn vị; các báo cáo đã có được giữ nguyên."
            )
        else:
            message = _("Kế hoạch {code} không có gì thay đổi.")
        print(
            message.format(
                code=result.code,
                tasks=result.tasks,
                deadlines=result.occurrences,
                units=result.units,
            )
        )
    return 0


def cmd_plan_list(ctx: Context, args: argparse.Namespace) -> int:
    """List the loaded plans."""
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
    with session_scope(ctx.engine) as session:
        plan = plan_or_error(session, args.code)
        print(plan_timetable(plan, plan_tasks(session, plan)))
    return 0


def cmd_when(ctx: Context, args: argparse.Namespace) -> int:
    """Show how a time expression of a plan is understood."""
    try:
        schedule = parse_when(args.text, args.year, report_day=args.report_day)
    except TimeExpressionError as error:
        raise CommandError(str(error)) from error
    if args.json:
        print(json.dumps(schedule.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"{schedule.kind}: {schedule.start} → {schedule.due}")
        for occurrence in schedule.occurrences:
            print(f"  {occurrence.period}: {occurrence.due}")
    return 0


Handler = Callable[[Context, argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    config_help = _("tệp cấu hình (mặc định ./config.toml)")
    # --config may stand before or after the sub-command; the sub-commands' copy must not
    # reset a value given before them, hence SUPPRESS there.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=argparse.SUPPRESS, help=config_help)
    parser = argparse.ArgumentParser(
        prog="nhacviec",
        description=_("Nhắc việc: theo dõi, nhắc hạn và tổng hợp nhiệm vụ của kế hoạch."),
    )
    parser.add_argument("--config", type=Path, default=None, help=config_help)
    commands = parser.add_subparsers(dest="command", metavar=_("LỆNH"))

    def add(parent: argparse._SubParsersAction, name: str, handler: Handler, text: str):
        sub = parent.add_parser(name, parents=[common], help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    db = commands.add_parser("db", help=_("cơ sở dữ liệu"))
    db_commands = db.add_subparsers(dest="db_command", metavar=_("LỆNH"), required=True)
    add(db_commands, "upgrade", cmd_db_upgrade, _("nâng cấp lược đồ cơ sở dữ liệu"))

    plan = commands.add_parser("plan", help=_("kế hoạch: nạp, liệt kê, xem"))
    plan_commands = plan.add_subparsers(dest="plan_command", metavar=_("LỆNH"), required=True)
    load = add(plan_commands, "load", cmd_plan_load, _("kiểm tra và nạp tệp kế hoạch (.toml)"))
    load.add_argument("files", nargs="+", metavar=_("TỆP"))
    add(plan_commands, "list", cmd_plan_list, _("liệt kê các kế hoạch đã nạp"))
    show = add(plan_commands, "show", cmd_plan_show, _("xem nhiệm vụ, đơn vị và hạn chót"))
    show.add_argument("code", metavar=_("MÃ"))
    add_import_command(plan_commands, add)

    when = add(commands, "when", cmd_when, _("xem cách hiểu một mốc thời gian"))
    when.add_argument("text", metavar=_("MỐC"))
    when.add_argument("--year", type=int, required=True, help=_("năm của kế hoạch"))
    when.add_argument(
        "--report-day",
        type=int,
        default=15,
        help=_("ngày trong tháng cuối kỳ phải nộp báo cáo định kỳ"),
    )
    when.add_argument("--json", action="store_true", help=_("in dạng JSON"))
    add_reminder_commands(commands, add)
    add_export_commands(commands, add)
    add_chat_commands(commands, add)
    add_run_command(commands, add)
    add_demo_command(commands, add)
    return parser


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        config = load_config(args.config)
        return args.handler(Context(config, clock or make_clock(config)), args)
    except (ConfigError, CommandError) as error:
        print(_("Lỗi: {message}").format(message=error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
