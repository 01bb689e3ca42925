"""The chat core's dialog tables, end to end through Zalo: polling and webhook.

The tests below are the chat core's own (imported from ``test_chat_*``): pytest collects
them here again, and here their ``world`` fixture is a ``ZaloWorld``, whose messages go
through the fake Zalo server, the real ``ZaloClient`` and the Zalo adapter, and whose
replies are what Zalo received, choices numbered in the text. They run once polling and
once in webhook mode (the fake POSTs each update to the real web server with the secret).
Tests that press buttons, send a file Zalo withholds, or speak as another platform stay
with the core; their Zalo counterparts are in ``test_zalo_adapter``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from storage.engine import make_engine, upgrade
from storage.models import Role
from tests import test_chat_commands, test_chat_registration, test_chat_reports
from tests.chat_world import World
from tests.test_chat_commands import (  # noqa: F401 (collected here with the Zalo world)
    test_a_week_later_the_summary_moves,
    test_commands_in_english,
    test_language_per_chat,
    test_start_and_help,
    test_summaries_with_several_plans,
    test_tasks_and_deadlines,
)
from tests.test_chat_registration import (  # noqa: F401
    test_a_group_keeps_its_unit,
    test_a_registered_person_keeps_the_code_for_a_colleague,
    test_codes_expire,
    test_coordinator_and_leader_in_private,
    test_english_registration,
    test_five_wrong_codes_in_an_hour_lock_the_sender_out_for_an_hour,
    test_operators_make_invite_codes_in_chat,
    test_refusals_store_nothing,
)
from tests.test_chat_reports import (  # noqa: F401
    test_a_flow_is_dropped_after_30_minutes_and_by_cancel,
    test_a_repeated_flow_message_answers_nothing,
    test_an_operator_reports_for_a_unit,
    test_bad_input_is_refused_and_nothing_is_stored,
    test_one_line_reports,
    test_refusals_and_bad_input_in_english,
    test_refusals_of_point_6_store_nothing,
    test_report_on_a_named_task_asks_only_what_is_missing,
    test_reports_in_english,
    test_user_text_shown_back_cannot_break_a_message,
)
from tests.zalo_world import ZaloWorld, zalo_world_maker


def registration_world(url: str, make) -> World:
    """What ``test_chat_registration``'s fixture sets up."""
    engine = make_engine(url)
    upgrade(engine)
    world = make(engine, operators=("Quản trị",))
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.invite("NV2", Role.MEMBER, "NV")
    world.invite("PHUONG", Role.MEMBER, "UBND-PHUONG")
    world.invite("LEAD", Role.LEADER)
    world.invite("LEAD2", Role.LEADER)
    world.invite("COORD", Role.COORDINATOR, plan="cua-lo-2024")
    return world


def commands_world(url: str, make) -> World:
    """What ``test_chat_commands``'s fixture sets up."""
    engine = make_engine(url)
    upgrade(engine)
    world = make(engine, plans=("cua-lo-2024", "long-ho-2022"), operators=("Quản trị",))
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.invite("PHUONG", Role.MEMBER, "UBND-PHUONG")
    world.invite("LEAD", Role.LEADER)
    world.invite("COORD", Role.COORDINATOR, plan="cua-lo-2024")
    world.send("An", "private", "/dangky {NV}")
    world.send("Bình", "Phường", "/dangky {PHUONG}")
    world.send("Chi", "Lãnh đạo", "/dangky {LEAD}")
    world.send("Giang", "private", "/dangky {COORD}")
    return world


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """An SQLite file with the schema at head: each test starts from a copy (the
    migrations take longer than most of these dialogs)."""
    path = tmp_path_factory.mktemp("template") / "nhacviec.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(params=["polling", "webhook"])
def world(request, migrated, sqlite_url, fake_zalo, monkeypatch):
    shutil.copy(migrated, sqlite_url.removeprefix("sqlite:///"))
    opened: list[ZaloWorld] = []
    make = zalo_world_maker(fake_zalo, request.param, opened)
    origin = request.function.__module__
    try:
        if origin == test_chat_reports.__name__:
            monkeypatch.setattr(test_chat_reports, "make_world", make)
            made = test_chat_reports._world(sqlite_url)
        elif origin == test_chat_registration.__name__:
            made = registration_world(sqlite_url, make)
        else:
            assert origin == test_chat_commands.__name__, origin
            made = commands_world(sqlite_url, make)
        yield made
    finally:
        for opened_world in opened:
            opened_world.close()
        for opened_world in opened:
            opened_world.engine.dispose()
