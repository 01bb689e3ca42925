"""What every sub-command of ``nhacviec`` shares: the context it runs in, the error it
raises for the operator, and the plan lookup that names the missing code. Its own
module, so the sub-command modules import it at the top instead of reaching back into
``bot.cli``, which imports them. Light: it loads no database library (those load when a
sub-command opens the database), so that building the parser, or ``--help``, starts at once.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from messages.i18n import _

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from bot.config import Config
    from scheduler.clock import Clock
    from storage.models import Plan


class CommandError(Exception):
    """A failure the operator can act on; its text is printed as it is."""


class Context:
    """What every sub-command may need: the configuration, a database, the clock."""

    def __init__(self, config: Config, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        from sqlalchemy.exc import OperationalError

        from storage.engine import make_engine, upgrade

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


Handler = Callable[[Context, argparse.Namespace], int]
Commands = argparse._SubParsersAction  # the sub-commands of ``nhacviec`` (or of a group)


def later(module: str, name: str) -> Handler:
    """The handler ``name`` of ``module``, imported when the sub-command runs: a handler's
    module loads the database, the scheduler or a file library, which ``--help`` and the
    other sub-commands do not need."""

    def handler(ctx: Context, args: argparse.Namespace) -> int:
        found: Handler = getattr(importlib.import_module(module), name)
        return found(ctx, args)

    return handler


class AddCommand(Protocol):
    """``add(commands, name, handler, text)``: a sub-command running ``handler``, ``text``
    its help; returns its parser, for its arguments."""

    def __call__(
        self, parent: Commands, name: str, handler: Handler, text: str
    ) -> argparse.ArgumentParser: ...


def plan_or_error(session: Session, code: str) -> Plan:
    """The plan of ``code``, or a ``CommandError`` saying where to find the codes."""
    from storage.queries import plan_by_code

    plan = plan_by_code(session, code)
    if plan is None:
        raise CommandError(
            _("Không có kế hoạch mã {code}. Xem danh sách: nhacviec plan list").format(code=code)
        )
    return plan
