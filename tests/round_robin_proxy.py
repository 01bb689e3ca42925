"""A small reverse proxy for tests, as nginx in front of several ``nhacviec run``: each
HTTP request it receives goes to the next backend in turn (round robin), on loopback.

HTTP/1.1 with ``Content-Length`` bodies only (what the fake Telegram's webhook sends);
the client's connection is kept alive, each request opens its own connection to its
backend (``Connection: close``). A backend that cannot be reached or does not answer
in time gets the client a 502, as nginx would; the fake Telegram then delivers the
update again. Bounded: heads of 64 KiB, bodies of 1 MiB, answers within ``timeout``.
It runs its own event loop in a thread, so a synchronous test can use it.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections import Counter

MAX_HEAD = 64 * 1024
MAX_BODY = 1024 * 1024
BAD_GATEWAY = b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"


class RoundRobinProxy:
    """Listens on 127.0.0.1:``port``; ``answered`` counts (backend port, status)."""

    def __init__(self, backends: list[int], timeout: float = 20.0) -> None:
        self.backends = backends
        self.timeout = timeout
        self.port = 0
        self.answered: Counter[tuple[int, int]] = Counter()
        self._turn = itertools.cycle(backends)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="round-robin", daemon=True)
        self._server: asyncio.Server | None = None

    def __enter__(self) -> RoundRobinProxy:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the proxy did not start")
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", 0, limit=MAX_HEAD)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._server.close()
            self._loop.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                    return
                lines = head.decode("latin-1").split("\r\n")[:-2]
                headers = [line for line in lines[1:] if ":" in line]
                length = next(
                    (
                        int(h.split(":", 1)[1])
                        for h in headers
                        if h.lower().startswith("content-length:")
                    ),
                    0,
                )
                if length > MAX_BODY:
                    return
                body = await reader.readexactly(length)
                kept = [h for h in headers if not h.lower().startswith("connection:")]
                request = "\r\n".join([lines[0], *kept, "Connection: close", "", ""])
                writer.write(await self._forward(request.encode("latin-1") + body))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def _forward(self, request: bytes) -> bytes:
        backend = next(self._turn)
        try:
            async with asyncio.timeout(self.timeout):
                reader, writer = await asyncio.open_connection("127.0.0.1", backend)
                try:
                    writer.write(request)
                    await writer.drain()
                    answer = await reader.read(-1)  # the backend closes when done
                finally:
                    writer.close()
        except (OSError, TimeoutError):
            answer = b""
        status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.") else 502
        self.answered[(backend, status)] += 1
        return answer if status != 502 else BAD_GATEWAY
