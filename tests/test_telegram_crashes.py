"""``nhacviec run`` killed with SIGKILL, as a power cut or the OOM killer would: in the
middle of a morning's fan-out, and in the middle of a backlog of reports. Started again,
it loses nothing, and at most one message goes out twice per crash (the one Telegram took
just before the kill, whose outcome was never written). What the killed process had
claimed goes out as soon as the next one runs, not after the claims' lease."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from storage.engine import make_engine
from storage.models import OutgoingReply, Report
from tests.fakes.telegram_server import FakeTelegram
from tests.fanout_world import (
    DUE,
    build_fanout,
    reminder_counts,
    reminders_sent,
    start_run,
    write_config,
)

pytestmark = pytest.mark.slow
LATER = (DUE + timedelta(minutes=11)).isoformat()  # an interrupted claim's lease is over
EVENING = DUE.replace(hour=18)  # out of the sending window: replies only
PROMPTLY = 10.0  # seconds after the restart by which every confirmation is delivered


def wait_for(condition, what: str, process: subprocess.Popen, log: Path, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"nhacviec run exited before {what}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)


def delivered(fake: FakeTelegram) -> int:
    with fake.lock:
        return len(fake.flood.delivered)


def confirmed(fake: FakeTelegram) -> int:
    """How many chats received at least one message."""
    with fake.lock:
        return len({chat for _at, chat, _text in fake.flood.delivered})


def stored(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        count = len(session.exec(select(Report)).all())
    engine.dispose()
    return count


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0


def test_killed_in_the_middle_of_a_fan_out_it_sends_the_rest_once(tmp_path, fake_telegram):
    fake, url, log = fake_telegram, f"sqlite:///{tmp_path / 'bot.db'}", tmp_path / "run.log"
    chats = build_fanout(url, 60, fake)
    fake.enforce_limits()
    first = start_run(write_config(tmp_path, url, fake), fake, log)
    wait_for(lambda: delivered(fake) >= 15, "the first reminders", first, log)
    first.kill()  # SIGKILL: nothing is recorded, nothing given back
    first.wait()
    assert delivered(fake) < len(chats)
    again = start_run(write_config(tmp_path, url, fake, name="again", start=LATER), fake, log)
    wait_for(lambda: reminders_sent(url) == len(chats), "every reminder", again, log)
    time.sleep(0.5)
    stop(again)
    counts = reminder_counts(fake, chats)
    assert min(counts.values()) == 1, "a reminder was lost"
    assert sum(counts.values()) - len(chats) <= 1, counts.most_common(3)
    assert fake.flood.refused == 0


def test_killed_in_the_middle_of_a_backlog_of_reports_it_stores_each_once(tmp_path, fake_telegram):
    fake, url, log = fake_telegram, f"sqlite:///{tmp_path / 'bot.db'}", tmp_path / "run.log"
    chats = build_fanout(url, 40, fake)
    for chat in chats:  # sent while the bot was down: a backlog waiting on Telegram
        fake.user_sends_text(chat, chat, "/baocao BC1 hoàn thành đã gửi văn bản")
    first = start_run(write_config(tmp_path, url, fake, start=EVENING.isoformat()), fake, log)
    wait_for(lambda: delivered(fake) >= 8, "the first confirmations", first, log)
    first.kill()
    killed_at = time.monotonic()
    first.wait()
    assert delivered(fake) < len(chats)
    again = start_run(
        write_config(tmp_path, url, fake, name="again", start=EVENING.isoformat()), fake, log
    )
    wait_for(lambda: stored(url) == len(chats), "every report", again, log)
    # The replies the killed process had claimed are given back at the start, not after
    # their two-minute lease.
    wait_for(lambda: confirmed(fake) == len(chats), "every confirmation", again, log, PROMPTLY)
    stop(again)
    engine = make_engine(url)
    with Session(engine) as session:
        reports = Counter(report.unit_id for report in session.exec(select(Report)))
    assert len(reports) == len(chats) and set(reports.values()) == {1}
    confirmations = Counter(chat for _at, chat, _text in fake.flood.delivered)
    assert set(confirmations) == set(chats)
    # Replies go out several at a time (a chat each), so the ones Telegram took in the
    # moment before the kill, their outcome not yet written, go out again: those only.
    first_sent = {chat: at for at, chat, _text in reversed(fake.flood.delivered)}
    twice = {chat for chat, count in confirmations.items() if count > 1}
    assert all(killed_at - 1.0 < first_sent[chat] < killed_at for chat in twice), twice
    assert max(confirmations.values()) <= 2
    with Session(engine) as session:
        states = Counter(row.state for row in session.exec(select(OutgoingReply)))
    engine.dispose()
    assert states == {"sent": len(chats)}, states
    assert all(text.startswith("Đã ghi báo cáo") for *_, text in fake.flood.delivered)
