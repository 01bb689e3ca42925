"""The chat core's dialog tables, played again through Telegram, polling and webhook.

Each test below runs a dialog test of ``tests/test_chat_*.py`` unchanged, with the world
swapped for one where every message goes through the fake Bot API server, the real
python-telegram-bot stack and our adapter (see ``tests/telegram_world.py``): the same
rows must give the same replies. The dialogs that check what the console stores (ids
written as names, a message id given by hand, an old button pressed again) are played
in Telegram's own terms in ``test_telegram_reports.py`` instead.
"""

from __future__ import annotations

import pytest

from storage.engine import make_engine, upgrade
from storage.models import Role
from tests import test_chat_commands, test_chat_registration, test_chat_reports
from tests.fakes.telegram_server import FakeTelegram
from tests.telegram_world import TelegramWorld, make_telegram_world

# Every table runs in polling mode; those marked ``BOTH`` in webhook mode too, where the
# fake posts each update to the web server over HTTP and waits for its answer.
BOTH = pytest.mark.parametrize("mode", ["polling", "webhook"])


def _start(url: str, fake: FakeTelegram, mode: str, plans: tuple[str, ...]) -> TelegramWorld:
    engine = make_engine(url)
    upgrade(engine)
    return make_telegram_world(engine, fake, plans, operators=("Quản trị",), mode=mode)


def _finish(world: TelegramWorld) -> None:
    assert world.harness is not None
    world.harness.stop()
    world.engine.dispose()


@pytest.fixture
def mode() -> str:
    return "polling"


@pytest.fixture
def commands_world(mode, sqlite_url, fake_telegram):
    """The world of ``test_chat_commands``: two plans, a member, a unit group, the
    leadership group and a coordinator, all registered."""
    world = _start(sqlite_url, fake_telegram, mode, ("cua-lo-2024", "long-ho-2022"))
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.invite("PHUONG", Role.MEMBER, "UBND-PHUONG")
    world.invite("LEAD", Role.LEADER)
    world.invite("COORD", Role.COORDINATOR, plan="cua-lo-2024")
    world.send("An", "private", "/dangky {NV}")
    world.send("Bình", "Phường", "/dangky {PHUONG}")
    world.send("Chi", "Lãnh đạo", "/dangky {LEAD}")
    world.send("Giang", "private", "/dangky {COORD}")
    yield world
    _finish(world)


@pytest.fixture
def reports_world(mode, sqlite_url, fake_telegram):
    """The world of ``test_chat_reports``."""
    world = _start(sqlite_url, fake_telegram, mode, ("cua-lo-2024",))
    for key, unit in (("NV", "NV"), ("VHTT", "VHTT"), ("PHUONG", "UBND-PHUONG")):
        world.invite(key, Role.MEMBER, unit, "cua-lo-2024")
    world.invite("LEAD", Role.LEADER)
    world.send("An", "private", "/dangky {NV}")
    world.send("Bình", "Phường", "/dangky {PHUONG}")
    world.send("Chi", "Lãnh đạo", "/dangky {LEAD}")
    yield world
    _finish(world)


@pytest.fixture
def registration_world(sqlite_url, fake_telegram):
    """The world of ``test_chat_registration`` (polling)."""
    world = _start(sqlite_url, fake_telegram, "polling", ("cua-lo-2024",))
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.invite("NV2", Role.MEMBER, "NV")
    world.invite("PHUONG", Role.MEMBER, "UBND-PHUONG")
    world.invite("LEAD", Role.LEADER)
    world.invite("LEAD2", Role.LEADER)
    world.invite("COORD", Role.COORDINATOR, plan="cua-lo-2024")
    yield world
    _finish(world)


# -- every command, in Vietnamese and in English ------------------------------------------


@BOTH
def test_start_and_help(commands_world):
    test_chat_commands.test_start_and_help(commands_world)


def test_tasks_and_deadlines(commands_world):
    test_chat_commands.test_tasks_and_deadlines(commands_world)


def test_summaries_with_several_plans(commands_world):
    test_chat_commands.test_summaries_with_several_plans(commands_world)


def test_commands_in_english(commands_world):
    test_chat_commands.test_commands_in_english(commands_world)


def test_a_week_later_the_summary_moves(commands_world):
    test_chat_commands.test_a_week_later_the_summary_moves(commands_world)


# -- registration ---------------------------------------------------------------------------


def test_a_registered_person_keeps_the_code_for_a_colleague(registration_world):
    test_chat_registration.test_a_registered_person_keeps_the_code_for_a_colleague(
        registration_world
    )


def test_coordinator_and_leader_in_private(registration_world):
    test_chat_registration.test_coordinator_and_leader_in_private(registration_world)


def test_registration_refusals_store_nothing(registration_world):
    test_chat_registration.test_refusals_store_nothing(registration_world)


def test_codes_expire(registration_world):
    test_chat_registration.test_codes_expire(registration_world)


def test_english_registration(registration_world):
    test_chat_registration.test_english_registration(registration_world)


# -- reports: one line, guided, refused, bad input --------------------------------------------


def test_report_on_a_named_task_asks_only_what_is_missing(reports_world):
    test_chat_reports.test_report_on_a_named_task_asks_only_what_is_missing(reports_world)


def test_a_flow_is_dropped_after_30_minutes_and_by_cancel(reports_world):
    test_chat_reports.test_a_flow_is_dropped_after_30_minutes_and_by_cancel(reports_world)


@BOTH
def test_bad_input_is_refused_and_nothing_is_stored(reports_world):
    test_chat_reports.test_bad_input_is_refused_and_nothing_is_stored(reports_world)


def test_report_refusals_store_nothing(reports_world):
    test_chat_reports.test_refusals_of_point_6_store_nothing(reports_world)


def test_an_operator_reports_for_a_unit(reports_world):
    test_chat_reports.test_an_operator_reports_for_a_unit(reports_world)


def test_reports_in_english(reports_world):
    test_chat_reports.test_reports_in_english(reports_world)
