"""``nhacviec run`` as the operator starts it: a process talking to the fake Telegram,
answering a user and stopping cleanly on SIGTERM, also in the middle of sending
reminders; Telegram (webhook) and Zalo (polling) served together by one process; and its
refusal to start with no platform enabled."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.cli import main
from bot.config import Config, TelegramConfig
from bot.runtime import Started, run
from scheduler.clock import SimulatedClock
from storage.engine import make_engine, upgrade
from storage.models import Reminder
from tests.chat_world import START
from tests.reminder_world import local
from tests.telegram_world import SECRET, WEBHOOK_URL
from tests.test_telegram_reminders import cua_lo

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 30.0


def wait_for(condition, what: str, process: subprocess.Popen, timeout: float = START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"nhacviec run exited ({process.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
def test_run_answers_on_telegram_and_stops_cleanly_on_sigterm(tmp_path, fake_telegram):
    fake = fake_telegram
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "bot.db"}"\n\n'
        f'[telegram]\nenabled = true\napi_base_url = "{fake.api_base_url}"\n',
        encoding="utf-8",
    )
    environment = {
        **os.environ,
        "NHACVIEC_TELEGRAM_TOKEN": fake.token,
        "PYTHONPATH": str(ROOT),
    }
    command = "import sys; from bot.cli import main; sys.exit(main())"
    process = subprocess.Popen(
        [sys.executable, "-c", command, "run", "--config", str(config)],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: fake.calls_to("getUpdates"), "the first getUpdates", process)
        an = fake.user(1001, "An")
        fake.user_sends_text(an, an, "/start")
        wait_for(lambda: fake.sent(an), "the answer to /start", process)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=START_TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert fake.sent_texts(an)[0].startswith("Chào anh/chị An. Tôi là bot Nhắc việc")
    assert "telegram update 350000001: chat 1001, /start" in err  # one line per update
    assert "nhacviec stopped" in err and "Traceback" not in err
    assert fake.token not in err + out and fake.token.split(":")[1] not in err + out
    assert [c.method for c in fake.calls[:4]] == [
        "getMe", "setMyCommands", "setMyCommands", "deleteWebhook"
    ]  # fmt: skip
    assert (tmp_path / "bot.db").exists()  # the schema was brought up to date


def test_run_with_no_platform_enabled_says_what_to_do(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "bot.db"}"\n', encoding="utf-8")
    assert main(["run", "--config", str(config)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("Lỗi: Chưa bật nền tảng nào: hãy đặt enabled = true")
    assert "[telegram]" in error and "nhacviec chat" in error
    assert not (tmp_path / "bot.db").exists()  # nothing was created


async def test_run_serves_telegram_by_webhook_and_zalo_together(
    tmp_path, fake_telegram, fake_zalo
):
    """One process, one loop: Telegram in webhook mode (the fake posts to the bot's web
    server) and Zalo by polling, answering their users, then stopping on request."""
    config = Config()
    config.database.url = f"sqlite:///{tmp_path / 'bot.db'}"
    config.telegram = TelegramConfig(
        enabled=True,
        token=fake_telegram.token,
        api_base_url=fake_telegram.api_base_url,
        mode="webhook",
        webhook_url=WEBHOOK_URL,
        secret_token=SECRET,
    )
    config.zalo.enabled, config.zalo.token = True, fake_zalo.token
    config.zalo.api_base_url, config.zalo.poll_timeout = fake_zalo.api_base_url, 1
    config.web.listen_port = 0  # any free port (the configuration file asks for a real one)
    stop, started = asyncio.Event(), []

    def on_started(running: Started) -> None:
        started.append(running)
        fake_telegram.route_webhook(f"http://127.0.0.1:{running.web_port}")

    bot = asyncio.create_task(run(config, SimulatedClock(START), stop, on_started))
    await fake_telegram.wait_until(lambda: bool(started), timeout=START_TIMEOUT, what="start")
    assert started[0].platforms == ("telegram", "zalo")
    an = fake_telegram.user(1001, "An")
    fake_telegram.user_sends_text(an, an, "/start")
    fake_zalo.user_sends_text("z-binh", "z-binh", "Bình", "/start")
    await fake_telegram.wait_for_messages(an, 1, timeout=START_TIMEOUT)
    for _ in range(int(START_TIMEOUT * 20)):
        if fake_zalo.texts("z-binh"):
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(bot, START_TIMEOUT)
    assert fake_telegram.sent_texts(an)[0].startswith("Chào anh/chị An.")
    assert fake_zalo.texts("z-binh")[0].startswith("Chào anh/chị Bình.")
    assert {d.status for d in fake_telegram.updates.deliveries} == {200}


@pytest.mark.slow
async def test_a_stop_during_a_tick_gives_back_what_is_not_sent_and_the_next_start_sends_it(
    tmp_path, fake_telegram
):
    """SIGTERM (here: the stop event) while reminders are being sent: the messages in
    flight finish and are recorded, the rest is given back at once, none stays claimed;
    the next start sends what was given back, and nothing twice."""
    fake = fake_telegram
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    engine = make_engine(url)
    upgrade(engine)
    cua_lo(engine, fake)  # two unit groups, two officers, the leadership, on the fake
    engine.dispose()
    config = Config()
    config.database.url = url
    config.telegram = TelegramConfig(
        enabled=True, token=fake.token, api_base_url=fake.api_base_url
    )
    config.summaries.chart = False  # the leadership's summaries go, without drawing
    clock = SimulatedClock(local("2024-02-29 08:00:30"))  # reminders and summaries due

    def reminders() -> list:
        return [c for c in fake.calls_to("sendMessage") if c.params["text"].startswith("Nhắc")]

    fake.slow_down("sendMessage", 0.2, times=None)
    stop = asyncio.Event()
    bot = asyncio.create_task(run(config, clock, stop))
    await fake.wait_until(lambda: reminders(), START_TIMEOUT, "a reminder")
    stop.set()  # in the middle of the tick's first messages
    started_stopping = asyncio.get_running_loop().time()
    await asyncio.wait_for(bot, START_TIMEOUT)
    assert asyncio.get_running_loop().time() - started_stopping < 10
    engine = make_engine(url)
    with Session(engine) as session:
        states = Counter(row.state for row in session.exec(select(Reminder)))
    # What was in flight is recorded sent; the rest was given back (pending), no lease.
    assert states["claimed"] == 0 and states["sent"] == len(reminders()) >= 1

    # Started again at the same moment: the rest goes out, nothing twice.
    fake.clear_faults()
    stop = asyncio.Event()
    started: list[Started] = []
    bot = asyncio.create_task(run(config, clock, stop, started.append))
    await fake.wait_until(lambda: bool(started), START_TIMEOUT, "the restart")
    with Session(engine) as session:
        await fake.wait_until(
            lambda: not session.exec(select(Reminder).where(Reminder.state == "pending")).all(),
            START_TIMEOUT,
            "every reminder sent",
        )
    stop.set()
    await asyncio.wait_for(bot, START_TIMEOUT)
    sent = Counter((call.params["chat_id"], call.params["text"]) for call in reminders())
    assert len(sent) >= 3 and set(sent.values()) == {1}
    engine.dispose()
