"""The page's HTML: Jinja2 templates (in ``templates/``), autoescaped, fed plain data.

The templates hold markup only; their words come from ``messages.pages`` and
``messages.page_labels`` (``t`` and ``L`` in a template), in the language set around the
call, and dates from ``messages.dates``. A ``Visit`` gives them ``link``, which keeps the
viewer's token and language on every link.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape

from messages import dates
from messages import page_labels as labels
from messages import pages as texts
from messages.i18n import current_language
from storage.page import EvidenceFile, TaskDetail

if TYPE_CHECKING:
    from bot.pages.app import Visit
    from bot.pages.views import PlanPage


@cache
def environment() -> Environment:
    """The templates of the pages, with the texts and date formats they use."""
    env = Environment(
        loader=PackageLoader("bot.pages", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(t=texts, L=labels, short_date=dates.short_date, date_time=dates.date_time)
    return env


def _render(name: str, **context: Any) -> str:
    lang = current_language()
    return environment().get_template(name).render(lang=lang, **context)


def _other(visit: Visit | None, path: str) -> str | None:
    if visit is None:
        return None
    other = "en" if visit.lang == "vi" else "vi"
    return f"{path}?t={visit.token}&l={other}"


def plans(visit: Visit, now: datetime) -> str:
    """The page listing the plans the visitor may see."""
    return _render("plans.html", visit=visit, now=now, other=_other(visit, "/xem"))


def plan(visit: Visit, page: PlanPage) -> str:
    """The page of one plan: its units' progress and the overdue deadlines."""
    path = f"/xem/p/{page.scope.code}"
    return _render("plan.html", visit=visit, page=page, now=page.now, other=_other(visit, path))


def task(visit: Visit, detail: TaskDetail, evidence: list[EvidenceFile], now: datetime) -> str:
    """The page of one task: its reports by period and the evidence files."""
    path = f"/xem/p/{detail.plan_code}/t/{detail.code}"
    periods: dict[str, list] = {}
    for row in detail.rows:
        periods.setdefault(row.period, []).append(row)
    return _render(
        "task.html",
        visit=visit,
        detail=detail,
        periods=periods,
        evidence=evidence,
        now=now,
        other=_other(visit, path),
    )


def refused(why: str) -> str:
    """The page saying why a link shows nothing, and what to do next."""
    heading, hint = {
        "nothing": (texts.nothing_to_see(), texts.nothing_to_see_hint()),
        "not_found": (texts.not_found(), texts.not_found_hint()),
    }.get(why, (texts.link_refused(), texts.link_refused_hint()))
    return _render("refused.html", heading=heading, hint=hint, visit=None, other=None)


def launch(telegram_js: str) -> str:
    """The page a Telegram Mini App opens: it sends its signed launch data, to get the page."""
    return _render("launch.html", telegram_js=telegram_js, visit=None, other=None)
