"""The tests' databases: each test gets its own, copied from a template migrated once.

Migrating a new database for every test was most of the suite's database time, so a
session (each pytest-xdist worker has its own) migrates one SQLite file and one PostgreSQL
database, and every test starts from a copy: the file copied, or ``CREATE DATABASE x
TEMPLATE y``. The fixtures, all of them a database of the test's own:

- ``sqlite_url``, ``postgres_url``, ``db_url`` (both kinds) and ``engine`` (on ``db_url``):
  the schema at head;
- ``empty_sqlite_url``, ``empty_postgres_url``, ``empty_db_url``: empty, for the tests of
  the migrations themselves;
- ``postgres_module_url``: migrated, shared by the tests of one module.

The PostgreSQL server is found at ``NHACVIEC_TEST_POSTGRES`` (default: the local server,
user postgres). Where it is absent the PostgreSQL cases skip and say why, unless
``NHACVIEC_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event, make_url, text

from storage.engine import make_engine, upgrade
from tests.chat_world import load_plans

POSTGRES_ADMIN_URL = os.environ.get(
    "NHACVIEC_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


class SqliteTemplates:
    """Migrated SQLite files, each made on first use and copied for every test that wants
    it: the bare schema, or the schema with seed plans loaded at an instant (where the
    dialog worlds start)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[tuple[tuple[str, ...], datetime | None], Path] = {}

    def copy(self, to: Path, plans: tuple[str, ...] = (), at: datetime | None = None) -> str:
        """The URL of ``to``, a copy of the template with ``plans`` loaded at ``at``."""
        key = (plans, at)
        if key not in self._made:
            self._made[key] = self._make(plans, at)
        shutil.copyfile(self._made[key], to)
        return f"sqlite:///{to}"

    def _make(self, plans: tuple[str, ...], at: datetime | None) -> Path:
        path = self.folder / f"template-{len(self._made)}.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        if plans:
            assert at is not None, "plans are loaded at an instant"
            load_plans(engine, plans, at)
        with engine.connect() as connection:  # all in the file itself, none left in the WAL
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        return path


def _unflushed(dbapi_connection: object, _record: object) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


@pytest.fixture(scope="session", autouse=True)
def unflushed_commits() -> Iterator[None]:
    """A test's database need not outlive a power cut: its commits do not wait for the
    disk (SQLite here, PostgreSQL in ``_database``), which on a busy machine is most of
    a dialog's time. Locking and WAL behave as in production."""
    event.listen(Engine, "connect", _unflushed)
    yield
    event.remove(Engine, "connect", _unflushed)


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplates:
    return SqliteTemplates(tmp_path_factory.mktemp("templates"))


@pytest.fixture
def sqlite_url(sqlite_templates: SqliteTemplates, tmp_path: Path) -> str:
    """A new SQLite database with the schema at head."""
    return sqlite_templates.copy(tmp_path / "nhacviec.db")


@pytest.fixture
def empty_sqlite_url(tmp_path: Path) -> str:
    """A new, empty SQLite database (the file is made on first use)."""
    return f"sqlite:///{tmp_path / 'empty.db'}"


def _postgres_unavailable() -> str | None:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as error:  # any failure to reach the server means: skip these cases
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {error.__class__.__name__}"
    return None


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The admin URL of a reachable PostgreSQL server, or a skip saying why there is none."""
    reason = _postgres_unavailable()
    if reason:
        if os.environ.get("NHACVIEC_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " (NHACVIEC_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    return POSTGRES_ADMIN_URL


@pytest.fixture(scope="session")
def postgres_admin(postgres_server: str) -> Iterator[Engine]:
    """The session's connection for creating and dropping databases."""
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    yield admin
    admin.dispose()


@contextmanager
def _database(admin: Engine, template: str | None = None) -> Iterator[str]:
    """A new database (a copy of ``template``, or empty), dropped afterwards."""
    name = f"nhacviec_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_template(postgres_admin: Engine) -> Iterator[str]:
    """The name of this session's PostgreSQL database with the schema at head."""
    with _database(postgres_admin) as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()  # a template takes no connections while it is copied
        yield make_url(url).database or ""


@pytest.fixture
def postgres_url(postgres_admin: Engine, postgres_template: str) -> Iterator[str]:
    """A new PostgreSQL database with the schema at head, dropped afterwards."""
    with _database(postgres_admin, postgres_template) as url:
        yield url


@pytest.fixture
def empty_postgres_url(postgres_admin: Engine) -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    with _database(postgres_admin) as url:
        yield url


@pytest.fixture(scope="module")
def postgres_module_url(postgres_admin: Engine, postgres_template: str) -> Iterator[str]:
    """A new PostgreSQL database with the schema at head, shared by one test module."""
    with _database(postgres_admin, postgres_template) as url:
        yield url


KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=KINDS)
def db_url(request: pytest.FixtureRequest) -> str:
    """A new database of each kind with the schema at head."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture(params=KINDS)
def empty_db_url(request: pytest.FixtureRequest) -> str:
    """A new, empty database of each kind."""
    return request.getfixturevalue(f"empty_{request.param}_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a new database with the schema at head."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()
