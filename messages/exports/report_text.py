"""The words of the periodic report's appendix: what each unit did on each task.

Plain functions of ``storage.progress`` entries; ``report_appendix`` puts them in the
table's cells: a task's title and time, a unit's standing (with its percent and the day of
its report), its note and the files it sent.
"""

from __future__ import annotations

from messages.dates import number, short_date
from messages.exports.labels import Standing, standing, standing_label, status_label
from messages.i18n import _, ngettext
from storage.progress import Entry


def _sentence(note: str) -> str:
    """A unit's note as typed, ending like a sentence."""
    note = " ".join(note.split())
    return note if note.endswith((".", "!", "?", "…")) else note + "."


def clause(note: str) -> str:
    """A note as a clause after "unit:": its first letter lowered unless it opens an
    abbreviation ("CCHC", "UBND"), its closing stop dropped."""
    note = " ".join(note.split()).rstrip(".;, ")
    if note[:2].isupper():
        return note
    return lower_first(note)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _state(entry: Entry) -> str:
    value = standing(entry)
    if value == Standing.OVERDUE:
        assert entry.due_at is not None  # only a dated deadline is overdue
        return _("quá hạn (hạn chót {date}), {status}").format(
            date=short_date(entry.due_at), status=lower_first(status_label(entry.status))
        )
    if entry.status is None:
        return lower_first(status_label(None))
    state = lower_first(standing_label(value))
    if entry.percent is not None and not entry.done:
        state = _("{state}, đạt {percent}%").format(state=state, percent=entry.percent)
    return state


def result(entry: Entry) -> str:
    """The appendix's "Kết quả" cell: the unit's standing and the day of its report."""
    parts = [_state(entry)]
    if entry.reported_at is not None:
        parts.append(_("báo cáo ngày {date}").format(date=short_date(entry.reported_at)))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def remarks(entry: Entry) -> str:
    """The appendix's "Ghi chú" cell: the unit's note and the files it sent."""
    parts = []
    if entry.note and entry.note.strip():
        note = _sentence(entry.note)
        parts.append(note[:1].upper() + note[1:])
    if entry.evidence_count:
        parts.append(
            ngettext("{n} tệp minh chứng.", "{n} tệp minh chứng.", entry.evidence_count).format(
                n=number(entry.evidence_count)
            )
        )
    return " ".join(parts)
