"""The leaders' page's world for tests: the chat world of ``tests.chat_world`` (the
cua-lo-2024 plan, a leader, a coordinator, two officers, reports with a photo) with the
page switched on, and the page served for real on a free port when a browser needs it.

With an evidence folder, the world keeps the files of reports in a file store as the bot
does (``bot.evidence.EvidenceShelf``): the console's "downloads" are the files of
``UPLOADS``; a file not there cannot be fetched and keeps its platform reference only.

``PageServer`` runs ``bot.web.WebServer`` with the page's routes in a thread of its own,
as ``nhacviec run`` serves them; ``link`` is what /xem answers a person with.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import struct
import threading
import zlib
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import Engine

from bot.core.evidence import EvidenceUnavailable
from bot.core.settings import CoreSettings
from bot.core.types import Attachment, AttachmentKind
from bot.evidence import EvidenceShelf
from bot.pages.app import PageSite, page_routes
from bot.web import WebServer
from storage.filestore import FileStore
from storage.models import Role
from tests.chat_world import At, Has, World, make_console_world, photo, run_dialog

SECRET = "khoa-bi-mat-cua-trang-tong-hop-2024"
PAGE_URL = "http://127.0.0.1:8080"
BOT_TOKEN = "123456:TEST-token-of-the-bot"
LINK = re.compile(r"https?://\S+/xem\?t=\S+")


def striped_png(width: int, height: int) -> bytes:
    """A PNG of green and yellow bands, like a banner (*pano*) on a wall: a photo that a
    screenshot shows plainly."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + (b"\x1e\x7a\x3c" if (y // 20) % 2 else b"\xf2\xc2\x2e") * width
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PHOTO = striped_png(320, 200)
MINUTES = b"%PDF-1.7\n% bien ban nghiem thu pano tuyen truyen\n" + b"0" * 3000
UPLOADS = {"photo-hoi-nghi.jpg": PHOTO, "file-bien-ban.pdf": MINUTES}


class ConsoleUploads:
    """The console's downloader: the files of ``UPLOADS``; any other is unavailable."""

    def __call__(self, file_id: str, limit: int) -> bytes:
        if file_id not in UPLOADS:
            raise EvidenceUnavailable(f"{file_id} cannot be fetched")
        return UPLOADS[file_id]


def page_world(
    engine: Engine, page_url: str = PAGE_URL, evidence_dir: Path | None = None
) -> World:
    """The plan in March 2024: An (Phòng Nội vụ) and Bình (UBND các phường) report, Chi
    leads, Giang coordinates; T2 (due in February) is overdue for some units. An's last
    report on T3 carries a photo, the minutes of the work (a PDF) and an old photo that
    cannot be fetched; with ``evidence_dir`` the first two are kept in the file store."""
    world = make_console_world(engine, operators=("Quản trị",))
    if evidence_dir is not None:
        shelf = EvidenceShelf(FileStore(evidence_dir), limit=1_000_000)
        shelf.register("console", ConsoleUploads())
        world.core.evidence = shelf
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
    attachments = (
        photo("hoi-nghi.jpg"),
        Attachment(AttachmentKind.FILE, "file-bien-ban.pdf", "Biên bản nghiệm thu.pdf"),
        photo("anh-cu.jpg"),
    )
    replies = world.send(
        "An", "private", "/baocao T3 70% thêm ảnh hội nghị", attachments=attachments
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
    shelf = world.core.evidence
    return PageSite(
        world.engine,
        world.clock,
        SECRET,
        telegram_token=BOT_TOKEN,
        operators={"console": frozenset({"Quản trị"})},
        telegram_js=telegram_js,
        evidence_dir=str(shelf.store.root) if isinstance(shelf, EvidenceShelf) else "",
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
