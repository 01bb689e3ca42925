"""No test reaches beyond this machine: the ``loopback_only`` fixture (autouse) refuses
every connection, and every name lookup, whose host is not on the loopback.

The fake Telegram and Zalo servers, the bot's web server and PostgreSQL all listen on
127.0.0.1, so a test that reaches for another host has a base URL left pointing at the
real service: the refusal raises an ``OSError`` where the connection was made (the code
under test sees a network failure), and the test fails at teardown even if that code
caught the error. Allowed: 127.0.0.0/8, ::1, ``localhost``, and unix sockets. Processes
a test starts are not watched; they get their URLs from the test.
"""

from __future__ import annotations

import _socket
import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class OffTheLoopback(ConnectionRefusedError):
    """A test tried to reach a host that is not this machine."""


def on_loopback(host: Any) -> bool:
    """Whether ``host`` (a name, an address, text or bytes) is this machine's loopback."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    host = host.strip("[]").lower().rstrip(".")
    if host in LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


class NetworkGuard:
    """Socket functions that refuse hosts off the loopback, and what they refused."""

    def __init__(self) -> None:
        self.refused: list[str] = []

    def check(self, host: Any, port: Any, how: str) -> None:
        if not on_loopback(host):
            self.refused.append(f"{how} {host!r}:{port}")
            raise OffTheLoopback(f"tests stay on the loopback: {how} {host!r} refused")

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        guard = self
        lookup, by_name = socket.getaddrinfo, socket.gethostbyname

        def connect(sock: socket.socket, address: Any) -> None:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                guard.check(address[0], address[1], "connect to")
            _socket.socket.connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                guard.check(address[0], address[1], "connect to")
            return _socket.socket.connect_ex(sock, address)

        def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if host not in (None, "", b"", "0.0.0.0", "::"):  # these name no other host
                guard.check(host, port, "look up")
            return lookup(host, port, *args, **kwargs)

        def gethostbyname(host: str) -> str:
            guard.check(host, None, "look up")
            return by_name(host)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket, "gethostbyname", gethostbyname)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    """Every test: connections off the loopback refused, and the test failed for them."""
    guard = NetworkGuard()
    guard.install(monkeypatch)
    yield guard
    if guard.refused:
        pytest.fail(
            "the test reached beyond this machine: " + "; ".join(guard.refused), pytrace=False
        )
