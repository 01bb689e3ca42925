"""Evidence (*minh chứng*) kept: the files sent with a report, downloaded when it is stored.

A report's photos and files arrive as platform references (Telegram's file ids, Zalo's
photo URLs). When the report is stored, each is downloaded through the ``EvidenceFiles``
the core was given, checked, and kept in the file store under the hash of its content;
the report keeps both. The check is the core's (one rule for every platform): at most
``limit`` bytes (Telegram lets bots download 20 MB), and a type known by its content, not
by the name the sender gave it: photos (JPEG, PNG, GIF, WebP, HEIC), PDF, and office
documents (Word, Excel, PowerPoint, OpenDocument). A file too large or of another type is
left out of the report, saying so; a file that cannot be fetched just now keeps its
platform reference only (the report matters more than its attachment).
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from typing import Any, Protocol

from bot.core.context import Turn
from messages import evidence as texts
from storage.filestore import StoredFile

logger = logging.getLogger(__name__)


class EvidenceTooLarge(Exception):
    """The platform says (or the download shows) the file is over the limit."""


class EvidenceUnavailable(Exception):
    """The file cannot be fetched now (network, an expired reference, no downloader)."""


class EvidenceFiles(Protocol):
    """The core's door to evidence files. ``download`` is called from the core's worker
    thread and blocks until the bytes are there (at most ``limit`` of them: it raises
    ``EvidenceTooLarge`` beyond, ``EvidenceUnavailable`` when it cannot); ``keep`` writes
    to the file store, ``read`` reads from it (``FileNotFoundError`` when gone)."""

    limit: int

    def download(self, platform: str, file_id: str) -> bytes: ...

    def keep(self, content: bytes, extension: str) -> StoredFile: ...

    def read(self, path: str) -> bytes: ...


@dataclass(frozen=True)
class FileType:
    mime_type: str
    extension: str


OFFICE_ZIP = {
    "docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
OPEN_DOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
OLD_OFFICE = {  # one container format for all three: the name tells which
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
HEIC_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"heif")


def _zip_type(content: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                extension = OPEN_DOCUMENT.get(archive.read("mimetype").strip())
                if extension:
                    return FileType(archive.read("mimetype").strip().decode(), extension)
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for extension, (folder, mime) in OFFICE_ZIP.items():
        if any(name.startswith(folder) for name in names):
            return FileType(mime, extension)
    return None


def file_type(content: bytes, name: str | None) -> FileType | None:
    """What the file is, read from its first bytes; None for a type not accepted."""
    head = content[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return FileType("image/jpeg", "jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType("image/png", "png")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return FileType("image/gif", "gif")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return FileType("image/webp", "webp")
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return FileType("image/heic", "heic")
    if head.startswith(b"%PDF-"):
        return FileType("application/pdf", "pdf")
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(content)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        extension = (name or "").rsplit(".", 1)[-1].lower() if "." in (name or "") else ""
        if extension in OLD_OFFICE:
            return FileType(OLD_OFFICE[extension], extension)
    return None


def keep_evidence(turn: Turn, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The report's evidence once downloaded and kept: each item gains its hash, path,
    type and size; one refused is left out (the sender told why)."""
    files = turn.evidence
    if files is None or not items:
        return items
    kept = []
    for item in items:
        if item.get("sha256"):
            kept.append(item)
            continue
        shown = item.get("name") or texts.photo_word(item.get("kind"))
        try:
            content = files.download(turn.message.platform, str(item["file_id"]))
        except EvidenceTooLarge:
            turn.say(texts.too_large(shown, files.limit))
            continue
        except EvidenceUnavailable as error:
            logger.info("evidence of %s not fetched: %s", turn.message.message_id, error)
            kept.append(item)
            continue
        if len(content) > files.limit:
            turn.say(texts.too_large(shown, files.limit))
            continue
        found = file_type(content, item.get("name"))
        if found is None:
            turn.say(texts.wrong_type(shown))
            continue
        stored = files.keep(content, found.extension)
        kept.append(
            {
                **item,
                "sha256": stored.sha256,
                "path": stored.path,
                "mime_type": found.mime_type,
                "size": stored.size,
            }
        )
    return kept
