"""The importer's pipeline: read the document, find its tasks, tidy the result.

Tidying: a duty of "Tổ chức thực hiện" that repeats a table row of the same lead unit
is folded into that row (and the review says so); a report that names no period
("định kỳ tổng hợp, báo cáo") is folded into a report of the same unit that does, or
else takes the periods the plan's other reports use (ND 09/2019's quý, 06 tháng, năm
when none does), and the review says which.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

from messages.i18n import _
from scheduler.importer.activities import read_activities, read_timeline
from scheduler.importer.blocks import Block, Paragraph, Table
from scheduler.importer.duties import read_duties
from scheduler.importer.header import read_header
from scheduler.importer.model import Doubt, Draft, DraftTask
from scheduler.importer.owners import assign_timeline
from scheduler.importer.reading import MAX_BYTES, read_document
from scheduler.importer.tables import read_table
from scheduler.importer.timewords import report_periods
from scheduler.importer.units import UnitBook

_STOP = {"và", "các", "của", "cho", "về", "với", "trong", "trên", "the", "năm", "thực", "hiện"}


def words(text: str) -> set[str]:
    """The meaningful words of a title, for comparing two duties."""
    return {w for w in re.split(r"[\W_]+", text.lower()) if len(w) > 1 and w not in _STOP}


def similar(a: str, b: str) -> float:
    """How much of the shorter title's words the other shares (0 to 1)."""
    first, second = words(a), words(b)
    return len(first & second) / max(1, min(len(first), len(second)))


def plan_code(header_locality: tuple[str, str] | None, year: int | None, name: str) -> str:
    """The draft plan's code: its locality (or file name) in ASCII, with its year."""
    base = header_locality[1] if header_locality else PurePath(name).stem
    text = unicodedata.normalize("NFD", base.replace("đ", "d").replace("Đ", "D"))
    ascii_ = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_)) or "ke-hoach"
    return f"{slug}-{year}" if year and not slug.endswith(str(year)) else slug


def import_document(
    name: str, data: bytes, cap: int = MAX_BYTES, code: str | None = None
) -> Draft:
    """The draft plan of the document ``name``; raises ``Unreadable`` with the reason."""
    blocks = read_document(name, data, cap)
    header = read_header(blocks, PurePath(name).stem)
    locality = tuple(header.locality[1].lower().split()) if header.locality else ()
    draft = Draft(
        header, code or plan_code(header.locality, header.year, name), UnitBook(locality)
    )
    if header.year is None:
        draft.doubt(_("đầu văn bản"), header.title, _("không thấy năm của kế hoạch; hãy sửa year"))
    tables = 0
    for number, block in enumerate(blocks):
        if isinstance(block, Table):
            tables += 1
            read_table(block, draft, _table_name(blocks, number, tables))
    used: set[int] = set()
    read_activities(blocks, draft, used)
    # A table or numbered activities give the tasks with their units; a timeline does not,
    # so in a plan with only a timeline the duties are tasks too.
    tabled = bool(draft.tasks)
    read_timeline(blocks, draft, used)
    read_duties(blocks, draft, used, tabled=tabled)
    assign_timeline(blocks, draft)
    _fold(draft)
    _renumber(draft)
    return draft


def _table_name(blocks: list[Block], index: int, count: int) -> str:
    """ "Phụ lục" for the table under an appendix heading, else "Bảng" (numbered)."""
    before = [b.text for b in blocks[max(0, index - 3) : index] if isinstance(b, Paragraph)]
    if any(text.upper().startswith("PHỤ LỤC") for text in before):
        return _("Phụ lục")
    return _("Bảng {n}").format(n=count) if count > 1 else _("Bảng")


def _fold(draft: Draft) -> None:
    rows = [t for t in draft.tasks if t.code.startswith("T") and not t.timeline]
    kept: list[DraftTask] = []
    for task in draft.tasks:
        if task.code.startswith(("D", "R")) and not task.report_periodless:
            twin = next(
                (
                    r
                    for r in rows
                    if set(r.lead) & set(task.lead) and similar(r.title, task.title) >= 0.5
                ),
                None,
            )
            if twin is not None:
                draft.merged.append(Doubt(task.source, task.title, twin.code))
                continue
        kept.append(task)
    explicit = [t.when for t in kept if t.code.startswith("R") and not t.report_periodless]
    final: list[DraftTask] = []
    for task in kept:
        if task.report_periodless:
            twin = next(
                (
                    t
                    for t in kept
                    if t.code.startswith("R")
                    and not t.report_periodless
                    and set(t.lead) == set(task.lead)
                ),
                None,
            )
            if twin is not None:
                draft.merged.append(Doubt(task.source, task.title, twin.code))
                continue
            task.when = report_periods(explicit)
            draft.doubt(
                task.source,
                task.title,
                _('văn bản không ghi kỳ báo cáo; tạm lấy "{when}", hãy kiểm tra').format(
                    when=task.when
                ),
            )
        final.append(task)
    draft.tasks = final


def _renumber(draft: Draft) -> None:
    """T1..Tn, D1..Dn, R1..Rn in document order, as the hand-made plans number them."""
    counts: dict[str, int] = {}
    renamed: dict[str, str] = {}
    for task in draft.tasks:
        prefix = task.code.rstrip("0123456789")
        counts[prefix] = counts.get(prefix, 0) + 1
        renamed[task.code] = f"{prefix}{counts[prefix]}"
    for task in draft.tasks:
        task.code = renamed[task.code]
    draft.merged = [Doubt(m.where, m.text, renamed.get(m.reason, m.reason)) for m in draft.merged]
