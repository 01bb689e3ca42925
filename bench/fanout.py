"""A quarter's first morning: N chats reminded at the same instant, at Telegram's limit.

    .venv/bin/python bench/fanout.py [--chats 900] [--processes 1|3] [--database sqlite|postgres]

``nhacviec run`` processes (the real python-telegram-bot stack) send to a fake Bot API
that enforces Telegram's limits (429 past 30 messages in any second, one a second per
private chat). With more than one process the database is PostgreSQL on 127.0.0.1:5432
(user postgres): a database of its own is created and dropped. Prints the messages a
second (first to last delivery), that rate as a ratio of 30/s, the 429s answered, the
most messages in any one second, and the chats that got no reminder (lost) or one
twice (doubled). The target: a ratio of at least 0.9, no 429, none lost or doubled.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text

from tests.fakes.telegram_server import FakeTelegram
from tests.fanout_world import (
    build_fanout,
    reminder_counts,
    reminders_sent,
    start_run,
    write_config,
)

SERVER = os.environ.get("NHACVIEC_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")


def postgres(database: str, statement: str) -> None:
    engine = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement.format(database=database)))
    engine.dispose()


def fan_out(folder: Path, chats: int, processes: int, url: str, timeout: float) -> int:
    with FakeTelegram() as fake:
        print(f"preparing {chats} chats ...", flush=True)
        ids = build_fanout(url, chats, fake)
        flood = fake.enforce_limits()
        running = [
            start_run(write_config(folder, url, fake, name=f"p{n}"), fake, folder / f"p{n}.log")
            for n in range(processes)
        ]
        started = time.monotonic()
        try:
            while reminders_sent(url) < chats and time.monotonic() - started < timeout:
                if any(process.poll() is not None for process in running):
                    print("a process exited:", (folder / "p0.log").read_text()[-2000:])
                    break
                time.sleep(0.5)
            time.sleep(1.0)  # a message sent twice would come now
        finally:
            for process in running:
                process.send_signal(signal.SIGTERM)
            for process in running:
                process.wait(timeout=30)
        counts = reminder_counts(fake, ids)
        lost = sum(1 for count in counts.values() if count == 0)
        doubled = sum(count - 1 for count in counts.values() if count > 1)
        rate = flood.rate()
        print(f"chats {chats}, processes {processes}, database {url.split(':')[0]}")
        print(f"delivered {len(flood.delivered)} in {len(flood.per_second())} s")
        print(f"messages/s {rate:.1f}, ratio to 30/s {rate / 30:.2f}")
        print(f"429s {flood.refused}, most in any second {flood.most_in_a_second}")
        print(f"lost {lost}, doubled {doubled}")
        print("per second:", " ".join(str(n) for n in flood.per_second()))
        return 0 if lost == doubled == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=900)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--database", choices=("sqlite", "postgres"))
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    database = args.database or ("postgres" if args.processes > 1 else "sqlite")
    if database == "sqlite" and args.processes > 1:
        parser.error("several processes share one budget only on PostgreSQL")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if database == "sqlite":
            url = f"sqlite:///{folder}/fanout.db"
            return fan_out(folder, args.chats, args.processes, url, args.timeout)
        database_name = f"nhacviec_fanout_{os.getpid()}"
        postgres(database_name, "CREATE DATABASE {database}")
        try:
            url = f"{SERVER}/{database_name}"
            return fan_out(folder, args.chats, args.processes, url, args.timeout)
        finally:
            postgres(database_name, "DROP DATABASE IF EXISTS {database} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
