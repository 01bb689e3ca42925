"""The parser of ``nhacviec reminders list|preview``; the commands themselves are in
``bot.cli.reminders``, which loads the scheduler and the database, and only when one runs."""

from __future__ import annotations

import argparse
import re
from datetime import timedelta

from bot.cli.common import AddCommand, Commands, later
from messages.i18n import _

_DURATION = re.compile(r"^\s*(\d+)\s*([dhw]?)\s*$")
_UNITS = {"": "days", "d": "days", "h": "hours", "w": "weeks"}


def duration(text: str) -> timedelta:
    """``7d``, ``12h``, ``2w`` (a bare number is days), for ``--due-within``."""
    match = _DURATION.match(text)
    if not match:
        message = _(
            "cần một khoảng thời gian như 7d (ngày), 12h (giờ) hoặc 2w (tuần), không phải {text!r}"
        )
        raise argparse.ArgumentTypeError(message.format(text=text))
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def add_reminder_commands(commands: Commands, add: AddCommand) -> None:
    """Register ``reminders list`` and ``reminders preview`` under ``commands``."""
    reminders = commands.add_parser("reminders", help=_("nhắc việc: xem lịch và hàng đợi gửi"))
    sub = reminders.add_subparsers(dest="reminders_command", metavar=_("LỆNH"), required=True)
    listing = add(
        sub,
        "list",
        later("bot.cli.reminders", "cmd_reminders_list"),
        _("nhắc việc sắp gửi và đã gửi gần đây, kèm trạng thái"),
    )
    listing.add_argument(
        "--due-within",
        type=duration,
        default=timedelta(days=7),
        metavar=_("KHOẢNG"),
        help=_("xem các nhắc việc đến hạn trong khoảng này, ví dụ 7d, 12h, 2w (mặc định 7d)"),
    )
    preview = add(
        sub,
        "preview",
        later("bot.cli.reminders", "cmd_reminders_preview"),
        _("lịch nhắc việc cả năm của một kế hoạch (không gửi gì)"),
    )
    preview.add_argument("code", metavar=_("MÃ"))
