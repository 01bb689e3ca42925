"""The web server for webhooks: one small Starlette app under uvicorn, inside our loop.

Each platform in webhook mode brings its routes (one path per platform, guarded by that
platform's secret); they are served together by one app on the configured address.
The socket is opened here, before uvicorn starts, so a port already taken is a clear
error at start (and port 0 picks a free port, for tests). uvicorn's own signal
handling is switched off: ``nhacviec run`` owns SIGTERM and Ctrl-C and stops the
server itself, after the last request under way has been answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator, Sequence

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import BaseRoute

logger = logging.getLogger(__name__)

LARGEST_UPDATE = 1_000_000  # bytes; a webhook update of either platform is a few kilobytes


async def bounded_body(request: Request, limit: int = LARGEST_UPDATE) -> bytes | None:
    """The request's body, or None when it is larger than ``limit`` (read no further)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class WebServerError(Exception):
    """The server could not start; the text says why (already in the operator's words)."""


class _EmbeddedServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # the runtime handles signals


class WebServer:
    """Serves ``routes`` on ``host``:``port`` until ``stop``."""

    def __init__(self, host: str, port: int, routes: Sequence[BaseRoute]) -> None:
        self.host = host
        self.requested_port = port
        self.app = Starlette(routes=list(routes))
        self._server: _EmbeddedServer | None = None
        self._task: asyncio.Task | None = None
        self._socket: socket.socket | None = None

    @property
    def port(self) -> int:
        """The port actually listened on."""
        assert self._socket is not None, "start the server first"
        return self._socket.getsockname()[1]

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted connections inherit it: no 40 ms Nagle wait on each webhook answer.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            sock.bind((self.host, self.requested_port))
        except OSError as error:
            sock.close()
            raise WebServerError(f"{self.host}:{self.requested_port}: {error.strerror}") from error
        sock.listen(128)
        sock.setblocking(False)
        return sock

    async def start(self) -> None:
        self._socket = self._bind()
        config = uvicorn.Config(
            self.app,
            log_config=None,  # ours: one format, and secrets scrubbed
            access_log=False,  # a line per webhook call: the adapters log what matters
            lifespan="off",
            timeout_graceful_shutdown=30,
        )
        self._server = _EmbeddedServer(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[self._socket]))
        while not self._server.started:
            if self._task.done():
                raise WebServerError(f"{self.host}:{self.port}: uvicorn did not start")
            await asyncio.sleep(0.01)
        logger.info("web server listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        """Stop taking requests; answer those under way; close."""
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        if self._socket is not None:
            self._socket.close()
        self._server = self._task = None
