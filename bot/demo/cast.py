"""The people of the demo and how they behave: who sits in which chat, how they register,
and how each officer answers the reminders.

The operator makes every invite code with ``/mamoi`` and each person types it with
``/dangky``, exactly as in real life. An officer reads each reminder the bot sends to
their chat, finds the ``/baocao CODE`` lines in it, and for each deadline follows an
*intent* drawn once from the seed: report "hoàn thành" before the deadline, after it
(having maybe said "vướng mắc" first), or never. Replies come some minutes or hours after
the reminder, typed as one line (``/baocao T2 hoàn thành, ...``, ``/baocao T2 50% ...``)
or through the guided flow (``/baocao``, then the numbers of the options they want).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.commands import find_command
from bot.core.types import Reply
from bot.demo.chat import Channel, DemoChat, last_choices
from messages import demo as texts
from messages.i18n import language
from messages.reports import status_label
from storage.models import ReportStatus, Role

OPERATOR = "Quản trị"
# "Báo cáo tiến độ: /baocao T2" in a reminder ("/report T2" in English).
REPORT_LINE = re.compile(r"/(?:baocao|report)\s+([A-Za-z0-9][A-Za-z0-9_.-]*)")

# Words people type that the bot reads, in each language: the console's photo mark
# ("[ảnh pano.jpg]") and the answer that skips a question of the guided report.
PHOTO_WORD = {"vi": "ảnh", "en": "photo"}
SKIP_WORD = {"vi": "bỏ qua", "en": "skip"}

# Before the deadline an officer gets reminders 7, 3 and 1 working days ahead and on the
# day (four); the n-th reminder after that is a late one.
ON_TIME, LATE, NEVER = "on_time", "late", "never"


class DemoError(Exception):
    """The demo could not set its world up; the text says why."""


@dataclass(frozen=True)
class Seat:
    """A person of the demo: their role, their unit (plan code) and where they chat."""

    person: str
    role: Role
    unit: str | None = None
    group: str | None = None  # the group they use; None: their private chat
    guided: bool = False  # reports through the step-by-step flow
    photos: bool = False  # sends a photo with a finished report

    @property
    def chat(self) -> DemoChat:
        return DemoChat.group(self.group) if self.group else DemoChat.private(self.person)


CAST = (
    Seat("Nguyễn Văn An", Role.MEMBER, "NV", group="Phòng Nội vụ", photos=True),
    Seat("Trần Thị Bình", Role.MEMBER, "VHTT", guided=True),
    Seat("Lê Thị Cúc", Role.MEMBER, "VP"),
    Seat("Phạm Văn Dũng", Role.MEMBER, "UBND-PHUONG", group="UBND các phường", guided=True),
    Seat("Võ Thị Hạnh", Role.MEMBER, "TO-TRUYENTHONG", photos=True),
    Seat("Đặng Văn Khoa", Role.MEMBER, "TTVH", group="Trung tâm VH-TT-TT"),
    Seat("Bùi Văn Long", Role.MEMBER, "VNPT", guided=True),
    Seat("Đỗ Thị Mai", Role.COORDINATOR),  # Phòng Nội vụ's đầu mối theo dõi
    Seat("Hồ Văn Nam", Role.LEADER, group="Lãnh đạo UBND thị xã"),
)


def slash(command: str, lang: str) -> str:
    """A command as people of that language type it: ``/baocao``, or ``/report`` in English."""
    found = find_command(command)
    if lang == "vi" or found is None or not found.aliases:
        return f"/{command}"
    return f"/{found.aliases[0]}"


def register(channel: Channel, plan_code: str, lang: str, step: Callable[[], None]) -> None:
    """Everyone joins through the core with a code the operator made; ``step`` moves the
    clock a little between two people."""
    desk = DemoChat.private(OPERATOR)
    invite, english = slash("mamoi", lang), lang == "en"
    if lang != "vi":
        channel.type(OPERATOR, desk, f"{slash('ngonngu', lang)} {lang}")
    for seat in CAST:
        step()
        if seat.role == Role.LEADER:
            request = f"{invite} {'leadership' if english else 'lanhdao'}"
        elif seat.role == Role.COORDINATOR:
            request = f"{invite} {'coordinator' if english else 'daumoi'} {plan_code}"
        else:
            request = f"{invite} {seat.unit} {plan_code}"
        answer = channel.type(OPERATOR, desk, request)
        code = answer[-1].text.rsplit("\n", 1)[-1].strip() if answer else ""
        channel.type(seat.person, seat.chat, f"{slash('dangky', lang)} {code}")
        if not channel.core.store.memberships("console", seat.person):
            raise DemoError(texts.registration_failed(seat.person, request))
        if lang != "vi":
            channel.type(seat.person, seat.chat, f"{slash('ngonngu', lang)} {lang}")


@dataclass
class Intent:
    """What an officer will do about one deadline, counted in reminders received."""

    kind: str
    done_at: int | None = None
    progress_at: int | None = None
    blocked_at: int | None = None
    percent: int = 50
    received: int = 0
    finished: bool = False

    def next_step(self) -> str | None:
        """What the reminder just received calls for: "done", "blocked", "progress"."""
        if self.received == self.done_at:
            return "done"
        if self.received == self.blocked_at:
            return "blocked"
        if self.received == self.progress_at:
            return "progress"
        return None


def draw_intent(rng: random.Random) -> Intent:
    """How an officer will answer the reminders of one deadline: on time, late or never."""
    roll = rng.random()
    percent = rng.randint(2, 8) * 10
    if roll < 0.5:  # done at the 7-, 3- or 1-day reminder, maybe after a progress report
        done_at = rng.randint(1, 3)
        progress_at = 1 if done_at > 1 and rng.random() < 0.6 else None
        return Intent(ON_TIME, done_at=done_at, progress_at=progress_at, percent=percent)
    if roll < 0.8:  # done after 1 to 4 late reminders, maybe saying first what blocks it
        blocked_at = 4 if rng.random() < 0.4 else None
        progress_at = 2 if rng.random() < 0.5 else None
        done_at = rng.randint(5, 8)
        return Intent(LATE, done_at, progress_at, blocked_at, percent)
    return Intent(NEVER, progress_at=rng.choice((None, 1, 3)), percent=percent)


Action = Callable[[Channel], None]


@dataclass
class Officer:
    """An officer of a unit, reading the reminders of their chat."""

    seat: Seat
    seed: int
    lang: str
    intents: dict[str, Intent] = field(default_factory=dict)
    rounds: dict[str, int] = field(default_factory=dict)

    def rng(self, *parts: object) -> random.Random:
        """A generator of its own for each decision, so one never shifts another."""
        return random.Random("|".join(str(p) for p in (self.seed, self.seat.person, *parts)))

    def _intent(self, code: str) -> Intent:
        intent = self.intents.get(code)
        if intent is None or intent.finished:  # a new period of a recurring task
            self.rounds[code] = self.rounds.get(code, -1) + 1
            intent = draw_intent(self.rng(code, self.rounds[code]))
            self.intents[code] = intent
        return intent

    def read(self, text: str, now: datetime) -> list[tuple[datetime, Action]]:
        """The answers a reminder calls for, each with the time it will be typed."""
        planned = []
        for code in dict.fromkeys(REPORT_LINE.findall(text)):
            intent = self._intent(code)
            intent.received += 1
            step = intent.next_step()
            if step is None:
                continue
            rng = self.rng(code, self.rounds[code], intent.received)
            when = now + timedelta(minutes=rng.randint(10, 360))
            with language(self.lang):
                note = rng.choice(texts.notes(step))
            planned.append((when, self._answer(code, step, intent, note)))
        return planned

    def _answer(self, code: str, step: str, intent: Intent, note: str) -> Action:
        def act(channel: Channel) -> None:
            if step == "done":
                intent.finished = True
                self.report(channel, code, ReportStatus.DONE, 100, note)
            elif step == "blocked":
                self.report(channel, code, ReportStatus.BLOCKED, intent.percent, note)
            else:
                self.report(channel, code, ReportStatus.IN_PROGRESS, intent.percent, note)

        return act

    def report(
        self, channel: Channel, code: str, status: ReportStatus, percent: int, note: str
    ) -> None:
        """Type the report, as one line or through the guided flow."""
        photo = None
        if self.seat.photos and status == ReportStatus.DONE:
            photo = f"{code.lower()}-{self.seat.unit or ''}.jpg".lower()
        with language(self.lang):
            if self.seat.guided:
                self._guided(channel, code, status, percent, note, photo)
                return
            report = slash("baocao", self.lang)
            if status == ReportStatus.BLOCKED:
                text = f"{report} {code} {status_label(status)}: {note}"
            elif status == ReportStatus.DONE:
                text = f"{report} {code} {status_label(status)}, {note}"
            else:
                text = f"{report} {code} {percent}% {note}"
            if photo:
                text = f"[{PHOTO_WORD[self.lang]} {photo}] {text}"
        channel.type(self.seat.person, self.seat.chat, text)

    def _guided(
        self,
        channel: Channel,
        code: str,
        status: ReportStatus,
        percent: int,
        note: str,
        photo: str | None,
    ) -> None:
        person, chat = self.seat.person, self.seat.chat

        def pick(replies: list[Reply], wanted: Callable[[str], bool]) -> list[Reply] | None:
            for number, choice in enumerate(last_choices(replies), 1):
                if wanted(choice.label):
                    return channel.type(person, chat, str(number))
            channel.type(person, chat, slash("huy", self.lang))  # unexpected: they give up
            return None

        start = channel.type(person, chat, slash("baocao", self.lang))
        replies = pick(start, lambda label: label.startswith(code + " "))
        if replies is None:
            return
        replies = pick(replies, lambda label: label == status_label(status))
        if replies is None:
            return
        if status in (ReportStatus.IN_PROGRESS, ReportStatus.BLOCKED):
            channel.type(person, chat, str(percent))
        channel.type(person, chat, note)
        if photo:
            channel.type(person, chat, f"[{PHOTO_WORD[self.lang]} {photo}]")
            channel.type(person, chat, "1")  # the "Xong" option
        else:
            channel.type(person, chat, SKIP_WORD[self.lang])
