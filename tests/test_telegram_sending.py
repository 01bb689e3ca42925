"""Sending within Telegram's limits, what each Telegram error means for the outbox, the
``[telegram]`` configuration, and secrets kept out of the log."""

from __future__ import annotations

import logging
import textwrap

import httpx
import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from bot.config import ConfigError
from bot.config_load import load_config
from bot.core.types import Choice
from bot.telegram.keyboards import callback_data, choice_of, keyboard, marked_text
from bot.telegram.limits import SendLimiter, SendLimits
from bot.telegram.sender import failure_of
from storage.engine import make_engine, upgrade
from storage.models import Role
from tests.telegram_world import SECRET, make_telegram_world

# -- the limits -------------------------------------------------------------------------


class VirtualTime:
    """A monotonic clock that moves only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 100.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def send_times(limiter: SendLimiter, time: VirtualTime, chats: list[int]) -> list[float]:
    """When each message (to ``chats[i]``, a group when negative) may go, from the start."""
    start, times = time.now, []
    for chat in chats:
        await limiter.acquire(chat, chat < 0)
        times.append(round(time.now - start, 3))
    return times


async def test_one_message_a_second_to_one_chat_and_a_quarter_for_jitter():
    time = VirtualTime()
    limiter = SendLimiter(SendLimits(margin=1.0), time.clock, time.sleep)
    assert await send_times(limiter, time, [7, 7, 7, 8]) == [0, 1.25, 2.5, 2.533]


async def test_at_most_thirty_messages_a_second_overall_evenly_spaced():
    time = VirtualTime()
    limiter = SendLimiter(SendLimits(), time.clock, time.sleep)
    times = await send_times(limiter, time, list(range(1, 61)))
    assert times[:4] == [0, 0.035, 0.07, 0.105]  # 1/28.5 s apart: 95% of 30 a second
    busiest = max(sum(1 for t in times if start <= t < start + 1) for start in times)
    assert busiest == 29


async def test_twenty_messages_a_minute_to_one_group():
    time = VirtualTime()
    limiter = SendLimiter(SendLimits(), time.clock, time.sleep)
    times = await send_times(limiter, time, [-5] * 22 + [9])
    assert times[:11] == list(range(11))  # a burst, one a second as for any chat
    assert times[11:14] == [12, 18, 24]  # then one every six seconds
    busiest = max(sum(1 for t in times[:22] if start - 60 < t <= start) for start in times)
    assert busiest <= 20
    assert times[22] == 72.035  # a person's private chat waits for the total only


async def test_a_flood_control_pause_holds_every_chat():
    time = VirtualTime()
    limiter = SendLimiter(SendLimits(), time.clock, time.sleep)
    await limiter.pause(30)
    assert await send_times(limiter, time, [1, 2]) == [30, 30.035]


# -- errors, for the outbox ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "kind", "retry_after"),
    [
        (RetryAfter(17), "retry_after", 17.0),
        (Forbidden("Forbidden: bot was blocked by the user"), "permanent", None),
        (Forbidden("Forbidden: bot was kicked from the supergroup chat"), "permanent", None),
        (BadRequest("Bad Request: chat not found"), "permanent", None),
        (BadRequest("Bad Request: message is too long"), "bad_request", None),
        (BadRequest("Bad Request: can't parse entities"), "bad_request", None),
        (TimedOut(), "temporary", None),
        (NetworkError("Internal Server Error"), "temporary", None),
        (NetworkError("Bad Gateway"), "temporary", None),
        (InvalidToken(), "temporary", None),
        (ChatMigrated(-1001234567890), "bad_request", None),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_each_telegram_error_tells_the_outbox_what_to_do(error, kind, retry_after):
    failure = failure_of(error)
    assert (failure.kind, failure.retry_after) == (kind, retry_after)
    assert failure.description


# -- keyboards --------------------------------------------------------------------------


def test_choices_become_buttons_within_64_bytes():
    longest = "e" + "9" * 47  # the core's values are at most 48 bytes
    assert len(callback_data(longest).encode()) == 50 and choice_of(callback_data(longest))
    assert callback_data("x" * 63) is None and callback_data("chọn") is None
    assert choice_of("other-bot:data") is None and choice_of(None) is None
    markup = keyboard((Choice("hoàn thành", "s.done"), Choice("ngôn ngữ" * 9, "x")))
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [
        ["c:s.done"],
        ["c:x"],
    ]
    assert keyboard((Choice("A", "a" * 70),)) is None  # the text still says: type the number
    assert marked_text("x" * 4090, "hoàn thành") is None  # too long: only the keyboard goes


# -- configuration --------------------------------------------------------------------------

TOKEN = "7012345678:AAF-real-looking_token-0123456789abcdef"


def config(tmp_path, text: str, environ: dict | None = None):
    path = tmp_path / "config.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_config(path, environ or {})


def test_telegram_configuration_defaults_and_environment(tmp_path):
    loaded = config(
        tmp_path,
        """
        [telegram]
        enabled = true
        api_base_url = "http://127.0.0.1:8081/"
        """,
        {"NHACVIEC_TELEGRAM_TOKEN": TOKEN, "NHACVIEC_TELEGRAM_SECRET": "abc_DEF-123"},
    )
    telegram = loaded.telegram
    assert (telegram.token, telegram.secret_token) == (TOKEN, "abc_DEF-123")
    assert telegram.api_base_url == "http://127.0.0.1:8081"  # the bot adds /bot<token>/...
    assert telegram.mode == "polling"
    assert (loaded.web.listen_host, loaded.web.listen_port) == ("127.0.0.1", 8080)
    assert TOKEN not in repr(loaded) and "abc_DEF-123" not in repr(loaded)
    assert load_config(None, {}).telegram.enabled is False


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("enabled = true", "telegram.token"),
        (f'enabled = true\ntoken = "{TOKEN[:-30]}"', "telegram.token"),
        ('mode = "longpoll"', "telegram.mode"),
        ('api_base_url = "api.telegram.org"', "telegram.api_base_url"),
        ('secret_token = "có dấu"', "telegram.secret_token"),
        (f'secret_token = "{"x" * 257}"', "telegram.secret_token"),
        (f'enabled = true\ntoken = "{TOKEN}"\nmode = "webhook"', "telegram.webhook_url"),
        (
            f'enabled = true\ntoken = "{TOKEN}"\nmode = "webhook"\n'
            'webhook_url = "http://bot.example.gov.vn/tg"\nsecret_token = "s"',
            "telegram.webhook_url",
        ),
        (
            f'enabled = true\ntoken = "{TOKEN}"\nmode = "webhook"\n'
            'webhook_url = "https://bot.example.gov.vn/tg"',
            "telegram.secret_token",
        ),
        ("enabled = 1", "telegram.enabled"),
    ],
)
def test_a_telegram_configuration_the_bot_cannot_use_is_refused(tmp_path, section, key):
    with pytest.raises(ConfigError) as refused:
        config(tmp_path, "[telegram]\n" + section + "\n")
    assert str(refused.value).startswith(key + ":")
    assert TOKEN[12:] not in str(refused.value) and "x" * 20 not in str(refused.value)


# -- the log ----------------------------------------------------------------------------------


def test_the_token_and_the_secret_never_reach_the_log(caplog, sqlite_url, fake_telegram, tmp_path):
    caplog.set_level(logging.DEBUG)
    fake = fake_telegram
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = make_telegram_world(engine, fake, mode="webhook")
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.send("An", "private", "/dangky {NV}")
    fake.server_error("sendMessage", status=500, times=1)  # tried again at once
    world.send("An", "private", "/baocao T3 50% ghi chú riêng của An")
    port = world.harness.server.port
    httpx.post(f"http://127.0.0.1:{port}/telegram/updates", json={}, trust_env=False)
    world.harness.stop()

    # Polling, with getUpdates failing (python-telegram-bot logs the error and retries).
    other_engine = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    upgrade(other_engine)
    second = make_telegram_world(other_engine, fake)
    fake.server_error("getUpdates", status=502, times=1)
    second.send("An", "private", "/start")
    second.harness.stop()

    logged = caplog.text
    assert fake.token not in logged and fake.token.split(":")[1] not in logged
    assert SECRET not in logged
    assert "<telegram-token>" in logged  # the requests were logged, with the token hidden
    assert "Bad Gateway" in logged  # python-telegram-bot's report of the failed poll
    # At INFO (how `nhacviec run` logs) the user's words stay out too.
    informative = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert not any("ghi chú riêng" in line for line in informative)
    assert any(line.startswith("telegram update ") and "/baocao" in line for line in informative)
    engine.dispose()
    other_engine.dispose()


def test_the_web_servers_port_is_checked(tmp_path):
    with pytest.raises(ConfigError, match=r"^web\.listen_port: "):
        config(tmp_path, "[web]\nlisten_port = 70000\n")
