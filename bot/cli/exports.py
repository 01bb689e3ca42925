"""``nhacviec export``, ``nhacviec report`` and ``nhacviec chart``: a plan's files, on disk.

The same files the chat sends (``messages.exports``): the Excel workbook, the Word draft
of a periodic report, the progress chart. Each is built from the database at the
clock's now and written whole or not at all (a temporary file renamed into place), so
an interrupted run never leaves half a file where the last good one was.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bot.cli.common import AddCommand, CommandError, Commands, Context, plan_or_error
from messages.i18n import _


def _reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return _("thư mục không tồn tại")
    if isinstance(error, PermissionError):
        return _("không có quyền ghi")
    if isinstance(error, IsADirectoryError):
        return _("đó là một thư mục")
    return error.strerror or str(error)


def _write(out: Path | None, default_name: str, content: bytes) -> None:
    """Write ``content`` to ``out`` (into it, when a folder) atomically; say where."""
    target = (out or Path(default_name)).expanduser()
    if target.is_dir():
        target = target / default_name
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".nhacviec-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise CommandError(
            _("Không ghi được tệp {path}: {reason}. Hãy chọn một thư mục có quyền ghi.").format(
                path=target, reason=_reason(error)
            )
        ) from error
    size = max(round(len(content) / 1024), 1)
    print(_("Đã ghi {path} ({size} KB).").format(path=target, size=size))


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    """Write the plan's Excel workbook: progress, every report, reminders sent."""
    from bot.exports import workbook_bytes
    from messages.exports.workbook import workbook_filename
    from storage.engine import session_scope

    now = ctx.clock.now()
    with session_scope(ctx.engine) as session:
        plan = plan_or_error(session, args.code)
        content = workbook_bytes(session, plan, now, evidence_dir=ctx.config.files.evidence_dir)
    _write(args.out, workbook_filename(plan, now), content)
    return 0


def cmd_report(ctx: Context, args: argparse.Namespace) -> int:
    """Write the Word draft of the plan's report on one period."""
    from bot.exports import period_report_bytes
    from messages.exports.period_report import report_filename
    from messages.exports.periods import PeriodError, report_period
    from scheduler.timeexpr import TimeExpressionError, parse_when
    from storage.engine import session_scope

    now = ctx.clock.now()
    with session_scope(ctx.engine) as session:
        plan = plan_or_error(session, args.code)
        try:
            period = report_period(parse_when(args.period, plan.year), args.period)
        except TimeExpressionError as error:
            raise CommandError(
                _(
                    'Không đọc được kỳ báo cáo "{text}". Hãy ghi một tháng, quý, 6 tháng '
                    'hoặc năm, ví dụ: --period "Quý I/{year}".'
                ).format(text=args.period, year=plan.year)
            ) from error
        except PeriodError as error:
            raise CommandError(str(error)) from error
        content = period_report_bytes(session, plan, period, now)
    _write(args.out, report_filename(plan, period), content)
    return 0


def cmd_chart(ctx: Context, args: argparse.Namespace) -> int:
    """Write the plan's progress chart (the picture sent with /tonghop)."""
    from messages.exports.chart import build_chart, chart_filename
    from storage.engine import session_scope
    from storage.progress_queries import plan_progress

    now = ctx.clock.now()
    with session_scope(ctx.engine) as session:
        plan = plan_or_error(session, args.code)
        assert plan.id is not None
        progress = plan_progress(session, plan.id, now)
    _write(args.out, chart_filename(progress), build_chart(progress))
    return 0


def add_export_commands(commands: Commands, add: AddCommand) -> None:
    """The three sub-commands, on ``nhacviec``'s parser (``add`` is its helper)."""
    out_help = _("tệp sẽ ghi (mặc định: tên tự đặt, trong thư mục hiện tại)")
    export = add(commands, "export", cmd_export, _("xuất tiến độ kế hoạch ra tệp Excel (.xlsx)"))
    export.add_argument("code", metavar=_("MÃ"))
    export.add_argument("--out", type=Path, metavar=_("TỆP"), help=out_help)
    report = add(
        commands, "report", cmd_report, _("soạn dự thảo báo cáo định kỳ ra tệp Word (.docx)")
    )
    report.add_argument("code", metavar=_("MÃ"))
    report.add_argument(
        "--period",
        required=True,
        metavar=_("KỲ"),
        help=_('kỳ báo cáo, ví dụ "Quý I/2024", "6 tháng đầu năm 2024", "Năm 2024"'),
    )
    report.add_argument("--out", type=Path, metavar=_("TỆP"), help=out_help)
    chart = add(commands, "chart", cmd_chart, _("vẽ biểu đồ tiến độ các đơn vị ra tệp PNG"))
    chart.add_argument("code", metavar=_("MÃ"))
    chart.add_argument("--out", type=Path, metavar=_("TỆP"), help=out_help)
