"""The ``world`` of the dialog tests, on every platform by default.

A test that asks for ``world`` (or ``make_world``) runs five times: on the console (the
chat core itself), on Telegram polling and by webhook (the real python-telegram-bot and
our adapter against the fake Bot API server) and on Zalo polling and by webhook (the real
client and adapter against the fake Zalo server). The same rows must give the same
replies everywhere, so a new dialog is a test of every platform without a word more.

A test that cannot run on the platforms says so, and why:

    @pytest.mark.console_only("speaks to the core as Zalo itself, beside the world's chats")

and a test of what one platform alone does names it:

    @pytest.mark.parametrize("platform", ["zalo-polling"], indirect=True)

A module says who is in its world by overriding the ``cast`` fixture; ``make_world(cast,
engine=None)`` makes one more (another cast, or on a given engine). The database is a copy
of a migrated template with the cast's plans loaded (``tests/databases.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from storage.engine import make_engine
from tests.chat_world import START, Cast, World, load_plans, make_console_world
from tests.databases import SqliteTemplates
from tests.telegram_world import make_telegram_world
from tests.zalo_world import make_zalo_world

PLATFORMS = ("console", "telegram-polling", "telegram-webhook", "zalo-polling", "zalo-webhook")
FILES_URL = "http://127.0.0.1:0/tep"  # Zalo's files go by address; the port is set once serving
CONSOLE_ONLY = "console_only(reason): a dialog played on the console only, and why not elsewhere"


def parametrize_platforms(metafunc: pytest.Metafunc) -> None:
    """Run a test that plays a world on every platform, or on the console only if it is
    marked ``console_only`` with a reason."""
    marker = metafunc.definition.get_closest_marker("console_only")
    where = metafunc.definition.nodeid
    module = metafunc.module
    if Path(module.__file__ or "").name.startswith("test_chat_") and (
        getattr(module, "world", world) is not world
    ):
        raise pytest.UsageError(
            f"{module.__file__}: a dialog of the chat core plays the shared world on every "
            "platform (tests/worlds.py); override the cast fixture, not world"
        )
    if any("platform" in _names(mark) for mark in metafunc.definition.iter_markers("parametrize")):
        return  # the test names its platforms itself
    if marker is not None:
        reason = marker.args[0] if marker.args else marker.kwargs.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise pytest.UsageError(f"{where}: console_only needs the reason why")
        if "platform" not in metafunc.fixturenames:
            raise pytest.UsageError(f"{where}: console_only, but the test plays no world")
        return  # ``platform`` stays the console
    if "platform" in metafunc.fixturenames:
        metafunc.parametrize("platform", PLATFORMS, indirect=True)


def _names(parametrize: pytest.Mark) -> list[str]:
    names = parametrize.args[0] if parametrize.args else parametrize.kwargs.get("argnames", ())
    return [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)


@pytest.fixture
def platform(request: pytest.FixtureRequest) -> str:
    """Where the world's messages go: ``console``, or a platform and how it receives."""
    return getattr(request, "param", "console")


@pytest.fixture
def cast() -> Cast:
    """Who is in the world: a dialog module overrides this with its own ``Cast``."""
    return Cast()


@pytest.fixture
def make_world(
    platform: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_templates: SqliteTemplates,
) -> Iterator[Callable[..., World]]:
    """Makes the test's world on ``platform`` (one a test: a platform has one bot)."""
    fake = None
    if platform != "console":
        fake = request.getfixturevalue(f"fake_{platform.split('-')[0]}")
    made: list[tuple[World, Engine | None]] = []

    def make(cast: Cast, engine: Engine | None = None) -> World:
        assert not made, "one world a test"
        own = None
        if engine is None:
            url = sqlite_templates.copy(tmp_path / "world.db", cast.plans, START)
            own = engine = make_engine(url)  # the plans in it already
        else:
            load_plans(engine, cast.plans, START)
        kind, _, mode = platform.partition("-")
        if kind == "telegram":
            world: World = make_telegram_world(engine, fake, (), cast.operators, mode)
        elif kind == "zalo":
            shelf = {"files_dir": str(tmp_path / "tep"), "public_files_url": FILES_URL}
            world = make_zalo_world(engine, fake, mode, cast.operators, **shelf)
        else:
            world = make_console_world(engine, (), cast.operators)
        made.append((world, own))
        return world.enact(cast)

    yield make
    for made_world, own in made:
        made_world.close()
        if own is not None:
            own.dispose()


@pytest.fixture
def world(make_world: Callable[..., World], cast: Cast) -> World:
    """The module's cast in a world of its own, on each platform in turn."""
    return make_world(cast)
