"""A small world for dialog tests: a real database with a real plan, the chat core on a
simulated clock, invite codes, and conversations written as tables.

A dialog is a list of rows ``(sender, chat, text, expected)``: ``chat`` is ``"private"``
or a group's name; ``text`` may name invite codes as ``{NV}``, ``{LEAD}``...; ``expected``
is the exact text of the reply (several replies joined by a line ``---``), or ``Has(...)``
(each piece must appear), or ``NOTHING``. ``At("2024-04-10 09:00")`` rows move the clock
(local time).

A dialog module says who is there before its first row with a ``Cast``: the plans, the
invite codes issued (from ``CODES``) and the people registered (from ``REGISTERED``). The
``world`` fixture (``tests/worlds.py``) plays it on the console and on every platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from bot.core.bot import ChatCore
from bot.core.registration import issue_invite
from bot.core.settings import CoreSettings
from bot.core.types import Attachment, AttachmentKind, ChatKind, IncomingMessage, Reply
from bot.exports import SqlFileBuilder
from bot.stores import chat_store
from scheduler.clock import SimulatedClock
from scheduler.planfile import read_plan_file
from scheduler.planload import load_plan
from storage.engine import session_scope
from storage.models import Chat, FailedCode, InviteCode, Member, Report, Role
from storage.store import SqlStore
from storage.timezone import VN_TZ

PLANS = Path(__file__).resolve().parent.parent / "plans"
START = datetime(2024, 3, 5, 9, 0, tzinfo=VN_TZ)  # a Tuesday, T3's month (tập huấn)
NOTHING = object()


@dataclass(frozen=True)
class Has:
    """Every piece must appear in the replies (joined)."""

    pieces: tuple[str, ...]

    def __init__(self, *pieces: str) -> None:
        object.__setattr__(self, "pieces", pieces)


@dataclass(frozen=True)
class At:
    """Set the clock to this local time (``2024-04-10 09:00``)."""

    when: str


@dataclass(frozen=True)
class Invite:
    """An invite code issued before the first row; the rows name it ``{KEY}``."""

    role: Role
    unit: str | None = None
    plan: str | None = None


# Every code a cast may issue, by the name its rows give it.
CODES = {
    "NV": Invite(Role.MEMBER, "NV", "cua-lo-2024"),  # Phòng Nội vụ thị xã
    "NV2": Invite(Role.MEMBER, "NV"),  # a second code of the same unit
    "VHTT": Invite(Role.MEMBER, "VHTT", "cua-lo-2024"),  # Phòng Văn hóa và Thông tin
    "PHUONG": Invite(Role.MEMBER, "UBND-PHUONG", "cua-lo-2024"),  # the wards' committee
    "LEAD": Invite(Role.LEADER),
    "LEAD2": Invite(Role.LEADER),
    "COORD": Invite(Role.COORDINATOR, plan="cua-lo-2024"),  # coordinator of Cửa Lò's plan
}

# Who registers before the first row: in which chat, with which code.
REGISTERED = {
    "An": ("private", "NV"),
    "Bình": ("Phường", "PHUONG"),
    "Chi": ("Lãnh đạo", "LEAD"),
    "Giang": ("private", "COORD"),
}


@dataclass(frozen=True)
class Cast:
    """Who is in a dialog's world before its first row."""

    plans: tuple[str, ...] = ("cua-lo-2024",)
    codes: tuple[str, ...] = ()  # keys of ``CODES``, issued in this order
    registered: tuple[str, ...] = ()  # names of ``REGISTERED``, registered in this order
    operators: tuple[str, ...] = ("Quản trị",)


def photo(name: str) -> Attachment:
    return Attachment(AttachmentKind.PHOTO, f"photo-{name}", name)


def load_plans(engine: Engine, plans: tuple[str, ...], at: datetime) -> None:
    """Load the seed plans ``plans`` (codes of ``plans/*.toml``) as loaded at ``at``."""
    with session_scope(engine) as session:
        for code in plans:
            load_plan(session, read_plan_file(PLANS / f"{code}.toml"), at)


