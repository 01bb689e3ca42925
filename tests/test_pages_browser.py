"""The leaders' page in a real browser: headless Chromium (Debian's package) opens the
links /xem gives, a forged one, and the Mini App's launch, at a phone's width.

Chromium is driven from Python by its command line: ``--dump-dom`` prints the page as
the browser built it (after its script ran and its form was posted), ``--screenshot``
keeps a picture of it. The pictures stay in ``tests/screenshots/`` (ignored by git) for
review. Without Chromium these tests are skipped, unless NHACVIEC_REQUIRE_BROWSER=1
(as in CI), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlmodel import Session, select

from bot.core.settings import CoreSettings
from storage.engine import make_engine, upgrade
from storage.models import Member
from tests.page_world import BOT_TOKEN, SECRET, PageServer, init_data, link_for, page_world, site
from tests.test_pages import figures, summary_figures, units_shown

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("NHACVIEC_REQUIRE_BROWSER") == "1"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PHONE = "390,844"  # CSS pixels of a common phone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None and not REQUIRED,
        reason="Chromium is not installed (apt-get install chromium); "
        "set NHACVIEC_REQUIRE_BROWSER=1 to fail instead",
    ),
]


def chromium(*args: str) -> subprocess.CompletedProcess:
    assert CHROMIUM is not None, "NHACVIEC_REQUIRE_BROWSER=1 but Chromium is not installed"
    command = [CHROMIUM, "--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]
    if os.geteuid() == 0:  # a container's root: Chromium's sandbox needs a user namespace
        command.append("--no-sandbox")
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=90, check=True
    )


def dom(url: str) -> str:
    """The page as Chromium built it, its script run and any form it posted answered."""
    return chromium("--virtual-time-budget=5000", "--dump-dom", url).stdout


def screenshot(url: str, name: str, height: int = 844) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    chromium(f"--window-size=390,{height}", f"--screenshot={path}", url)
    assert path.stat().st_size > 5000, f"{path} looks empty"
    return path


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('page') / 'page.db'}")
    upgrade(engine)
    world = page_world(engine, evidence_dir=tmp_path_factory.mktemp("evidence"))
    with PageServer(site(world)) as server:
        world.core.settings = CoreSettings(
            operators=world.core.settings.operators, page_url=server.url, page_secret=SECRET
        )
        yield world, server
    engine.dispose()


def test_a_leader_opens_the_link_and_sees_the_figures_of_tonghop(served):
    world, _server = served
    summary = world.send("Chi", "private", "/tonghop")[0].text
    link = link_for(world, "Chi")
    page = dom(link)
    assert figures(page) == summary_figures(summary)
    assert len(units_shown(page)) == 13
    print(
        "screenshots:", screenshot(link, "plan-leader"), screenshot(link, "plan-leader-long", 2400)
    )
    task = link.replace("/xem?", "/xem/p/cua-lo-2024/t/T2?")
    assert "chưa có kinh phí in pano" in dom(task)
    screenshot(task, "task-T2")


def yellow_share(picture: Path) -> float:
    """The share of the screenshot's pixels in the yellow of the report's photo (the
    bands of ``tests.page_world.striped_png``): no page colour comes near it."""
    from PIL import Image

    with Image.open(picture) as image:
        data = image.convert("RGB").tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    near = [p for p in pixels if abs(p[0] - 0xF2) + abs(p[1] - 0xC2) + abs(p[2] - 0x2E) < 30]
    return len(near) / len(pixels)


def test_a_task_page_shows_the_reports_photo_and_offers_its_file(served):
    world, _server = served
    task = link_for(world, "Chi").replace("/xem?", "/xem/p/cua-lo-2024/t/T3?")
    page = dom(task)
    section = page[page.index('id="evidence"') : page.index('id="history"')]
    assert '<img class="photo"' in section and "Biên bản nghiệm thu.pdf" in section
    picture = screenshot(task, "task-T3-evidence", 2000)
    # The photo is drawn: its yellow bands cover part of the phone's screen.
    assert yellow_share(picture) > 0.02, picture


def test_an_officer_sees_only_their_unit(served):
    world, _server = served
    link = link_for(world, "An")
    page = dom(link)
    assert units_shown(page) == ["NV"]
    assert "Ủy ban nhân dân các phường" not in page
    screenshot(link, "plan-officer")


def test_a_forged_link_shows_the_refusal_and_nothing_else(served):
    world, _server = served
    link = link_for(world, "Chi")
    token = link.split("t=", 1)[1].split("&")[0]
    payload, mac = token.split(".")
    forged = link.replace(token, f"{payload}.{mac[:-3]}AAA")
    page = dom(forged)
    assert "Liên kết không hợp lệ hoặc đã hết hạn" in page
    assert "Cửa Lò" not in page and "data-unit" not in page
    screenshot(forged, "refused")


def test_the_mini_app_launch_opens_the_page_and_forged_launch_data_does_not(served):
    world, server = served
    with Session(world.engine) as session:  # Giang, the coordinator, on Telegram
        member = session.exec(select(Member).where(Member.user_id == "Giang")).one()
        member.platform, member.user_id = "telegram", "2002"
        session.add(member)
        session.commit()
    signed = init_data(BOT_TOKEN, 2002, int(world.clock.now().timestamp()))
    # Telegram hands the launch data to the page in its URL's fragment.
    page = dom(f"{server.url}/xem/app#tgWebAppData={quote(signed)}&tgWebAppVersion=8.0")
    assert "Tổng hợp tiến độ" in page and len(units_shown(page)) == 13
    altered = re.sub(r"%22id%22%3A2002", "%22id%22%3A2003", signed)
    page = dom(f"{server.url}/xem/app#tgWebAppData={quote(altered)}&tgWebAppVersion=8.0")
    assert "Liên kết không hợp lệ hoặc đã hết hạn" in page and "data-unit" not in page
