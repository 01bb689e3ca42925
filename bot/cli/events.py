"""``nhacviec plan event PLAN TASK --on DATE``: record that the event a task waits for happened.

For tasks set off by an event ("khi có vụ việc", "trong vòng 10 ngày kể từ khi ..."), or run
until one ("đến khi hoàn thành việc sắp xếp"): the deadline counted from the event then
applies, with the usual reminders (``scheduler.events``).  Without ``TASK`` it lists what
each of the plan's tasks waits for.
"""

from __future__ import annotations

import argparse
from datetime import date

from bot.cli.common import AddCommand, CommandError, Commands, Context, plan_or_error
from messages.i18n import _


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        message = _("cần một ngày dạng 2025-11-14, không phải {text!r}")
        raise argparse.ArgumentTypeError(message.format(text=text)) from None


def cmd_plan_event(ctx: Context, args: argparse.Namespace) -> int:
    """Record that a task's event happened, or list what the plan's tasks wait for."""
    from messages.events import cli_hint, event_recorded, waiting_list
    from scheduler.events import EventRefused, record_event
    from storage.engine import session_scope
    from storage.task_details import task_details

    with session_scope(ctx.engine) as session:
        plan = plan_or_error(session, args.code)
        if args.task is None:
            waiting = task_details(session, plan.id or 0, waiting=True)
            print(waiting_list(plan.code, waiting, cli_hint(plan.code)))
            return 0
        if args.on is None:
            raise CommandError(_("Hãy ghi ngày xảy ra sự kiện: --on 2025-11-14"))
        try:
            recorded = record_event(
                session, plan, args.task, args.on, ctx.clock.now(), "cli", due=args.due
            )
        except EventRefused as error:
            raise CommandError(str(error)) from error
        print(event_recorded(recorded.task, recorded.occurrence))
    return 0


def add_event_command(plan_commands: Commands, add: AddCommand) -> None:
    """Register ``plan event`` under the ``plan`` sub-commands."""
    event = add(
        plan_commands,
        "event",
        cmd_plan_event,
        _("ghi nhận sự kiện mà nhiệm vụ chờ (ví dụ khi có vụ việc), hoặc xem các nhiệm vụ chờ"),
    )
    event.add_argument("code", metavar=_("MÃ"))
    event.add_argument("task", nargs="?", metavar=_("NHIỆM-VỤ"))
    event.add_argument("--on", type=_day, metavar=_("NGÀY"), help=_("ngày xảy ra sự kiện"))
    event.add_argument(
        "--due", type=_day, metavar=_("NGÀY"), help=_("hạn chót, khi văn bản không tính sẵn")
    )
