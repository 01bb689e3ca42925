"""The demo's chat side: people typing to the real chat core, the bot's outbox messages, and
the transcript of every chat printed as it happens.

Everything goes through the console platform ("console"): a group's chat id is
``nhóm:TITLE`` and a person's private chat id is their name, as with ``nhacviec chat``.
``DemoSender`` is the outbox's ``Sender``: what the reminders runner sends is printed and
kept in ``inbox`` for the simulated people to read after the tick.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol, TextIO

from bot.console.channel import GROUP_PREFIX, PLATFORM, read_attachments
from bot.core.bot import ChatCore
from bot.core.types import ChatKind, Choice, FileKind, IncomingMessage, Reply
from messages import demo as texts
from messages.choices import numbered
from scheduler.clock import Clock
from storage.timezone import VN_TZ

INDENT = " " * 8  # under "08:00 [", so a long message reads as one block


class ProgressBar(Protocol):
    def hide(self) -> None: ...

    def show(self) -> None: ...


@dataclass(frozen=True)
class DemoChat:
    """A chat of the demo: a group (``title``) or a person's private chat."""

    key: str  # the chat id on the console platform
    title: str | None = None  # a group's title; None for a private chat
    owner: str | None = None  # a private chat's person

    @staticmethod
    def group(title: str) -> DemoChat:
        return DemoChat(f"{GROUP_PREFIX}{title}", title=title)

    @staticmethod
    def private(person: str) -> DemoChat:
        return DemoChat(person, owner=person)

    @property
    def kind(self) -> ChatKind:
        return ChatKind.GROUP if self.title else ChatKind.PRIVATE

    def label(self) -> str:
        if self.title:
            return texts.group_label(self.title)
        return texts.private_label(self.owner or self.key)


@dataclass
class Counters:
    """What the chats carried, for the progress line and the closing figures."""

    typed: int = 0  # messages the simulated people sent
    replies: int = 0  # the bot's answers to them
    outbox: int = 0  # the bot's messages from the outbox (reminders, summaries)
    photos: int = 0  # of which photos (the summaries' chart)

    @property
    def bot_messages(self) -> int:
        return self.replies + self.outbox


class Transcript:
    """Prints each message with its time, chat and sender; ``out`` None prints nothing."""

    def __init__(self, out: TextIO | None) -> None:
        self.out = out
        self._day: date | None = None
        # A progress bar on the same terminal steps aside while a message is printed.
        self.progress: ProgressBar | None = None

    def message(
        self,
        when: datetime,
        chat: str,
        sender: str,
        text: str,
        choices: Sequence[Choice] = (),
        by_bot: bool = False,
    ) -> None:
        if self.out is None:
            return
        local = when.astimezone(VN_TZ)
        lines: list[str] = []
        if local.date() != self._day:  # each day opens with its date, as Vietnamese write it
            self._day = local.date()
            lines.extend(("", texts.day_header(local)))
        stamp = local.strftime("%H:%M")
        head = texts.bot_line(stamp, chat) if by_bot else texts.person_line(stamp, chat, sender)
        first, *rest = text.split("\n")
        lines.append(f"{head}{first}")
        lines.extend(f"{INDENT}{line}" if line else "" for line in rest)
        lines.extend(f"{INDENT}{n}. {choice.label}" for n, choice in enumerate(choices, 1))
        if self.progress is not None:
            self.progress.hide()
        print("\n".join(lines), file=self.out, flush=self.progress is not None)
        if self.progress is not None:
            self.progress.show()


@dataclass
class DemoSender:
    """The outbox's chat channel in the demo: prints, counts, and keeps what each chat got."""

    clock: Clock
    transcript: Transcript
    counters: Counters
    chats: dict[str, DemoChat] = field(default_factory=dict)  # by chat id, for their labels
    inbox: list[tuple[str, str]] = field(default_factory=list)  # (chat id, text)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def _label(self, chat_id: str) -> str:
        chat = self.chats.get(chat_id)
        return chat.label() if chat else chat_id

    async def send(
        self, platform: str, chat_id: str, text: str, choices: Sequence[tuple[str, str]] = ()
    ) -> str:
        text = numbered(text, [label for label, _value in choices])
        self.transcript.message(self.clock.now(), self._label(chat_id), "", text, by_bot=True)
        self.counters.outbox += 1
        self.inbox.append((chat_id, text))
        return f"demo-out-{next(self._ids)}"

    async def send_photo(
        self, platform: str, chat_id: str, content: bytes, filename: str, caption: str | None
    ) -> str:
        """A photo (a summary's chart) is shown by its name and caption."""
        text = texts.photo(filename) + (f"\n{caption}" if caption else "")
        self.transcript.message(self.clock.now(), self._label(chat_id), "", text, by_bot=True)
        self.counters.outbox += 1
        self.counters.photos += 1
        return f"demo-out-{next(self._ids)}"

    def read_inbox(self) -> list[tuple[str, str]]:
        """What the chats received since the last call, in order."""
        received, self.inbox = self.inbox, []
        return received


class Channel:
    """People type here; each message goes to the chat core and its replies are printed."""

    def __init__(self, core: ChatCore, clock: Clock, transcript: Transcript, counters: Counters):
        self.core = core
        self.clock = clock
        self.transcript = transcript
        self.counters = counters
        self._ids = itertools.count(1)

    def type(self, person: str, chat: DemoChat, text: str, *, shown: bool = True) -> list[Reply]:
        """``person`` sends ``text`` in ``chat`` (``[ảnh x.jpg]`` first attaches a photo)."""
        attachments, body = read_attachments(text)
        message = IncomingMessage(
            platform=PLATFORM,
            chat_id=chat.key,
            chat_kind=chat.kind,
            sender_id=person,
            sender_name=person,
            text=body,
            # Deterministic ids: the same run twice stores the same reports.
            message_id=f"demo-in-{next(self._ids)}",
            attachments=attachments,
            chat_title=chat.title,
        )
        now = self.clock.now()
        label = chat.label()
        if shown:
            self.transcript.message(now, label, person, text)
        replies = self.core.handle(message)
        self.counters.typed += 1
        self.counters.replies += len(replies)
        if shown:
            for reply in replies:
                self.transcript.message(
                    now, label, "", reply_text(reply), reply.choices, by_bot=True
                )
        return replies


def reply_text(reply: Reply) -> str:
    """A reply as the transcript shows it; a file by its name, before its caption."""
    if reply.file is None:
        return reply.text
    attached = (
        texts.photo(reply.file.filename)
        if reply.file.kind == FileKind.PHOTO
        else texts.document(reply.file.filename)
    )
    return f"{attached}\n{reply.text}" if reply.text else attached


def last_choices(replies: list[Reply]) -> tuple[Choice, ...]:
    """The options offered by the last reply that offers any."""
    for reply in reversed(replies):
        if reply.choices:
            return reply.choices
    return ()
