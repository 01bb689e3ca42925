"""The leaders' page's world for tests: the chat world of ``tests.chat_world`` (the
cua-lo-2024 plan, a leader, a coordinator, two officers, reports with a photo) with the
page switched on, and the page served for real on a free port when a browser needs it.

``PageServer`` runs ``bot.web.WebServer`` with the page's routes in a thread of its own,
as ``nhacviec run`` serves them; ``link`` is what /xem answers a person with.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import threading
from urllib.parse import urlencode

from sqlalchemy import Engine

from bot.core.settings import CoreSettings
from bot.pages.app import PageSite, page_routes
from bot.web import WebServer
from storage.models import Role
from tests.chat_world import At, Has, World, make_world, photo, run_dialog

SECRET = "khoa-bi-mat-cua-trang-tong-hop-2024"
PAGE_URL = "http://127.0.0.1:8080"
BOT_TOKEN = "123456:TEST-token-of-the-bot"
LINK = re.compile(r"https?://\S+/xem\?t=\S+")


def page_world(engine: Engine, page_url: str = PAGE_URL) -> World:
    """The plan in March 2024: An (Phòng Nội vụ) and Bình (UBND các phường) report, Chi
    leads, Giang coordinates; T2 (due in February) is overdue for some units."""
    world = make_world(engine, operators=("Quản trị",))
    world.core.settings = CoreSettings(
        operators={"console": frozenset({"Quản trị"})}, page_url=page_url, page_secret=SECRET
    )
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.invite("PHUONG", Role.MEMBER, "UBND-PHUONG")
    world.invite("LEAD", Role.LEADER)
    world.invite("COORD", Role.COORDINATOR, plan="cua-lo-2024")
    for name, code in (("An", "NV"), ("Bình", "PHUONG"), ("Chi", "LEAD"), ("Giang", "COORD")):
        world.send(name, "private", f"/dangky {{{code}}}")
    run_dialog(
        world,
        [
            ("An", "private", "/baocao T2 hoàn thành đã đăng 3 tin bài", Has("T2")),
            ("An", "private", "/baocao T3 50% đã tập huấn cho 40 cán bộ", Has("T3", "50%")),
            At("2024-03-12 10:00"),
            ("Bình", "private", "/baocao T2 vướng mắc chưa có kinh phí in pano", Has("T2")),
        ],
    )
    replies = world.send(
        "An", "private", "/baocao T3 70% thêm ảnh hội nghị", attachments=(photo("hoi-nghi.jpg"),)
    )
    assert "70%" in replies[0].text, replies[0].text
    return world


def link_for(world: World, name: str) -> str:
    """The link /xem answers ``name`` with in the terminal chat."""
    replies = world.send(name, "private", "/xem")
    found = LINK.search(replies[0].text)
    assert found, replies[0].text
    return found.group(0)


def init_data(bot_token: str, user_id: int, auth_date: int, **extra: str) -> str:
    """Mini App launch data as Telegram signs it (core.telegram.org/bots/webapps)."""
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": f'{{"id":{user_id},"first_name":"Chi","language_code":"vi"}}',
        "auth_date": str(auth_date),
        **extra,
    }
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    key = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    return urlencode({**fields, "hash": hmac.new(key, check.encode(), hashlib.sha256).hexdigest()})


def site(world: World, telegram_js: str = "") -> PageSite:
    return PageSite(
        world.engine,
        world.clock,
        SECRET,
        telegram_token=BOT_TOKEN,
        operators={"console": frozenset({"Quản trị"})},
        telegram_js=telegram_js,
    )


class PageServer:
    """The page on 127.0.0.1 and a free port, in its own thread and event loop."""

    def __init__(self, page: PageSite) -> None:
        self.server = WebServer("127.0.0.1", 0, page_routes(page))
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> PageServer:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"
