"""The page's routes on the bot's web server (Starlette; see ``bot.web``).

Every request names its viewer: a page link's token (``?t=``, ``bot.pages.tokens``), made
by /xem or, on Telegram, by ``POST /xem/app`` once the Mini App's launch data checks out.
Without a valid token the answer is a short page saying what to do, and nothing else.
The plans and units shown are those the viewer may see now (``plan_scopes``), read at
each request; every view, and every refusal, is written to the audit log. No route
changes data. Pages are not cached and send no referrer: their links carry the token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from sqlalchemy import Engine
from sqlmodel import Session, select
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.config import Config
from bot.pages import render, tokens
from bot.pages.files import HEADERS, download, evidence_response
from bot.pages.views import offered_periods, plan_page
from bot.web import bounded_body
from messages.i18n import LANGUAGES, language
from scheduler.clock import Clock
from storage.engine import session_scope
from storage.filestore import FileStore
from storage.models import Chat, Plan
from storage.page import PlanScope
from storage.page_queries import kept_file, plan_scopes, task_detail, task_evidence
from storage.store import SqlStore

logger = logging.getLogger(__name__)

TELEGRAM_JS = "https://telegram.org/js/telegram-web-app.js"


@dataclass
class PageSite:
    """What the page needs: the database, the clock, the link secret, the Telegram bot's
    token (to check Mini App data; empty: no Mini App), the operators, the language and
    the evidence file store's folder (empty: no store, files stay on the platforms)."""

    engine: Engine
    clock: Clock
    secret: str
    telegram_token: str = ""
    operators: Mapping[str, frozenset[str]] | None = None
    default_language: str = "vi"
    telegram_js: str = TELEGRAM_JS
    evidence_dir: str = ""


@dataclass
class Visit:
    viewer: tokens.Viewer
    token: str
    lang: str
    scopes: list[PlanScope]

    def link(self, path: str, **query: str | int) -> str:
        return f"{path}?{urlencode({'t': self.token, 'l': self.lang, **query})}"

    def scope(self, code: str) -> PlanScope | None:
        return next((scope for scope in self.scopes if scope.code == code), None)


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _language(session: Session, viewer: tokens.Viewer, asked: str | None, default: str) -> str:
    if asked in LANGUAGES:
        return asked
    chat = session.exec(
        select(Chat).where(Chat.platform == viewer.platform, Chat.chat_id == viewer.user_id)
    ).first()
    return chat.language if chat is not None and chat.language in LANGUAGES else default


