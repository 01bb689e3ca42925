"""A person's name or a group's title comes from the platform and may carry a NUL or
other control character (PostgreSQL refuses a NUL in text, which broke /dangky there):
the core removes them before anything is stored."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.core.types import ChatKind, IncomingMessage
from storage.models import Chat, Member, Role
from tests.chat_world import make_console_world


def message(chat_id: str, kind: ChatKind, name: str, text: str, number: int, title=None):
    return IncomingMessage(
        platform="telegram",
        chat_id=chat_id,
        chat_kind=kind,
        sender_id="4242",
        sender_name=name,
        text=text,
        message_id=str(number),
        chat_title=title,
    )


def test_control_characters_leave_names_and_titles_before_they_are_stored(engine):
    world = make_console_world(engine)
    code = world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    group_code = world.invite("NV2", Role.MEMBER, "NV", "cua-lo-2024")
    name = "Nguyễn\x00 Văn\u202e An\x07\n"
    (reply,) = world.core.handle(message("4242", ChatKind.PRIVATE, name, f"/dangky {code}", 1))
    assert reply.text.startswith("Đã đăng ký: anh/chị Nguyễn Văn An là cán bộ của")
    title = "Phòng\x00 Nội vụ\x1b[31m\ud800"
    group = message("-100", ChatKind.GROUP, name, f"/dangky {group_code}", 2, title)
    (reply,) = world.core.handle(group)
    assert reply.text.startswith("Đã đăng ký nhóm này là nhóm của Phòng Nội vụ thị xã")
    with Session(engine) as session:
        names = {member.display_name for member in session.exec(select(Member))}
        titles = [chat.title for chat in session.exec(select(Chat).where(Chat.chat_id == "-100"))]
    assert names == {"Nguyễn Văn An"}
    assert titles == ["Phòng Nội vụ [31m"]
