"""A province's quarter morning, for the fan-out tests and ``bench/fanout.py``: N units,
each with one officer in a private chat with the bot, all reminded at the same instant.

The plan has one task, "Tháng 3", that every unit leads; at ``DUE`` (Friday 29 March
2024, 08:00:30, the task's due day) each chat has one reminder due. ``nhacviec run``
is started as the operator starts it, a process with a configuration file, its clock
simulated from ``DUE`` at real speed (so Telegram's seconds are the bot's seconds).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlmodel import Session, func, select

from storage.engine import make_engine, upgrade
from storage.models import Reminder
from tests.fakes.telegram_server import FakeTelegram
from tests.reminder_world import local, new_world

ROOT = Path(__file__).resolve().parent.parent
DUE = local("2024-03-29 08:00:30")
FIRST_USER = 5_000_001


def fanout_plan(count: int) -> str:
    units = "".join(
        f'\n[[units]]\ncode = "X{n:04d}"\nname = "Ủy ban nhân dân xã số {n}"\nkind = "ubnd"\n'
        for n in range(1, count + 1)
    )
    lead = ", ".join(f'"X{n:04d}"' for n in range(1, count + 1))
    return (
        '[plan]\ncode = "quy-1"\ntitle = "Báo cáo kết quả thực hiện nhiệm vụ quý I"\n'
        'issuer = "Ủy ban nhân dân tỉnh"\nyear = 2024\n'
        f'{units}\n[[tasks]]\ncode = "BC1"\ntitle = "Báo cáo kết quả quý I năm 2024"\n'
        f'lead = [{lead}]\nwhen = "Tháng 3"\n'
    )


def build_fanout(url: str, count: int, fake: FakeTelegram | None = None) -> list[int]:
    """The plan, the units and their officers in ``url``'s database (and, with ``fake``,
    the officers on the fake Telegram, having started the bot); their chat ids."""
    engine = make_engine(url)
    upgrade(engine)
    world = new_world(engine, "quy-1", "2024-03-29 07:00", fanout_plan(count))
    chats = [FIRST_USER + n for n in range(count)]
    for n, chat_id in enumerate(chats, start=1):
        world.member(f"Cán bộ {n}", f"X{n:04d}", "telegram", str(chat_id))
        if fake is not None:
            fake.user(chat_id, f"Cán bộ {n}")
            with fake.lock:  # as if each had pressed Start long ago
                fake.world.chat(chat_id).bot_status = "member"
    engine.dispose()
    return chats


def reminders_sent(url: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            query = select(func.count()).where(Reminder.state == "sent", Reminder.step == "due")
            return session.exec(query).one()
    finally:
        engine.dispose()


def reminder_counts(fake: FakeTelegram, chats: list[int]) -> Counter[int]:
    """How many reminders each chat received (0 for none)."""
    counts: Counter[int] = Counter({chat: 0 for chat in chats})
    with fake.lock:
        for _at, chat, text in fake.flood.delivered:
            if chat in counts and text.startswith("Nhắc"):
                counts[chat] += 1
    return counts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_config(
    folder: Path,
    url: str,
    fake: FakeTelegram,
    *,
    name: str = "config",
    webhook: str | None = None,
    port: int = 0,
    start: str | None = None,
) -> Path:
    """A configuration file for one ``nhacviec run``: polling, or webhook mode posting to
    ``webhook`` with the web server on ``port``; the clock from ``start`` (ISO, default
    ``DUE``) at real speed; no scheduled summaries."""
    telegram = f'[telegram]\nenabled = true\napi_base_url = "{fake.api_base_url}"\n'
    if webhook is not None:
        telegram += f'mode = "webhook"\nwebhook_url = "{webhook}"\nsecret_token = "bi-mat-123"\n'
    path = folder / f"{name}.toml"
    path.write_text(
        f'[database]\nurl = "{url}"\n\n'
        f'[clock]\nmode = "simulated"\nstart = "{start or DUE.isoformat()}"\nspeed = 1.0\n\n'
        "[reminders]\ntick_seconds = 5.0\n\n"
        '[summaries]\nweekly = ""\nmissed = false\nchart = false\n\n'
        + (f"[web]\nlisten_port = {port}\n\n" if port else "")
        + telegram,
        encoding="utf-8",
    )
    return path


def start_run(config: Path, fake: FakeTelegram, log: Path) -> subprocess.Popen:
    """``nhacviec run --config config`` as its own process, its log written to ``log``."""
    environment = {**os.environ, "NHACVIEC_TELEGRAM_TOKEN": fake.token, "PYTHONPATH": str(ROOT)}
    command = "import sys; from bot.cli import main; sys.exit(main())"
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-c", command, "run", "--config", str(config)],
            cwd=config.parent,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
