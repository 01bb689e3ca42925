"""Downloading a report's photo from Zalo: the image's URL, fetched with httpx.

Zalo hands a bot a photo as the URL of the image (its CDN), with no size: the download
stops as soon as it passes the limit. The core calls from its worker thread; the
download runs on the bot's event loop, where the client lives, and the thread waits.
"""

from __future__ import annotations

import asyncio

import httpx

from bot.core.evidence import EvidenceTooLarge, EvidenceUnavailable
from bot.evidence import Downloader

WAIT = 120.0  # seconds for one photo


class PhotoDownloads:
    """One httpx client for the photos of reports (``transport``: for tests)."""

    def __init__(self, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.client = httpx.AsyncClient(
            transport=transport, timeout=httpx.Timeout(30.0), follow_redirects=True
        )

    async def download(self, url: str, limit: int) -> bytes:
        if not url.startswith(("https://", "http://")):
            raise EvidenceUnavailable("not a web address")
        content = bytearray()
        try:
            async with self.client.stream("GET", url) as response:
                if response.status_code != 200:
                    raise EvidenceUnavailable(f"HTTP {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise EvidenceTooLarge(url)
                async for chunk in response.aiter_bytes():
                    content += chunk
                    if len(content) > limit:
                        raise EvidenceTooLarge(url)
        except httpx.HTTPError as error:
            raise EvidenceUnavailable(error.__class__.__name__) from error
        return bytes(content)

    def downloader(self, loop: asyncio.AbstractEventLoop) -> Downloader:
        """A blocking download for the core's worker thread, run on ``loop``."""

        def fetch(url: str, limit: int) -> bytes:
            future = asyncio.run_coroutine_threadsafe(self.download(url, limit), loop)
            try:
                return future.result(WAIT)
            except TimeoutError as error:
                future.cancel()
                raise EvidenceUnavailable("download timed out") from error

        return fetch

    async def aclose(self) -> None:
        await self.client.aclose()