@dataclass
class World:
    engine: Engine
    clock: SimulatedClock
    store: SqlStore
    core: ChatCore
    codes: dict[str, str] = field(default_factory=dict)
    _message: int = 0
    platform: ClassVar[str] = "console"

    def enact(self, cast: Cast) -> World:
        """Issue the cast's codes and register its people, as the rows would."""
        for key in cast.codes:
            self.invite(key, CODES[key].role, CODES[key].unit, CODES[key].plan)
        for name in cast.registered:
            chat, key = REGISTERED[name]
            self.send(name, chat, f"/dangky {{{key}}}")
        return self

    def user_id(self, name: str) -> str:
        """The platform's id of the person called ``name`` (the console's: the name)."""
        return name

    def chat_id(self, sender: str, chat: str) -> str:
        """The platform's id of a table's chat: ``sender``'s private chat, or the group."""
        return sender if chat == "private" else f"group-{chat}"

    def close(self) -> None:
        """Stop what runs the world's platform (on the console, nothing runs)."""

    def invite(self, key: str, role: Role, unit: str | None = None, plan: str | None = None):
        issued = issue_invite(
            self.store, self.clock.now(), self.core.settings.invite_ttl, role, unit, plan
        )
        self.codes[key] = issued.invite.code
        return issued.invite.code

    def send(
        self,
        sender: str,
        chat: str,
        text: str,
        *,
        attachments: tuple[Attachment, ...] = (),
        choice: str | None = None,
        message_id: str | None = None,
    ) -> list[Reply]:
        self._message += 1
        group = chat != "private"
        message = IncomingMessage(
            platform="console",
            chat_id=f"group-{chat}" if group else sender,
            chat_kind=ChatKind.GROUP if group else ChatKind.PRIVATE,
            sender_id=sender,
            sender_name=sender,
            text=text.format(**self.codes) if "{" in text else text,
            message_id=message_id or str(self._message),
            attachments=attachments,
            choice=choice,
            chat_title=chat if group else None,
        )
        return self.core.handle(message)

    def count(self, model) -> int:
        with Session(self.engine) as session:
            return session.exec(select(func.count()).select_from(model)).one()

    def stored(self) -> dict[str, int]:
        """What a refusal must not change: members, chats, reports, used codes."""
        with Session(self.engine) as session:
            used = session.exec(
                select(func.count()).select_from(InviteCode).where(InviteCode.used_at.is_not(None))  # type: ignore[union-attr]
            ).one()
        return {
            "members": self.count(Member),
            "chats": self.count(Chat),
            "reports": self.count(Report),
            "used codes": used,
            "failed codes": self.count(FailedCode),
        }


def make_console_world(
    engine: Engine, plans: tuple[str, ...] = ("cua-lo-2024",), operators: tuple[str, ...] = ()
) -> World:
    clock = SimulatedClock(START)
    load_plans(engine, plans, clock.now())
    store = chat_store(engine)
    settings = CoreSettings(operators={"console": frozenset(operators)})
    return World(engine, clock, store, ChatCore(store, clock, settings, SqlFileBuilder(engine)))


def shown(reply: Reply) -> str:
    """A reply as Zalo and the console show it: the text, then the choices numbered; a
    file it carries as ``[photo NAME]`` or ``[document NAME]`` on a last line."""
    lines = [reply.text, *(f"{n}. {c.label}" for n, c in enumerate(reply.choices, 1))]
    if reply.file is not None:
        lines.append(f"[{reply.file.kind} {reply.file.filename}]")
    return "\n".join(lines)


def joined(replies: list[Reply]) -> str:
    return "\n---\n".join(shown(reply) for reply in replies)


def run_dialog(world: World, rows: list) -> None:
    """Play the rows; fail at the first reply that differs, saying which row."""
    for number, row in enumerate(rows, 1):
        if isinstance(row, At):
            local = datetime.strptime(row.when, "%Y-%m-%d %H:%M").replace(tzinfo=VN_TZ)
            world.clock.set(local.astimezone(UTC))
            continue
        sender, chat, text, expected = row
        got = joined(world.send(sender, chat, text))
        where = f"row {number}: {sender}@{chat}: {text}"
        if expected is NOTHING:
            assert got == "", f"{where}\nexpected no reply, got:\n{got}"
        elif isinstance(expected, Has):
            for piece in expected.pieces:
                assert piece in got, f"{where}\nmissing {piece!r} in:\n{got}"
        else:
            assert got == expected, f"{where}\nexpected:\n{expected}\ngot:\n{got}"


def advance(world: World, minutes: int) -> None:
    world.clock.advance(timedelta(minutes=minutes))
