"""``EvidenceShelf``: the chat core's ``EvidenceFiles`` on the file store of ``[files]``.

The core asks for a download from its worker thread; each platform that runs registers
how it downloads (``bot.telegram.evidence``, ``bot.zalo.evidence``) when it starts, since
that needs its connection and its event loop. A platform not running in this process
has no downloader: its files keep their platform reference only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.config import Config
from bot.core.evidence import EvidenceUnavailable
from storage.filestore import FileStore, StoredFile

MEGABYTE = 1_000_000
TELEGRAM_LIMIT = 20 * MEGABYTE  # the most a bot may download from Telegram's servers

Downloader = Callable[[str, int], bytes]  # (file id, byte limit) -> the file's bytes


class EvidenceShelf:
    """Downloads by platform, keeps in ``store``; ``limit`` bytes per file at most."""

    def __init__(self, store: FileStore, limit: int = TELEGRAM_LIMIT) -> None:
        self.store = store
        self.limit = limit
        self.downloaders: dict[str, Downloader] = {}

    @classmethod
    def configured(cls, config: Config) -> EvidenceShelf:
        """The shelf of ``[files]``."""
        section = config.files
        return cls(FileStore(Path(section.evidence_dir)), section.evidence_max_mb * MEGABYTE)

    def register(self, platform: str, downloader: Downloader) -> None:
        self.downloaders[platform] = downloader

    def download(self, platform: str, file_id: str) -> bytes:
        downloader = self.downloaders.get(platform)
        if downloader is None:
            raise EvidenceUnavailable(f"no downloader for {platform}")
        return downloader(file_id, self.limit)

    def keep(self, content: bytes, extension: str) -> StoredFile:
        return self.store.put(content, extension)

    def read(self, path: str) -> bytes:
        return self.store.read(path)
