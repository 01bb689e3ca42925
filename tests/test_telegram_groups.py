"""Groups done right on Telegram: the bot added and removed (my_chat_member), blocked and
unblocked in private, and a group upgraded to a supergroup keeping its registration,
its reports and a guided report under way."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from storage.engine import make_engine, upgrade
from storage.models import AuditLog, Chat, Report, Role
from tests.chat_world import Has, run_dialog
from tests.telegram_world import make_telegram_world


@pytest.fixture
def world(sqlite_url, fake_telegram):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = make_telegram_world(engine, fake_telegram)
    world.invite("PHUONG", Role.MEMBER, "UBND-PHUONG")
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    yield world
    world.harness.stop()
    engine.dispose()


def chat_row(world, chat_id: int) -> Chat | None:
    with Session(world.engine) as session:
        return session.exec(select(Chat).where(Chat.chat_id == str(chat_id))).first()


def test_added_greets_removed_goes_quiet_added_again_resumes(world):
    fake = world.fake
    (registered,) = world.send("Bình", "Phường", "/dangky {PHUONG}")  # adds the bot first
    assert registered.text.startswith("Đã đăng ký nhóm này là nhóm của Ủy ban")
    group, binh = world.groups["Phường"], world.person("Bình")
    assert fake.sent_texts(group)[0].startswith("Chào cả nhóm. Tôi là bot Nhắc việc. Nhóm")
    assert chat_row(world, group.id).active

    removed = fake.bot_removed_from_group(group, binh)
    assert world.harness.wait_handled(removed).what == "bot left"
    assert not chat_row(world, group.id).active

    count = len(fake.sent(group))
    added = fake.bot_added_to_group(group, binh, as_admin=True)
    assert world.harness.wait_handled(added).what == "bot added"
    assert chat_row(world, group.id).active  # registration kept: no new code needed
    assert fake.sent_texts(group)[count:] == [
        "Chào cả nhóm. Đây là nhóm của Ủy ban nhân dân các phường: tôi nhắc hạn chót các "
        "nhiệm vụ của đơn vị ở đây. Gõ /nhiemvu để xem nhiệm vụ, /hanchot để xem hạn chót, "
        "/baocao để báo cáo."
    ]
    run_dialog(world, [("Bình", "Phường", "/nhiemvu", Has("Nhiệm vụ của Ủy ban nhân dân"))])
    with Session(world.engine) as session:
        actions = [row.action for row in session.exec(select(AuditLog).order_by(AuditLog.id))]
    assert actions[-3:-1] == ["chat.removed", "chat.reactivated"]


def test_blocked_in_private_then_unblocked(world):
    fake = world.fake
    world.send("An", "private", "/dangky {NV}")
    an = world.person("An")
    blocked = fake.user_blocks_bot(an)
    assert world.harness.wait_handled(blocked).what == "bot kicked"
    assert not chat_row(world, an.id).active
    # Writing to the bot again unblocks it: Telegram says so first, then the message.
    replies = world.send("An", "private", "/start")
    assert replies[0].text.startswith("Chào anh/chị An.")
    assert chat_row(world, an.id).active


def test_a_group_upgraded_to_a_supergroup_keeps_everything(world):
    fake = world.fake
    world.send("Bình", "Phường", "/dangky {PHUONG}")
    world.send("Bình", "Phường", "/baocao T1 hoàn thành")
    (question,) = world.send("Bình", "Phường", "/baocao T4")  # a guided report under way
    assert "Tình trạng thế nào?" in question.text
    old = world.groups["Phường"]
    left, arrived = fake.group_migrates_to_supergroup(old, by_user=world.person("Bình"))
    world.harness.wait_handled(left)
    world.harness.wait_handled(arrived)
    new_id = arrived["message"]["chat"]["id"]
    world.groups["Phường"] = fake.world.chats[new_id]

    assert chat_row(world, old.id) is None
    moved = chat_row(world, new_id)
    assert moved is not None and moved.purpose == "unit" and moved.active
    # The guided report goes on in the supergroup (the old group's buttons stayed there).
    (note,) = world.send("Bình", "Phường", "hoàn thành")
    assert note.text.startswith("Ghi chú ngắn về tiến độ")
    world.send("Bình", "Phường", "bỏ qua")
    (done,) = world.send("Bình", "Phường", "xong")
    assert "T4" in done.text and "Tình trạng: hoàn thành" in done.text
    run_dialog(
        world,
        [("Bình", "Phường", "/nhiemvu", Has("T1 (chủ trì)", "hoàn thành (báo cáo 05/03/2024)"))],
    )
    with Session(world.engine) as session:
        reports = session.exec(select(Report).order_by(Report.id)).all()
    assert [r.source_chat_id for r in reports] == [str(old.id), str(new_id)]


def test_a_supergroup_from_the_start_and_a_channel_are_handled(world):
    fake = world.fake
    group = fake.group("Lãnh đạo UBND", supergroup=True)
    world.groups["Lãnh đạo UBND"] = group
    added = fake.bot_added_to_group(group, world.person("Chi"))
    assert world.harness.wait_handled(added).what == "bot added"
    world.invite("LEAD", Role.LEADER)
    run_dialog(
        world,
        [("Chi", "Lãnh đạo UBND", "/dangky {LEAD}", Has("Đã đăng ký nhóm này là nhóm lãnh đạo"))],
    )
    assert chat_row(world, group.id).purpose == "leadership"
    assert str(group.id).startswith("-100")
