"""One message being handled: who sent it, where, with which roles, and what to answer.

A ``Turn`` is built once per incoming message by ``ChatCore`` and handed to the
handlers; they read the sender's roles from it and add answers with ``say``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.commands import Place
from bot.core.files import FileBuilder
from bot.core.settings import CoreSettings
from bot.core.store import Store
from bot.core.types import Choice, IncomingMessage, OutgoingFile, WebApp
from storage.models import Chat, ChatPurpose, Plan, Role, Unit
from storage.records import Membership

if TYPE_CHECKING:  # bot.core.evidence reads the Turn
    from bot.core.evidence import EvidenceFiles


@dataclass(frozen=True)
class Answer:
    text: str
    choices: tuple[Choice, ...] = ()
    file: OutgoingFile | None = None  # sent with ``text`` as its caption
    web_app: WebApp | None = None  # a button opening a page inside the chat (Telegram)
    to: str | None = None  # another chat of the same platform (None: the sender's)


@dataclass
class Turn:
    message: IncomingMessage
    text: str  # NFC, trimmed, line ends as \n
    now: datetime
    store: Store
    settings: CoreSettings
    chat: Chat | None
    memberships: list[Membership]
    is_operator: bool
    files: FileBuilder | None = None  # None: this bot builds no files (see ``bot.core.files``)
    evidence: EvidenceFiles | None = None  # None: evidence kept as platform references only
    answers: list[Answer] = field(default_factory=list)
    action: str = "message"  # what the audit log records
    detail: str | None = None
    dropped_flow: bool = False  # a command arrived while a guided flow was waiting
    seen: list[str] = field(default_factory=list)  # messages the waiting flow has handled

    # -- answering -------------------------------------------------------------------

    def say(self, text: str, choices: tuple[Choice, ...] = ()) -> None:
        self.answers.append(Answer(text, choices))

    def open_page(self, text: str, web_app: WebApp) -> None:
        self.answers.append(Answer(text, web_app=web_app))

    def tell(self, chat_id: str, text: str, choices: tuple[Choice, ...] = ()) -> None:
        """Send ``text`` to another chat of this platform (a coordinator's, an officer's)."""
        self.answers.append(Answer(text, choices, to=chat_id))

    def send_file(self, file: OutgoingFile, caption: str) -> None:
        self.answers.append(Answer(caption, file=file))

    def record(self, action: str, detail: str | None = None) -> None:
        self.action, self.detail = action, detail

    # -- where -----------------------------------------------------------------------

    @property
    def place(self) -> Place:
        if self.message.chat_kind == "private":
            return Place.PRIVATE
        if self.chat is None or not self.chat.active:
            return Place.NEW_GROUP
        if self.chat.purpose == ChatPurpose.LEADERSHIP:
            return Place.LEADERSHIP_GROUP
        if self.chat.purpose == ChatPurpose.UNIT and self.chat.unit_id is not None:
            return Place.UNIT_GROUP
        return Place.NEW_GROUP

    @property
    def key(self) -> tuple[str, str, str]:
        """Whose guided flow this message belongs to."""
        return (self.message.platform, self.message.chat_id, self.message.sender_id)

    # -- who -------------------------------------------------------------------------

    @property
    def registered(self) -> bool:
        return bool(self.memberships) or self.is_operator

    @property
    def unit_memberships(self) -> list[Membership]:
        return [m for m in self.memberships if m.member.role == Role.MEMBER and m.unit]

    def member_of(self, unit_id: int) -> Membership | None:
        for membership in self.unit_memberships:
            if membership.unit and membership.unit.id == unit_id:
                return membership
        return None

    @property
    def is_leader(self) -> bool:
        return any(m.member.role in (Role.LEADER, Role.ADMIN) for m in self.memberships)

    @property
    def coordinator_plans(self) -> list[int | None]:
        """Plans followed as coordinator (None: every plan)."""
        return [m.member.plan_id for m in self.memberships if m.member.role == Role.COORDINATOR]

    @property
    def is_overseer(self) -> bool:
        return self.is_operator or self.is_leader or bool(self.coordinator_plans)

    def overseen_plans(self, plans: list[Plan]) -> list[Plan]:
        """The plans whose summaries this sender (here) may see."""
        if self.place == Place.LEADERSHIP_GROUP or self.is_operator or self.is_leader:
            return plans
        scopes = self.coordinator_plans
        if None in scopes:
            return plans
        return [plan for plan in plans if plan.id in scopes]

    def group_unit(self) -> Unit | None:
        if self.place != Place.UNIT_GROUP or self.chat is None or self.chat.unit_id is None:
            return None
        return self.store.unit(self.chat.unit_id)