def page_routes(site: PageSite) -> list[BaseRoute]:
    """The routes of the page, under ``/xem``."""
    store = SqlStore(site.engine)
    files = FileStore(Path(site.evidence_dir)) if site.evidence_dir else None

    def refuse(
        request: Request, why: str, lang: str | None = None, who: tokens.Viewer | None = None
    ) -> HTMLResponse:
        platform, actor = (who.platform, who.user_id) if who else ("web", "-")
        store.audit(
            site.clock.now(), platform, actor, None, "page.refused", f"{why} {request.url.path}"
        )
        with language(lang if lang in LANGUAGES else site.default_language):
            return _html(render.refused(why), 404 if why == "not_found" else 403)

    def visit(request: Request, session: Session) -> Visit | HTMLResponse:
        token = request.query_params.get("t", "")
        asked = request.query_params.get("l")
        viewer = tokens.read(site.secret, token, site.clock.now())
        if viewer is None:
            return refuse(request, "link", asked)
        operator = viewer.user_id in (site.operators or {}).get(viewer.platform, frozenset())
        scopes = plan_scopes(session, viewer.platform, viewer.user_id, operator)
        lang = _language(session, viewer, asked, site.default_language)
        if not scopes:
            return refuse(request, "nothing", lang)
        store.audit(
            site.clock.now(), viewer.platform, viewer.user_id, None, "page.view", request.url.path
        )
        return Visit(viewer, token, lang, scopes)

    def viewed(build: Callable[[Request, Session, Visit], Response]) -> Callable:
        def endpoint(request: Request) -> Response:
            with session_scope(site.engine) as session:
                seen = visit(request, session)
                if isinstance(seen, HTMLResponse):
                    return seen
                with language(seen.lang):
                    return build(request, session, seen)

        return endpoint

    def home(request: Request, session: Session, seen: Visit) -> Response:
        if len(seen.scopes) == 1:
            return RedirectResponse(seen.link(f"/xem/p/{seen.scopes[0].code}"), 303, HEADERS)
        return _html(render.plans(seen, site.clock.now()))

    def plan(request: Request, session: Session, seen: Visit) -> Response:
        scope = seen.scope(request.path_params["code"])
        if scope is None:
            return refuse(request, "not_found", seen.lang)
        return _html(render.plan(seen, plan_page(session, scope, site.clock.now())))

    def task(request: Request, session: Session, seen: Visit) -> Response:
        scope = seen.scope(request.path_params["code"])
        detail = (
            task_detail(session, scope, request.path_params["task"], site.clock.now())
            if scope
            else None
        )
        if scope is None or detail is None:
            return refuse(request, "not_found", seen.lang)
        evidence = task_evidence(session, scope, detail.task_id)
        return _html(render.task(seen, detail, evidence, site.clock.now()))

    def evidence(request: Request, session: Session, seen: Visit) -> Response:
        # The right to the file is the right to its report: the viewer's scope sees the
        # unit that sent it, on a task of this plan. The view's audit line names the file.
        scope = seen.scope(request.path_params["code"])
        found = kept_file(session, scope, request.path_params["file"]) if scope else None
        if found is None or files is None:
            return refuse(request, "not_found", seen.lang, seen.viewer)
        row, task_row = found
        try:
            content = files.read(row.path)
        except (FileNotFoundError, ValueError):
            logger.warning("evidence %s is not in the file store: %s", row.id, row.path)
            return refuse(request, "not_found", seen.lang, seen.viewer)
        return evidence_response(content, row, task_row.code)

    def whole_plan(request: Request, seen: Visit) -> PlanScope | None:
        scope = seen.scope(request.path_params["code"])
        return scope if scope is not None and scope.whole else None

    def chart(request: Request, session: Session, seen: Visit) -> Response:
        from messages.exports.chart import MIME_TYPE, build_chart
        from storage.progress_queries import plan_progress

        scope = whole_plan(request, seen)
        if scope is None:
            return refuse(request, "not_found", seen.lang)
        content = build_chart(plan_progress(session, scope.plan_id, site.clock.now()), seen.lang)
        return Response(content, media_type=MIME_TYPE, headers=HEADERS)

    def workbook(request: Request, session: Session, seen: Visit) -> Response:
        from bot.exports import workbook_bytes
        from messages.exports.workbook import MIME_TYPE, workbook_filename

        scope = whole_plan(request, seen)
        plan_row = session.get(Plan, scope.plan_id) if scope else None
        if plan_row is None:
            return refuse(request, "not_found", seen.lang)
        now = site.clock.now()
        content = workbook_bytes(session, plan_row, now, seen.lang)
        return download(content, MIME_TYPE, workbook_filename(plan_row, now))

    def period_report(request: Request, session: Session, seen: Visit) -> Response:
        from bot.exports import period_report_bytes
        from messages.exports.period_report import MIME_TYPE, report_filename

        scope = whole_plan(request, seen)
        plan_row = session.get(Plan, scope.plan_id) if scope else None
        if plan_row is None:
            return refuse(request, "not_found", seen.lang)
        now = site.clock.now()
        number = request.path_params["number"]
        chosen = [p for r, p in offered_periods(plan_row, now) if r.number == number]
        if not chosen:
            return refuse(request, "not_found", seen.lang)
        content = period_report_bytes(session, plan_row, chosen[0], now, seen.lang)
        return download(content, MIME_TYPE, report_filename(plan_row, chosen[0]))

    def mini_app(request: Request) -> Response:
        with language(site.default_language):
            return _html(render.launch(site.telegram_js))

    async def mini_app_open(request: Request) -> Response:
        # A small urlencoded form, read without a multipart parser.
        body = await bounded_body(request, 64 * 1024)
        form = parse_qs((body or b"").decode("utf-8", "replace"))
        init_data = form.get("init_data", [""])[0]
        now = site.clock.now()
        viewer = tokens.check_init_data(site.telegram_token, init_data, now)
        if viewer is None:
            return refuse(request, "launch")
        token = tokens.sign(site.secret, viewer.platform, viewer.user_id, now)
        return RedirectResponse(f"/xem?{urlencode({'t': token})}", 303, HEADERS)

    return [
        Route("/xem", viewed(home)),
        Route("/xem/app", mini_app, methods=["GET"]),
        Route("/xem/app", mini_app_open, methods=["POST"]),
        Route("/xem/p/{code}", viewed(plan)),
        Route("/xem/p/{code}/t/{task}", viewed(task)),
        Route("/xem/p/{code}/f/{file:int}", viewed(evidence)),
        Route("/xem/p/{code}/chart.png", viewed(chart)),
        Route("/xem/p/{code}/workbook.xlsx", viewed(workbook)),
        Route("/xem/p/{code}/report/{number:int}.docx", viewed(period_report)),
    ]


def configured_routes(config: Config, engine: Engine, clock: Clock) -> list[BaseRoute]:
    """The page's routes as ``[web]``, ``[telegram]`` and ``[operators]`` configure them."""
    operators = config.operators
    site = PageSite(
        engine,
        clock,
        config.web.secret,
        telegram_token=config.telegram.token if config.telegram.enabled else "",
        operators={
            "telegram": frozenset(operators.telegram),
            "zalo": frozenset(operators.zalo),
            "console": frozenset(operators.console),
        },
        default_language=config.general.language,
        evidence_dir=config.files.evidence_dir,
    )
    return page_routes(site)
