"""Three ``nhacviec run`` processes on one PostgreSQL, in webhook mode behind a round-robin
proxy, as a province deploys them (README: several webhook processes behind nginx).

The fake Telegram enforces Telegram's limits and posts the officers' reports through
the proxy while the quarter's reminders fall due. Every report is stored once and
confirmed once, every reminder goes out once, and the three processes together never
send more than 30 messages in a second: the fake never had to answer 429.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import Session, select

from storage.engine import make_engine
from storage.models import Reminder, Report, SeenUpdate
from tests.fakes.telegram_server import FakeTelegram
from tests.fanout_world import (
    build_fanout,
    free_port,
    reminder_counts,
    reminders_sent,
    start_run,
    write_config,
)
from tests.round_robin_proxy import RoundRobinProxy

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

CHATS = 90
PROCESSES = 3
REPORT = "/baocao BC1 đang thực hiện 50 đang tổng hợp số liệu"  # the reminder still applies
CONFIRMED = "Đã ghi báo cáo"


def wait_for(
    condition, what: str, run: tuple[str, FakeTelegram, list[subprocess.Popen], list[Path]]
):
    url, fake, processes, logs = run
    # Generous: on a busy two-core machine three processes and the fake share the CPU.
    deadline = time.monotonic() + 120.0
    while not condition():
        if any(process.poll() is not None for process in processes) or (
            time.monotonic() > deadline
        ):
            tails = "\n".join(log.read_text()[-1500:] for log in logs)
            figures = f"{reminders_sent(url)} reminders, {len(confirmations(fake))} confirmed"
            figures += f"; not sent: {unsent(url)}"
            raise AssertionError(f"no {what} ({figures}):\n{tails}")
        time.sleep(0.1)


def unsent(url: str) -> list[tuple]:
    """The due reminders not sent: their state, claim and last error."""
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.exec(
            select(Reminder).where(Reminder.step == "due", Reminder.state != "sent")
        ).all()
        found = [(r.chat_id, r.state, r.claimed_by, r.next_attempt_at, r.last_error) for r in rows]
    engine.dispose()
    return found


def stored_reports(url: str) -> Counter[int]:
    engine = make_engine(url)
    with Session(engine) as session:
        reports = Counter(report.unit_id for report in session.exec(select(Report)))
    engine.dispose()
    return reports


def confirmations(fake: FakeTelegram) -> Counter[int]:
    with fake.lock:
        return Counter(
            chat for _at, chat, text in fake.flood.delivered if text.startswith(CONFIRMED)
        )


def test_three_webhook_processes_store_each_report_once_and_keep_30_a_second(
    tmp_path, postgres_url, fake_telegram
):
    fake, url = fake_telegram, postgres_url
    chats = build_fanout(url, CHATS, fake)
    flood = fake.enforce_limits()
    ports = [free_port() for _ in range(PROCESSES)]
    logs = [tmp_path / f"p{n}.log" for n in range(PROCESSES)]
    with RoundRobinProxy(ports) as proxy:
        webhook = f"http://127.0.0.1:{proxy.port}/telegram"
        for chat in chats[: CHATS // 2]:  # sent before the bot was up: waiting on Telegram
            fake.user_sends_text(chat, chat, REPORT)
        processes = [
            start_run(
                write_config(tmp_path, url, fake, name=f"p{n}", webhook=webhook, port=port),
                fake,
                logs[n],
            )
            for n, port in enumerate(ports)
        ]
        run = (url, fake, processes, logs)
        try:
            wait_for(lambda: reminders_sent(url) >= 10, "reminders", run)
            for chat in chats[CHATS // 2 :]:  # the rest while the reminders go out
                fake.user_sends_text(chat, chat, REPORT)
                time.sleep(0.02)
            wait_for(lambda: reminders_sent(url) == CHATS, "every reminder", run)
            wait_for(lambda: len(confirmations(fake)) == CHATS, "every confirmation", run)
            time.sleep(1.0)  # a message sent twice would come now
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            codes = [process.wait(timeout=20) for process in processes]
        answered = Counter(
            backend
            for (backend, status), count in proxy.answered.items()
            for _ in range(count)
            if status == 200
        )
    assert codes == [0] * PROCESSES
    assert set(answered) == set(ports), answered  # every process took its share
    assert stored_reports(url) == Counter({unit: 1 for unit in stored_reports(url)})
    assert len(stored_reports(url)) == CHATS
    engine = make_engine(url)
    with Session(engine) as session:
        seen = session.exec(select(SeenUpdate).where(SeenUpdate.platform == "telegram")).all()
    engine.dispose()
    assert len(seen) == CHATS == len({row.key for row in seen})
    assert set(confirmations(fake).values()) == {1}
    assert set(reminder_counts(fake, chats).values()) == {1}
    assert flood.refused == 0, (flood.refusals, flood.per_second())
    assert flood.most_in_a_second <= 30
    assert fake.updates.pending_count() == 0
