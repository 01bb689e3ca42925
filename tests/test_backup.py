"""``nhacviec backup`` and ``restore``: a round trip of a live database (the Telegram bot
running against the fake server, a report with a photo just stored) and its evidence
folder, on SQLite and on PostgreSQL; a restore refuses a place that is not empty."""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from bot.backup import pg_tool
from bot.cli import main
from bot.evidence import EvidenceShelf
from storage.engine import make_engine, upgrade
from storage.filestore import FileStore
from storage.models import Evidence, Report, Role
from tests.fakes.telegram_world import tiny_png
from tests.telegram_world import make_telegram_world

PHOTO = tiny_png(64, 48)


def config_file(folder: Path, url: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(
        f'[database]\nurl = "{url}"\n\n[files]\nevidence_dir = "{folder / "evidence"}"\n',
        "utf-8",
    )
    return path


@pytest.fixture
def second_url(db_url, tmp_path, request):
    """A second empty database of the same kind: where the backup is restored."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored' / 'nhacviec.db'}"
    return request.getfixturevalue("empty_postgres_url")


@pytest.fixture
def live_world(db_url, tmp_path, fake_telegram):
    """The bot running on Telegram, with An's report and its photo stored."""
    engine = make_engine(db_url)
    upgrade(engine)
    shelf = EvidenceShelf(FileStore(tmp_path / "live" / "evidence"))
    world = make_telegram_world(engine, fake_telegram, evidence=shelf)
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.send("An", "private", "/dangky {NV}")
    an = world.person("An")
    update = fake_telegram.user_sends_photo(an, an, PHOTO, caption="/baocao T3 50% đã lắp pano")
    world.harness.wait_handled(update)
    yield world
    world.harness.stop()
    engine.dispose()


def counts(url: str) -> tuple[int, list[tuple[str, str]]]:
    engine = make_engine(url)
    with Session(engine) as session:
        reports = session.exec(select(func.count()).select_from(Report)).one()
        files = [(row.sha256, row.path) for row in session.exec(select(Evidence))]
    engine.dispose()
    return reports, files


def test_a_backup_taken_while_the_bot_runs_restores_reports_and_evidence(
    live_world, db_url, second_url, tmp_path, capsys
):
    if not db_url.startswith("sqlite"):
        pg_tool("pg_dump")  # a clear failure, not a skip, when the tools are missing
    live = config_file(tmp_path / "live", db_url)
    archive = tmp_path / "sao-luu" / "nhacviec.tar.gz"
    assert main(["backup", "--out", str(archive), "--config", str(live)]) == 0
    kind = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    assert capsys.readouterr().out == (
        f"Đã sao lưu vào {archive}: cơ sở dữ liệu {kind} và 1 tệp minh chứng.\n"
    )
    digest = hashlib.sha256(PHOTO).hexdigest()
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert f"evidence/{digest[:2]}/{digest}.png" in names and "nhacviec-backup.json" in names

    # The bot goes on: a report made after the backup is not in it.
    world = live_world
    world.send("An", "private", "/baocao T3 hoàn thành")

    restored = config_file(tmp_path / "restored", second_url)
    assert main(["restore", str(archive), "--config", str(restored)]) == 0
    assert "1 tệp minh chứng" in capsys.readouterr().out
    (report_count, files) = counts(second_url)
    assert report_count == 1 and files == [(digest, f"{digest[:2]}/{digest}.png")]
    assert (tmp_path / "restored" / "evidence" / files[0][1]).read_bytes() == PHOTO
    assert counts(db_url)[0] == 2

    # Restoring again, over what is now there, is refused and changes nothing.
    assert main(["restore", str(archive), "--config", str(restored)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("Lỗi: Không khôi phục: cơ sở dữ liệu ") and "đã có dữ liệu" in error
    assert counts(second_url)[0] == 1


def test_restore_refuses_a_folder_with_files(tmp_path, capsys):
    source = config_file(tmp_path / "a", f"sqlite:///{tmp_path / 'a' / 'nhacviec.db'}")
    engine = make_engine(f"sqlite:///{tmp_path / 'a' / 'nhacviec.db'}")
    upgrade(engine)
    engine.dispose()
    archive = tmp_path / "b.tar.gz"
    assert main(["backup", "--out", str(archive), "--config", str(source)]) == 0
    target = config_file(tmp_path / "c", f"sqlite:///{tmp_path / 'c' / 'nhacviec.db'}")
    (tmp_path / "c" / "evidence").mkdir()
    (tmp_path / "c" / "evidence" / "cu.jpg").write_bytes(b"old")
    capsys.readouterr()
    assert main(["restore", str(archive), "--config", str(target)]) == 1
    assert "thư mục minh chứng" in capsys.readouterr().err
    assert not (tmp_path / "c" / "nhacviec.db").exists()


def test_restore_refuses_what_is_not_a_backup(tmp_path, capsys):
    target = config_file(tmp_path, f"sqlite:///{tmp_path / 'nhacviec.db'}")
    bogus = tmp_path / "x.tar.gz"
    bogus.write_bytes(b"not an archive")
    assert main(["restore", str(bogus), "--config", str(target)]) == 1
    assert "không phải bản sao lưu của nhacviec" in capsys.readouterr().err
