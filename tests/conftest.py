"""What every test has: its own database (``tests/databases.py``), the network kept to this
machine (``tests/network_guard.py``), the fake Telegram and Zalo servers, and the dialog
``world`` played on the console and on every platform (``tests/worlds.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.chat_world import PLANS  # where the tests find the seed plans
from tests.databases import (  # noqa: F401 (the fixtures)
    db_url,
    empty_db_url,
    empty_postgres_url,
    empty_sqlite_url,
    engine,
    postgres_admin,
    postgres_module_url,
    postgres_server,
    postgres_template,
    postgres_url,
    sqlite_templates,
    sqlite_url,
    unflushed_commits,
)
from tests.fakes.telegram_server import fake_telegram  # noqa: F401 (the fixture)
from tests.fakes.zalo_server import fake_zalo  # noqa: F401 (the fixture)
from tests.network_guard import loopback_only  # noqa: F401 (autouse: every test)
from tests.worlds import (  # noqa: F401 (the fixtures)
    CONSOLE_ONLY,
    cast,
    make_world,
    parametrize_platforms,
    platform,
    world,
)

ROOT = PLANS.parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", CONSOLE_ONLY)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrize_platforms(metafunc)


@pytest.fixture(scope="session", autouse=True)
def one_tls_context() -> Iterator[None]:
    """Every httpx client of a session shares one TLS context. Each new client would read
    the whole CA bundle, a fifth of a dialog's CPU on the platforms, for nothing: the
    tests speak plain HTTP to the loopback (``tests/network_guard.py``)."""
    make = httpx._transports.default.create_ssl_context
    made: dict[tuple[bool, bool], Any] = {}

    def shared(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
        if cert is not None or not isinstance(verify, bool):
            return make(verify, cert, trust_env)
        if (verify, trust_env) not in made:
            made[verify, trust_env] = make(verify, cert, trust_env)
        return made[verify, trust_env]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(httpx._transports.default, "create_ssl_context", shared)
        yield
