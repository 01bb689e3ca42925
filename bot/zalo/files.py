"""Files the bot offers on Zalo by address, since a Zalo bot cannot upload a file.

Zalo's ``sendPhoto`` takes the URL of an image, and nothing takes a document. So when the
operator gives a public address (``[zalo] public_files_url``), a file the core sends (an
Excel export, a chart) is written to ``files_dir`` under an unguessable name and served
by the bot's web app at that address for ``keep_days`` days; the adapter sends a photo by
its URL and a document as a link. Without an address, the adapter says plainly that the
file cannot be sent on Zalo.

Layout: ``files_dir/<YYYYMMDD>-<token>/<safe name>``; the date (from the bot's clock) says
when the folder may go. The route serves only names of that shape, inside the folder.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import secrets
import shutil
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.core.types import OutgoingFile
from scheduler.clock import Clock
from storage.timezone import VN_TZ

logger = logging.getLogger(__name__)

KEEP_DAYS = 7
_FOLDER = re.compile(r"^(\d{8})-[A-Za-z0-9_-]{20,40}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")


def safe_name(filename: str) -> str:
    """``Tổng hợp tiến độ.xlsx`` -> ``Tong-hop-tien-do.xlsx``: a name any URL carries."""
    ascii_name = (
        unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
        .encode("ascii", "ignore")
        .decode()
    )
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip(".-_")[:120]
    return name if name and _NAME.match(name) else "tep"


class FileShelf:
    """Keeps files in ``folder`` and names their public address under ``public_url``."""

    def __init__(
        self, folder: Path, public_url: str, clock: Clock, keep_days: int = KEEP_DAYS
    ) -> None:
        self.folder = folder
        self.public_url = public_url.rstrip("/")
        self.clock = clock
        self.keep_days = keep_days

    def _day(self, instant: datetime) -> str:
        return instant.astimezone(VN_TZ).strftime("%Y%m%d")

    def put(self, file: OutgoingFile) -> str:
        """Write ``file`` and return its public URL."""
        self.prune()
        folder_name = f"{self._day(self.clock.now())}-{secrets.token_urlsafe(18)}"
        name = safe_name(file.filename)
        folder = self.folder / folder_name
        folder.mkdir(parents=True, exist_ok=False)
        (folder / name).write_bytes(file.content)
        return f"{self.public_url}/{folder_name}/{name}"

    def find(self, folder_name: str, name: str) -> Path | None:
        """The kept file of that address, or None (unknown, malformed or expired)."""
        match = _FOLDER.match(folder_name)
        if not match or not _NAME.match(name) or match.group(1) < self._oldest_day():
            return None
        path = self.folder / folder_name / name
        return path if path.is_file() else None

    def _oldest_day(self) -> str:
        return self._day(self.clock.now() - timedelta(days=self.keep_days))

    def prune(self) -> int:
        """Remove the folders older than ``keep_days``; how many."""
        if not self.folder.is_dir():
            return 0
        oldest, removed = self._oldest_day(), 0
        for entry in self.folder.iterdir():
            match = _FOLDER.match(entry.name)
            if match and entry.is_dir() and match.group(1) < oldest:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        return removed


def file_routes(shelf: FileShelf, path: str) -> list[Route]:
    """The GET route serving the shelf's files at ``path`` (the public URL's path)."""

    async def serve(request: Request) -> Response:
        found = shelf.find(request.path_params["folder"], request.path_params["name"])
        if found is None:
            return PlainTextResponse("Not Found", status_code=404)
        media_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return FileResponse(found, media_type=media_type)

    prefix = path.rstrip("/")
    return [Route(f"{prefix}/{{folder}}/{{name}}", serve, methods=["GET"])]
