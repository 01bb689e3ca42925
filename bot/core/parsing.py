"""Reading what people type: normalizing text and the arguments of /baocao and /hanchot.

A parse error is a ``BadInput`` whose text (already in the chat's language) says what to
type instead; the handler shows it and stores nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.core.amounts import percent_prefix
from messages import reports as texts
from messages import tasks as task_texts
from messages.escape import inline, is_unsafe
from messages.vocabulary import fold, status_prefix, without_particles
from storage.models import ReportStatus

TASK_CODE = re.compile(r"^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$")
# Between the parts of a one-line report people put commas, colons, dashes; a dash just
# before a digit is a minus sign and stays, so that "-5%" is refused rather than read as 5%.
_LEADING = re.compile(r"^(?:[\s,;:–—]|-(?!\d))+")


class BadInput(Exception):
    """Input the bot cannot take; ``str(error)`` is the answer to show."""


def normalize(text: str) -> str:
    """NFC, line ends as ``\\n``, trimmed: the form every handler sees."""
    text = unicodedata.normalize("NFC", text or "")
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def clean_name(text: str | None) -> str | None:
    """A person's name or a group's title as it may be stored: one line, NFC, without
    control or bidi characters or lone surrogates. They come from the platform, not typed
    to the bot, so they are cleaned rather than refused; PostgreSQL refuses a NUL in text."""
    if text is None:
        return None
    kept = "".join(char for char in text if unicodedata.category(char) != "Cs")
    return inline(kept)


def has_unsafe_characters(text: str) -> bool:
    """Whether the text holds a control character or a bidi control, which a report may not."""
    return any(is_unsafe(char) for char in text)


def parse_percent(text: str) -> int:
    """``50``, ``50%``, ``50 phần trăm``, ``năm mươi``, ``một nửa`` -> 50; anything else,
    or outside 0-100, is refused."""
    amount = percent_prefix(text.strip(), bare=True)
    if amount is None or without_particles(amount.rest).strip(" ,;:.!?"):
        raise BadInput(texts.percent_out_of_range())
    return _whole_percent(amount.number)


def _whole_percent(number: str) -> int:
    if not re.fullmatch(r"\d+", number):
        raise BadInput(texts.percent_out_of_range())
    value = int(number)
    if not 0 <= value <= 100:
        raise BadInput(texts.percent_out_of_range())
    return value


def parse_days(args: str, default: int = 14) -> int:
    """The N of ``/hanchot N``: a whole number of days from 1 to 366."""
    if not args:
        return default
    if not re.fullmatch(r"\d{1,4}", args.strip()) or not 1 <= int(args) <= 366:
        raise BadInput(task_texts.bad_days())
    return int(args)


@dataclass(frozen=True)
class ReportArgs:
    """``/baocao T3 50% đã lắp 2 pano``: the task code, then a status and/or a percent in
    any order, then the note. Only a code: the guided flow asks for the rest."""

    code: str
    status: ReportStatus | None = None
    percent: int | None = None
    note: str | None = None


def _trim(text: str) -> str:
    return _LEADING.sub("", text).rstrip()


def check_note(note: str | None, limit: int) -> str | None:
    """The note, refused when longer than ``limit``; None for an empty note."""
    if note is not None and len(note) > limit:
        raise BadInput(texts.note_too_long(len(note), limit))
    return note or None


def parse_report_args(args: str, note_limit: int) -> ReportArgs:
    """Read and check the arguments of a one-line report."""
    first, *others = re.split(r"\s+", args.strip(), maxsplit=1)
    rest = others[0] if others else ""
    if not TASK_CODE.match(first.rstrip(",;:.–—-")):
        raise BadInput(texts.missing_code())
    code = first.rstrip(",;:.–—-").upper()
    status, percent, note = read_progress(rest)
    note = check_note(note, note_limit)
    if status is None and percent is None:
        if note:
            raise BadInput(texts.missing_status(code))
        return ReportArgs(code)
    return ReportArgs(code, *settle(code, status, percent, note))


def read_progress(text: str) -> tuple[ReportStatus | None, int | None, str | None]:
    """A status and/or a percent in any order, then the note: ``đang thực hiện 40``,
    ``50 phần trăm đã lắp pano``, ``xong rồi ạ``. A percent that is not a whole number
    from 0 to 100 is refused; particles after a status or a percent are not the note."""
    status: ReportStatus | None = None
    percent: int | None = None
    rest = _trim(text)
    while rest:
        found = status_prefix(rest)
        # "đang ..." after a status is the note ("đang chờ kinh phí"), not the status again.
        if found and status is not None and fold(rest).startswith("dang "):
            found = None
        if found and status in (None, found[0]):
            status, rest = found[0], _trim(without_particles(found[1]))
            continue
        takes_percent = status not in (ReportStatus.DONE, ReportStatus.NOT_STARTED)
        amount = percent_prefix(rest, bare=takes_percent) if percent is None else None
        if amount:
            percent = _whole_percent(amount.number)
            rest = _trim(without_particles(amount.rest))
            continue
        break
    return status, percent, rest or None


def settle(
    code: str, status: ReportStatus | None, percent: int | None, note: str | None
) -> tuple[ReportStatus, int | None, str | None]:
    """Make status and percent agree ("hoàn thành" is 100%), or say why they cannot."""
    status, percent = agree(code, status, percent)
    if status == ReportStatus.BLOCKED and not note:
        raise BadInput(texts.blocked_needs_note(code))
    return status, percent, note


def agree(
    code: str, status: ReportStatus | None, percent: int | None
) -> tuple[ReportStatus, int | None]:
    """The status a percent alone means, and the percent a status fixes; or a refusal."""
    if status is None:
        assert percent is not None
        status = (
            ReportStatus.DONE
            if percent == 100
            else ReportStatus.NOT_STARTED
            if percent == 0
            else ReportStatus.IN_PROGRESS
        )
    if status == ReportStatus.DONE:
        if percent not in (None, 100):
            raise BadInput(texts.done_is_full(code))
        percent = 100
    elif status == ReportStatus.NOT_STARTED:
        if percent not in (None, 0):
            raise BadInput(texts.not_started_is_zero(code))
        percent = 0
    elif percent == 100:
        raise BadInput(texts.full_is_done(code))
    return status, percent
