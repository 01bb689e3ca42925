"""Shared fixtures: a fresh database on SQLite and, when reachable, on PostgreSQL.

The PostgreSQL server is found at ``NHACVIEC_TEST_POSTGRES`` (default: the local server,
user postgres). Where it is absent the PostgreSQL cases skip and say why, unless
``NHACVIEC_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from storage.engine import make_engine, upgrade
from tests.fakes.telegram_server import fake_telegram  # noqa: F401 (the fixture)
from tests.fakes.zalo_server import fake_zalo  # noqa: F401 (the fixture, for every test)

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
POSTGRES_ADMIN_URL = os.environ.get(
    "NHACVIEC_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


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


def _fresh_postgres_database(server: str) -> Iterator[str]:
    name = f"nhacviec_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    yield from _fresh_postgres_database(postgres_server)


@pytest.fixture(scope="module")
def postgres_module_url(postgres_server: str) -> Iterator[str]:
    """A new, empty PostgreSQL database shared by one test module."""
    yield from _fresh_postgres_database(postgres_server)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'nhacviec.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of a new, empty database of each kind."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a new database with the schema migrated to head."""
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()
