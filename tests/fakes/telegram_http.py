"""The HTTP side of the fake Bot API server: a threaded ``http.server`` on 127.0.0.1.

It reads requests the ways Telegram accepts them (query string, JSON body, form fields,
multipart/form-data with files), hands ``(token, method, fields, files)`` to the fake and
writes its answer. Threads, not asyncio: the server must keep answering while the test's
own event loop runs python-telegram-bot, and a long-polling getUpdates may block its
thread for seconds. Paths carry the bot token, so nothing here logs a path.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import struct
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.fakes.telegram_spec import Upload

logger = logging.getLogger(__name__)

_API_PATH = re.compile(r"/bot([^/]+)/([A-Za-z0-9_]+)/?")
_FILE_PATH = re.compile(r"/file/bot([^/]+)/(.+)")
_DISPOSITION_PARAM = re.compile(r';\s*([A-Za-z*]+)="((?:[^"\\]|\\.)*)"')

#: (status, headers, body) an endpoint answers.
Answer = tuple[int, dict[str, str], bytes]
#: No answer: the connection is reset (the client sees ECONNRESET).
RESET: Answer = (0, {}, b"")


class BadBody(ValueError):
    """The body cannot be read as the content type it claims."""


def json_answer(status: int, payload: dict[str, Any]) -> Answer:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return status, {"Content-Type": "application/json"}, body


def parse_body(content_type: str, body: bytes, query: str) -> tuple[dict[str, str], dict]:
    """The fields (as text, the way Telegram reads them) and the uploaded files."""
    fields = dict(parse_qsl(query, keep_blank_values=True))
    uploads: dict[str, Upload] = {}
    kind = content_type.split(";")[0].strip().lower()
    if not body:
        return fields, uploads
    if kind == "application/json":
        try:
            document = json.loads(body)
        except ValueError as error:
            raise BadBody(f"can't parse JSON body: {error}") from error
        if not isinstance(document, dict):
            raise BadBody("the JSON body must be an object")
        for name, value in document.items():
            if value is not None:  # Telegram reads every member as text, objects as JSON
                fields[name] = value if isinstance(value, str) else json.dumps(value)
    elif kind == "application/x-www-form-urlencoded":
        fields.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    elif kind == "multipart/form-data":
        boundary = re.search(r'boundary="?([^";]+)"?', content_type)
        if not boundary:
            raise BadBody("multipart body without a boundary")
        for name, filename, part_type, content in _multipart_parts(body, boundary.group(1)):
            if filename is None:
                fields[name] = content.decode("utf-8")
            else:
                uploads[name] = Upload(filename, content, part_type)
    else:
        raise BadBody(f"unsupported content type {kind!r}")
    return fields, uploads


def _multipart_parts(body: bytes, boundary: str):
    """(name, filename or None, content type, content) of each part, bytes kept exact."""
    for chunk in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if chunk.startswith(b"--"):
            return
        head, separator, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not separator:
            raise BadBody("a multipart part has no header end")
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        # httpx writes names HTML5-style: UTF-8 inside quotes, with " as %22
        params = {
            key.lower(): value.replace("%22", '"').replace("%0A", "\n").replace("%0D", "\r")
            for key, value in _DISPOSITION_PARAM.findall(headers.get("content-disposition", ""))
        }
        if "name" not in params:
            raise BadBody("a multipart part has no name")
        filename = params.get("filename")
        if filename is None and "filename*" in params:
            filename = unquote(params["filename*"].split("''", 1)[-1])
        part_type = headers.get("content-type", "application/octet-stream")
        yield params["name"], filename, part_type, content.removesuffix(b"\r\n")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as python-telegram-bot's httpx pool expects
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK hold the body back some 40 ms on every call.
    disable_nagle_algorithm = True
    server: FakeHttpServer

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                chunk = self.rfile.read(size + 2)[:size]
                if size == 0:
                    break
                chunks.append(chunk)
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _answer(self) -> None:
        body = self._read_body()
        url = urlsplit(self.path)
        api, download = _API_PATH.fullmatch(url.path), _FILE_PATH.fullmatch(url.path)
        if download:
            status, headers, payload = self.server.serve_file(
                unquote(download[1]), unquote(download[2])
            )
        elif api:
            try:
                fields, uploads = parse_body(self.headers.get("Content-Type", ""), body, url.query)
            except (BadBody, UnicodeDecodeError) as error:
                status, headers, payload = self.server.refuse_body(api[2], str(error))
            else:
                status, headers, payload = self.server.serve_api(
                    unquote(api[1]), api[2], fields, uploads
                )
        else:
            status, headers, payload = self.server.serve_unknown_path()
        if status == RESET[0]:
            # SO_LINGER 0: close sends RST at once instead of a polite FIN.
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            self.close_connection = True
            self.connection.close()
            return
        try:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            # The client gave up (a long poll cancelled when the bot stopped): nothing to do.
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: the request line holds the bot token."""


class FakeHttpServer(ThreadingHTTPServer):
    """Listens on 127.0.0.1 at a free port and passes requests to the fake's callables."""

    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        serve_api: Callable[[str, str, dict[str, str], dict[str, Upload]], Answer],
        serve_file: Callable[[str, str], Answer],
        refuse_body: Callable[[str, str], Answer],
        serve_unknown_path: Callable[[], Answer],
    ) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.serve_api = serve_api
        self.serve_file = serve_file
        self.refuse_body = refuse_body
        self.serve_unknown_path = serve_unknown_path

    @property
    def port(self) -> int:
        return self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("fake Telegram server: a connection failed", exc_info=True)
