"""Backups: the database and the evidence file store in one ``.tar.gz``, taken while the
bot runs, and brought back into an empty place.

The database is copied first (SQLite: its online-backup API, a consistent snapshot even
while the bot writes; PostgreSQL: ``pg_dump``, one transaction), then the evidence folder.
In that order every file a backed-up report names is already in the folder: a file is
written (whole, by rename) before its report's row is committed, and files never change
once written (their name is their hash). A restore refuses a database that has tables or
a folder that has files, so it never mixes two states.

Archive layout: ``nhacviec-backup.json`` (what it holds), ``database.sqlite3`` or
``database.pgdump`` (pg_dump's custom format, for pg_restore), ``evidence/...``.
"""

from __future__ import annotations

import glob
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL, make_url

from messages import backup as texts
from storage.engine import normalize_url

MANIFEST = "nhacviec-backup.json"
FORMAT = 1
EVIDENCE = "evidence"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """The backup or restore cannot be done; the text says why, in the operator's words."""


@dataclass(frozen=True)
class Outcome:
    archive: Path
    database: str  # "sqlite" or "postgresql"
    files: int  # evidence files


def _kind(url: URL) -> str:
    return "sqlite" if url.get_backend_name() == "sqlite" else "postgresql"


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError(texts.no_sqlite_file(str(url)))
    return Path(url.database)


def pg_tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``: on PATH, else the newest under
    /usr/lib/postgresql (Debian's layout); BackupError when there is none."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    if versions:
        return versions[-1]
    raise BackupError(texts.tool_missing(name))


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The URL pg_dump understands, and the environment carrying the password (so that
    it shows in no process list)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(texts.tool_failed(tool, result.stderr.strip()[-500:]))


def _dump_database(url: URL, target: Path) -> None:
    if _kind(url) == "sqlite":
        source_path = _sqlite_path(url)
        if not source_path.exists():
            raise BackupError(texts.no_database(str(source_path)))
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return
    address, env = _libpq(url)
    _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", address], env)


def _evidence_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.rglob("*") if path.is_file() and not path.name.startswith(".")
    )


def backup(database_url: str, evidence_dir: Path, out: Path, now: datetime) -> Outcome:
    """Write the archive ``out`` (replaced whole, never left half-written)."""
    url = make_url(normalize_url(database_url))
    kind = _kind(url)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".nhacviec-backup-") as work:
        dump = Path(work) / DATABASE_FILES[kind]
        _dump_database(url, dump)
        files = _evidence_files(evidence_dir)  # after the database: see the module's note
        manifest = {"format": FORMAT, "created_at": now.isoformat(), "database": kind}
        manifest["evidence_files"] = len(files)
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, DATABASE_FILES[kind])
            for path in files:
                archive.add(path, f"{EVIDENCE}/{path.relative_to(evidence_dir).as_posix()}")
        os.replace(partial, out)
    return Outcome(out, kind, len(files))


def _manifest(archive: tarfile.TarFile, path: Path) -> dict:
    try:
        member = archive.extractfile(MANIFEST)
        manifest = json.loads(member.read()) if member else None
    except (KeyError, ValueError) as error:
        raise BackupError(texts.not_a_backup(str(path))) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(texts.not_a_backup(str(path)))
    return manifest


def _check_empty(url: URL, evidence_dir: Path) -> None:
    if _kind(url) == "sqlite":
        path = _sqlite_path(url)
        if path.exists() and path.stat().st_size > 0:
            raise BackupError(texts.database_not_empty(str(path)))
    else:
        engine = create_engine(normalize_url(url.render_as_string(hide_password=False)))
        try:
            tables = inspect(engine).get_table_names()
        except Exception as error:
            raise BackupError(texts.cannot_open(str(error).splitlines()[0])) from error
        finally:
            engine.dispose()
        if tables:
            shown = url.render_as_string(hide_password=True)
            raise BackupError(texts.database_not_empty(shown))
    if evidence_dir.exists() and any(evidence_dir.iterdir()):
        raise BackupError(texts.folder_not_empty(str(evidence_dir)))


def restore(archive_path: Path, database_url: str, evidence_dir: Path) -> Outcome:
    """Bring the archive's database and evidence back; BackupError (nothing written)
    when the place is not empty or the archive is not a backup of the same kind."""
    url = make_url(normalize_url(database_url))
    kind = _kind(url)
    try:
        archive = tarfile.open(archive_path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(texts.not_a_backup(str(archive_path))) from error
    with archive, tempfile.TemporaryDirectory(prefix=".nhacviec-restore-") as work:
        manifest = _manifest(archive, archive_path)
        if manifest.get("database") != kind:
            raise BackupError(texts.other_database(str(manifest.get("database")), kind))
        _check_empty(url, evidence_dir)
        archive.extractall(work, filter="data")  # refuses absolute paths and "..": safe
        dump = Path(work) / DATABASE_FILES[kind]
        if kind == "sqlite":
            target = _sqlite_path(url)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(dump, target)
        else:
            address, env = _libpq(url)
            _run([pg_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={address}",
                  str(dump)], env)  # fmt: skip
        files = 0
        source = Path(work) / EVIDENCE
        if source.is_dir():
            shutil.copytree(source, evidence_dir, dirs_exist_ok=True)
            files = len(_evidence_files(evidence_dir))
    return Outcome(archive_path, kind, files)
