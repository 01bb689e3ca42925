"""The guard that keeps every test on this machine (``tests/network_guard.py``): hosts off
the loopback refused, by address and by name, through the socket module and through
httpx; the loopback and unix sockets let through."""

from __future__ import annotations

import socket
import threading

import httpx
import pytest

from tests.network_guard import NetworkGuard, OffTheLoopback, on_loopback


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        (b"127.0.0.1", True),
        ("10.0.0.1", False),
        ("192.0.2.7", False),
        ("::ffff:192.0.2.7", False),
        ("2001:db8::1", False),
        ("api.telegram.org", False),
        ("localhost.example.com", False),
        (None, False),
    ],
)
def test_what_is_the_loopback(host, allowed):
    assert on_loopback(host) is allowed


def test_a_host_off_the_loopback_is_refused_and_noted(loopback_only: NetworkGuard):
    with socket.socket() as sock, pytest.raises(OffTheLoopback):
        sock.connect(("192.0.2.7", 443))  # TEST-NET-1: never routed
    with socket.socket() as sock, pytest.raises(OffTheLoopback):
        sock.connect_ex(("192.0.2.7", 443))
    with pytest.raises(OffTheLoopback):
        socket.getaddrinfo("api.telegram.org", 443)
    with pytest.raises(OffTheLoopback):
        socket.gethostbyname("openapi.zalo.me")
    with pytest.raises(httpx.ConnectError):  # what the bot's clients see: a network failure
        httpx.get("https://bot-api.zaloplatforms.com/getMe", timeout=1)
    assert len(loopback_only.refused) == 5
    assert loopback_only.refused[0] == "connect to '192.0.2.7':443"
    loopback_only.refused.clear()  # refused as it should: the test itself passes


def test_the_loopback_and_unix_sockets_go_through(loopback_only: NetworkGuard, tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        for host in ("127.0.0.1", "localhost"):
            with socket.create_connection((host, port), timeout=5):
                pass
    assert socket.getaddrinfo("localhost", 80)
    path = str(tmp_path / "s.sock")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen()
        accepted = threading.Thread(target=lambda: server.accept()[0].close())
        accepted.start()
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(path)
        accepted.join(5)
    assert loopback_only.refused == []
