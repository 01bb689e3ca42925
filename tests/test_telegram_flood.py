"""Telegram's flood control, as the fake answers it, and the bot delivering through it.

The fake refuses like Telegram: past 30 messages in any second, a second message to one
private chat within a second, a 21st message to a group within a minute, and every
message during a flood window. Through all of it, and through 500s and dropped
connections, a morning's reminders are delayed, never given up, and never sent twice.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import Session, select

from bot.config import Config, TelegramConfig
from bot.runtime import Started, run
from scheduler.clock import SimulatedClock
from storage.engine import make_engine
from storage.models import Reminder
from tests.fakes.telegram_limits import FloodControl
from tests.fanout_world import DUE, build_fanout, reminder_counts


class Instants:
    """A hand-moved monotonic clock for the fake's limits."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def answers(flood: FloodControl, instants: Instants, sends: list[tuple[float, int]]) -> list:
    """For each (seconds later, chat id): None when delivered, else the retry_after."""
    out = []
    for later, chat in sends:
        instants.now += later
        refusal = flood.refusal("sendMessage", chat)
        if refusal is None:
            flood.count("sendMessage", chat, "Nhắc việc")
            out.append(None)
        else:
            out.append(refusal["parameters"]["retry_after"])
    return out


def test_the_fake_refuses_past_30_a_second_like_telegram():
    instants = Instants()
    flood = FloodControl(monotonic=instants)
    flood.enabled = True
    thirty_one = [(0.01, 1000 + n) for n in range(31)]
    assert answers(flood, instants, thirty_one) == [None] * 30 + [1]
    # A second after the first, there is room again.
    assert answers(flood, instants, [(0.75, 2000)]) == [None]
    assert flood.refused == 1 and flood.most_in_a_second == 30
    assert flood.per_second() == [30, 1]


def test_the_fake_refuses_a_private_chat_twice_a_second_and_a_group_past_20_a_minute():
    instants = Instants()
    flood = FloodControl(monotonic=instants)
    flood.enabled = True
    assert answers(flood, instants, [(0, 7), (0.5, 7), (0.6, 7)]) == [None, 1, None]
    group = [(2.0, -55)] * 20 + [(2.0, -55)]
    assert answers(flood, instants, group) == [None] * 20 + [20]  # the first leaves at 60 s
    assert answers(flood, instants, [(20.0, -55)]) == [None]


def test_the_fake_floods_for_a_while_and_counts_what_came_twice():
    instants = Instants()
    flood = FloodControl(monotonic=instants)
    flood.enabled = True
    flood.flood_for(60)
    assert answers(flood, instants, [(0, 1), (29.2, 2), (30.0, 3), (1.0, 3)]) == [
        60, 31, 1, None
    ]  # fmt: skip
    flood.count("sendMessage", 3, "Nhắc việc")
    assert flood.duplicates() == {(3, "Nhắc việc"): 1}
    flood.enabled = False
    assert answers(flood, instants, [(0, 3), (0, 3)]) == [None, None]


@pytest.mark.slow
async def test_reminders_go_out_once_through_flood_control_errors_and_resets(
    tmp_path, fake_telegram
):
    """Flood control (every message refused for 5 s, "retry after 1": each reminder
    refused again and again, as in a 60 s flood control), then 500s and dropped
    connections: every chat gets its reminder, once, and none is given up. The bot's
    clock runs ten times faster than real time, so its minute of backoff after a 500
    takes six seconds."""
    fake = fake_telegram
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    chats = build_fanout(url, 30, fake)
    config = Config()
    config.database.url = url
    config.telegram = TelegramConfig(
        enabled=True, token=fake.token, api_base_url=fake.api_base_url
    )
    config.summaries.weekly, config.summaries.missed = "", False
    config.reminders.tick_seconds = 5.0
    fake.enforce_limits()
    fake.server_error("sendMessage", times=4)
    fake.reset_connection("sendMessage", times=4)
    stop, started = asyncio.Event(), []

    def on_started(running: Started) -> None:
        started.append(running)
        fake.flood_for(5, retry_after=1)

    bot = asyncio.create_task(run(config, SimulatedClock(DUE, speed=10.0), stop, on_started))
    counts = lambda: reminder_counts(fake, chats)  # noqa: E731
    await fake.wait_until(lambda: min(counts().values()) >= 1, 40, "every reminder")
    await asyncio.sleep(1.0)  # one sent twice would come now
    stop.set()
    await asyncio.wait_for(bot, 15)
    assert set(counts().values()) == {1}
    assert fake.flood.refused > len(chats)  # refused again and again, never given up
    assert sum(1 for call in fake.calls_to("sendMessage") if call.status == 500) == 4
    engine = make_engine(url)
    with Session(engine) as session:
        reminders = session.exec(select(Reminder).where(Reminder.step == "due")).all()
    engine.dispose()
    assert {r.state for r in reminders} == {"sent"} and len(reminders) == len(chats)
