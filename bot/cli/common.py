"""What every sub-command of ``nhacviec`` shares: the error it raises for the operator,
and the plan lookup that names the missing code. Its own module, so the sub-command
modules import it at the top instead of reaching back into ``bot.cli``, which imports them.
"""

from __future__ import annotations

from sqlmodel import Session

from messages.i18n import _
from storage.models import Plan
from storage.queries import plan_by_code


class CommandError(Exception):
    """A failure the operator can act on; its text is printed as it is."""


def plan_or_error(session: Session, code: str) -> Plan:
    """The plan of ``code``, or a ``CommandError`` saying where to find the codes."""
    plan = plan_by_code(session, code)
    if plan is None:
        raise CommandError(
            _("Không có kế hoạch mã {code}. Xem danh sách: nhacviec plan list").format(code=code)
        )
    return plan
