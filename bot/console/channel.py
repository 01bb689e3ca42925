"""The console channel (platform "console"): a terminal chat with the core, and transcripts.

A person is known by the name they give (``--as``), which is also their user id and the id
of their private chat. A group is named (``--chat``); its chat id is ``nhóm:NAME``.
Choices are printed as numbered options, answered by typing the number. A photo or a
file is typed as ``[ảnh pano.jpg]`` or ``[tệp baocao.pdf]`` (``[photo ...]``,
``[file ...]``) at the start of a line, before an optional caption. A file the bot sends
is written to a folder (``nhacviec-tep``) and its path printed under the reply.

A transcript has one message per line, ``sender@chat: text`` (chat is ``private`` or a
group's name), ``# comments``, blank lines, and ``@time 2024-03-05 09:00`` lines that set
a simulated clock (local time); indented lines are ignored. ``run_script`` prints each
line followed by its replies, indented: its output is itself a transcript that replays
the same way, which is how the tests compare it with a golden file.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.console.files import save
from bot.core.bot import ChatCore
from bot.core.types import (
    Attachment,
    AttachmentKind,
    ChatKind,
    FileKind,
    IncomingMessage,
    Reply,
)
from messages import console as texts
from messages.choices import numbered
from storage.timezone import VN_TZ

PLATFORM = "console"
PRIVATE = "private"
GROUP_PREFIX = "nhóm:"
_ATTACHMENT = re.compile(r"^\[(ảnh|tệp|photo|file)\s+([^\]]+)\]\s*", re.IGNORECASE)
_LINE = re.compile(r"^(?P<sender>[^@#\s][^@]*)@(?P<chat>[^:]+):(?P<text>.*)$")
_TIME = re.compile(r"^@time\s+(?P<when>.+)$")


class ScriptError(Exception):
    """A transcript line that is not ``sender@chat: text``; the text says which."""


def read_attachments(text: str) -> tuple[tuple[Attachment, ...], str]:
    """``[ảnh pano.jpg] đã lắp`` -> (a photo ``pano.jpg``, ``đã lắp``)."""
    found = []
    while match := _ATTACHMENT.match(text):
        kind = (
            AttachmentKind.PHOTO
            if match.group(1).lower() in ("ảnh", "photo")
            else AttachmentKind.FILE
        )
        name = match.group(2).strip()
        found.append(Attachment(kind, f"console:{name}", name))
        text = text[match.end() :]
    return tuple(found), text


def render(reply: Reply) -> str:
    """A reply as the terminal shows it: its text, its choices numbered, the file it carries
    written the way one is typed (``[ảnh tên.png]``, ``[tệp tên.xlsx]``)."""
    text = numbered(reply.text, [choice.label for choice in reply.choices])
    if reply.file is not None:
        text += "\n" + texts.attached(reply.file.kind == FileKind.PHOTO, reply.file.filename)
    return "\n".join(
        f"  → {line}" if i == 0 else f"    {line}" if line else ""
        for i, line in enumerate(text.split("\n"))
    )


class ConsoleChannel:
    """Turns typed lines into ``IncomingMessage`` values and prints the core's replies."""

    def __init__(self, core: ChatCore, out: TextIO, files_dir: Path | None = None) -> None:
        self.core = core
        self.out = out
        self.files_dir = files_dir  # where the files the bot sends are written (None: not)

    def send(
        self, sender: str, chat: str | None, text: str, message_id: str | None = None
    ) -> list[Reply]:
        if len(sender) > 60 or (chat and len(chat) > 50):
            raise ScriptError(texts.name_too_long(sender if len(sender) > 60 else chat or ""))
        attachments, text = read_attachments(text.strip())
        group = chat is not None and chat != PRIVATE
        message = IncomingMessage(
            platform=PLATFORM,
            chat_id=f"{GROUP_PREFIX}{chat}" if group else sender,
            chat_kind=ChatKind.GROUP if group else ChatKind.PRIVATE,
            sender_id=sender,
            sender_name=sender,
            text=text,
            # Unique across runs: a report is stored once per (chat, message id).
            message_id=message_id or uuid.uuid4().hex,
            attachments=attachments,
            chat_title=chat if group else None,
        )
        replies = self.core.handle(message)
        for reply in replies:
            print(render(reply), file=self.out)
            if reply.file is not None and self.files_dir is not None:
                print(
                    f"    {texts.file_written(str(save(reply.file, self.files_dir)))}",
                    file=self.out,
                )
        return replies

    def interactive(self, sender: str, chat: str | None, lines: Iterable[str]) -> None:
        print(texts.banner(sender, chat), file=self.out)
        for line in lines:
            if line.strip():
                self.send(sender, chat, line)


@dataclass(frozen=True)
class ScriptLine:
    number: int
    raw: str
    sender: str | None = None
    chat: str | None = None
    text: str = ""
    time: datetime | None = None
    comment: bool = False


def parse_script(lines: list[str]) -> list[ScriptLine]:
    """Every line of a transcript, checked before any is sent."""
    parsed = []
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        stripped = line.strip()
        if not stripped or line.startswith((" ", "\t")):
            continue  # blank lines and replies (indented) are not messages
        if stripped.startswith("#"):
            parsed.append(ScriptLine(number, line, comment=True))
            continue
        if match := _TIME.match(stripped):
            try:
                when = datetime.strptime(match.group("when").strip(), "%Y-%m-%d %H:%M").replace(
                    tzinfo=VN_TZ
                )
            except ValueError as error:
                raise ScriptError(texts.bad_time(number, match.group("when"))) from error
            parsed.append(ScriptLine(number, line, time=when))
            continue
        match = _LINE.match(line)
        if not match:
            raise ScriptError(texts.bad_line(number))
        parsed.append(
            ScriptLine(
                number,
                line,
                match.group("sender").strip(),
                match.group("chat").strip(),
                match.group("text").strip(),
            )
        )
    return parsed


def run_script(
    channel: ConsoleChannel,
    lines: list[str],
    set_time: Callable[[datetime], None] | None,
) -> None:
    """Replay a transcript: print each message line, then the replies to it."""
    script = parse_script(lines)
    if any(line.time for line in script) and set_time is None:
        raise ScriptError(texts.clock_not_simulated())
    first = True
    for line in script:
        if line.comment:  # kept, so that the output reads like the transcript it replays
            print(line.raw, file=channel.out)
            first = False
            continue
        if not first:
            print(file=channel.out)
        first = False
        print(line.raw, file=channel.out)
        if line.time is not None:
            assert set_time is not None
            set_time(line.time)
            continue
        assert line.sender is not None
        channel.send(line.sender, line.chat, line.text)
