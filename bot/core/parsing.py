"""Reading what people type: normalizing text and the arguments of /baocao and /hanchot.

A parse error is a ``BadInput`` whose text (already in the chat's language) says what to
type instead; the handler shows it and stores nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from messages import reports as texts
from messages import tasks as task_texts
from messages.escape import inline, is_unsafe
from messages.vocabulary import status_prefix
from storage.models import ReportStatus

TASK_CODE = re.compile(r"^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$")
_PERCENT = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*%")
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
    return any(is_unsafe(char) for char in text)


def parse_percent(text: str) -> int:
    """``50``, ``50%`` or ``50 %`` -> 50; anything else, or outside 0-100, is refused."""
    match = re.fullmatch(r"([+-]?\d+(?:[.,]\d+)?)\s*%?", text.strip())
    if not match:
        raise BadInput(texts.percent_out_of_range())
    return _whole_percent(match.group(1))


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
    status: ReportStatus | None = None
    percent: int | None = None
    rest = _trim(rest)
    while rest:
        found = status_prefix(rest) if status is None else None
        if found:
            status, rest = found[0], _trim(found[1])
            continue
        match = _PERCENT.match(rest) if percent is None else None
        if match:
            percent = _whole_percent(match.group(1))
            rest = _trim(rest[match.end() :])
            continue
        break
    note = check_note(rest or None, note_limit)
    if status is None and percent is None:
        if note:
            raise BadInput(texts.missing_status(code))
        return ReportArgs(code)
    return ReportArgs(code, *settle(code, status, percent, note))


def settle(
    code: str, status: ReportStatus | None, percent: int | None, note: str | None
) -> tuple[ReportStatus, int | None, str | None]:
    """Make status and percent agree ("hoàn thành" is 100%), or say why they cannot."""
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
    if status == ReportStatus.BLOCKED and not note:
        raise BadInput(texts.blocked_needs_note(code))
    return status, percent, note
