"""/xem on Telegram, at the end of the demo's year: the leader's answer carries a Mini App
button (the fake Bot API server checks the request against the Bot API's spec), and the
page it opens, with the launch data Telegram would sign for that leader, shows the figures
/tonghop gives in the same chat.
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.cli import main
from bot.core.settings import CoreSettings
from bot.pages.app import PageSite, page_routes
from storage.engine import make_engine, upgrade
from storage.models import AuditLog, Plan, Role
from storage.progress_queries import obligations
from tests.page_world import SECRET, init_data
from tests.telegram_world import make_telegram_world
from tests.test_pages import figures, summary_figures, units_shown

PAGE_URL = "https://nhacviec.example.gov.vn"


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory):
    """The database ``nhacviec demo`` leaves after its whole year."""
    folder = tmp_path_factory.mktemp("demo")
    config = folder / "config.toml"
    config.write_text("", encoding="utf-8")
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        code = main(["demo", "--db", str(folder / "demo.db"), "--config", str(config), "--quiet"])
    assert code == 0
    return folder / "demo.db"


@pytest.fixture
def world(demo_database, tmp_path, fake_telegram):
    copy = tmp_path / "demo.db"
    copy.write_bytes(demo_database.read_bytes())
    engine = make_engine(f"sqlite:///{copy}")
    upgrade(engine)
    world = make_telegram_world(engine, fake_telegram)
    with Session(engine) as session:  # the demo's last instant
        world.clock.set(session.exec(select(func.max(AuditLog.at))).one() + timedelta(hours=1))
    world.core.settings = CoreSettings(page_url=PAGE_URL, page_secret=SECRET)
    yield world
    assert world.harness is not None
    world.harness.stop()
    engine.dispose()


def test_a_leader_opens_the_mini_app_and_sees_the_figures_of_tonghop(world):
    world.invite("LEAD", Role.LEADER)
    world.send("Chi", "private", "/dangky {LEAD}")
    summary = world.send("Chi", "private", "/tonghop")[0].text
    assert "Đầu việc đã đến kỳ" in summary

    shown = world.send("Chi", "private", "/xem")
    assert [m.message.method for m in shown] == ["sendMessage"]
    keyboard = shown[0].message.reply_markup["inline_keyboard"]
    assert keyboard == [
        [{"text": "Xem trang tổng hợp", "web_app": {"url": f"{PAGE_URL}/xem/app"}}]
    ]
    assert world.fake.violations == []

    site = PageSite(world.engine, world.clock, SECRET, telegram_token=world.fake.token)
    client = TestClient(Starlette(routes=page_routes(site)), follow_redirects=True)
    launch = init_data(
        world.fake.token, world.person("Chi").id, int(world.clock.now().timestamp())
    )
    page = client.post("/xem/app", data={"init_data": launch})
    assert page.status_code == 200 and page.url.path == "/xem/p/cua-lo-2024"
    assert figures(page.text) == summary_figures(summary)
    total = re.search(r"Đầu việc đã đến kỳ: (\d+)", summary)
    assert total and f"Đầu việc đã đến kỳ: {total.group(1)}" in page.text
    with Session(world.engine) as session:  # every unit that owes a task of the plan
        plan = session.exec(select(Plan).where(Plan.code == "cua-lo-2024")).one()
        owing = {o.unit.code for refs in obligations(session, plan.id).values() for o in refs}
    assert sorted(units_shown(page.text)) == sorted(owing)


def test_an_officer_sees_their_unit_and_forged_launch_data_sees_nothing(world):
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.send("An", "private", "/dangky {NV}")
    site = PageSite(world.engine, world.clock, SECRET, telegram_token=world.fake.token)
    client = TestClient(Starlette(routes=page_routes(site)), follow_redirects=True)
    now = int(world.clock.now().timestamp())
    page = client.post(
        "/xem/app", data={"init_data": init_data(world.fake.token, world.person("An").id, now)}
    )
    assert units_shown(page.text) == ["NV"]
    forged = init_data("123:not-this-bots-token", world.person("An").id, now)
    refused = client.post("/xem/app", data={"init_data": forged})
    assert refused.status_code == 403 and "data-unit" not in refused.text
    stale = init_data(world.fake.token, world.person("An").id, now - 2 * 3600)
    assert client.post("/xem/app", data={"init_data": stale}).status_code == 403
