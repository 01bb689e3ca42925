"""Duties in prose: the "Tổ chức thực hiện" section, and duties listed per unit.

Under "IV. TỔ CHỨC THỰC HIỆN" each numbered heading names a unit ("2. Phòng Nội vụ",
"Giao Trung tâm ...", "Đề nghị Ủy ban MTTQ ...", or "2. Phòng Nội vụ: <duty>") and the
lines under it are its duties; a line may name its own unit ("- Phòng Tài chính - Kế
hoạch: Tham mưu ..."). A sentence with time words is a task (a report task when it
reports); in a plan whose tasks come from a table, a duty without time words is not a
task but is listed in the review. Elsewhere in the document, a line under a unit that
ends with "Thời gian: ..." is a task too.
"""

from __future__ import annotations

import re

from messages.i18n import _
from scheduler.importer.blocks import Block, Paragraph
from scheduler.importer.model import Draft, DraftTask
from scheduler.importer.tables import check_task
from scheduler.importer.timewords import (
    REPORT_WORDS,
    labelled,
    periodless_report,
    time_of,
    without_time,
)
from scheduler.importer.units import Unit, starts_with_head, strip_role

_SECTION = re.compile(r"^([IVX]+|\d+)\.\s*tổ chức thực hiện\b", re.I)
_ROMAN = re.compile(r"^([IVX]+)\.\s+\S")
_END = re.compile(r"^(?:trên đây|nơi nhận|nhận được kế hoạch|phụ lục|tm\.|kt\.)", re.I)
_NUMBERED = re.compile(r"^(\d{1,2})\.\s*(.+)$")
_BULLET = re.compile(r"^(?:[-+•*]|[a-zđ]\))\s*")
_SENTENCE = re.compile(r"(?<=\.)\s+(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈÍÌÓÒÚÙÝ])")
# "...; định kỳ tổng hợp báo cáo ...": a new clause that starts with a verb or a time.
_CLAUSE = re.compile(
    r";\s+(?=(?:định kỳ|hằng|hàng|định hướng|tổ chức|theo dõi|cập nhật|tham mưu|xây dựng)\b)"
)
_VERB = re.compile(
    r"\s(?=(?:tổ chức|đăng tải|thực hiện|triển khai|xây dựng|chủ trì|phối hợp|tham mưu"
    r"|theo dõi|bố trí|căn cứ|có trách nhiệm|chịu trách nhiệm)\b)"
)
_DUTY_OF = re.compile(r"\s+(?:có trách nhiệm|chịu trách nhiệm)\s+")
_PIECE = re.compile(
    r"^(?:chủ trì, )?(?:phối hợp[^,;]*?[, ]\s*)?"
    r"(?:xây dựng|lập|thành lập|ban hành|bố trí|thẩm định"
    r"|tổ chức (?:các lớp|hội nghị|hội thi|tập huấn)|lồng ghép việc kiểm tra|tham mưu .*"
    r"(?:xây dựng|ban hành|thành lập|phân bổ))",
    re.I,
)
_VIA = re.compile(r"\((?:thông )?qua\s+([Pp]hòng [^,;.()]*?)\)")
_REPORTS_TO = re.compile(
    r"(?:\(?(?:thông )?qua|gửi về|gửi|báo cáo(?: cho| với)?|với)\s+"
    r"((?:Ủy ban nhân dân|UBND|Sở|[Pp]hòng|Chủ tịch)[^,;.()]*?)"
    r"(?=\s+(?:về|để|tổng hợp|theo|trong|trình|xem|hàng|hằng|định kỳ|trước|chậm nhất|đến|kèm"
    r"|\()|[,;.()]|$)"
)


def _is_unit(name: str) -> bool:
    name = strip_role(name)
    return (
        bool(name)
        and len(name.split()) <= 24
        and (starts_with_head(name) or name.lower().startswith(("các ", "ủy ban", "ubnd")))
    )


def section_bounds(blocks: list[Block]) -> tuple[int, int] | None:
    """Where the section of duties starts and ends among the blocks; None if absent."""
    texts = [b.text if isinstance(b, Paragraph) else "" for b in blocks]
    start = next((i for i, t in enumerate(texts) if _SECTION.match(t)), None)
    if start is None:
        return None
    end = start + 1
    while end < len(texts) and not _END.match(texts[end]) and not _ROMAN.match(texts[end]):
        end += 1
    return start, end


def read_duties(blocks: list[Block], draft: Draft, used: set[int], *, tabled: bool) -> None:
    """Add to the draft the duties written as paragraphs, each with its units and time."""
    bounds = section_bounds(blocks)
    section = _SECTION.match(blocks[bounds[0]].text) if bounds else None  # type: ignore[union-attr]
    roman = section.group(1) if section else ""
    unit: list[Unit] = []
    label = ""
    for index, block in enumerate(blocks):
        if not isinstance(block, Paragraph) or index in used or not block.text:
            continue
        inside = bounds is not None and bounds[0] < index < bounds[1]
        text = block.text
        heading = _NUMBERED.match(text)
        if heading:
            name, _colon, rest = heading.group(2).partition(":")
            if not rest and _DUTY_OF.search(name):
                name, rest = _DUTY_OF.split(name, maxsplit=1)
            elif not rest and len(name.split()) > 8 and (verb := _VERB.search(name)):
                name, rest = name[: verb.start()], name[verb.end() :]
            if _is_unit(name):
                unit = draft.units.resolve_cell(name)
                label = f"{roman}.{heading.group(1)} {strip_role(name)}" if inside else name
                if rest.strip():
                    _duty(draft, unit, rest.strip(), label, inside, tabled)
            elif inside:
                unit, label = [], f"{roman}.{heading.group(1)} {name}"
            continue
        if _ROMAN.match(text):
            unit = []
            continue
        body = _BULLET.sub("", text)
        own, _colon, rest = body.partition(":")
        if rest.strip() and _is_unit(own) and not re.match(r"(?i)thời gian", own):
            _duty(draft, draft.units.resolve_cell(own), rest.strip(), label, inside, tabled)
        elif unit and (inside or labelled(body)):
            _duty(draft, unit, body, label, inside, tabled)
        elif inside and body and not _END.match(body):
            if time_of(body) or REPORT_WORDS.search(body):
                draft.doubt(label, body, _("không rõ đơn vị nào thực hiện"))


def _duty(
    draft: Draft, lead: list[Unit], text: str, where: str, inside: bool, tabled: bool
) -> None:
    clauses = [
        (number > 0, clause.strip())
        for sentence in _SENTENCE.split(text)
        for number, clause in enumerate(_CLAUSE.split(sentence))
        if clause.strip()
    ]
    if labelled(text):  # "Rà soát hồ sơ. Thời gian: Quý II/2026.": one duty with its time
        clauses = [(False, text)]
    current: DraftTask | None = None
    for new_clause, sentence in clauses:
        when = time_of(sentence)
        periodless = when is None and periodless_report(sentence)
        # A clause with no time of its own belongs to the duty before it, unless it starts
        # a piece of work of another kind ("...; xây dựng kế hoạch" after standing work).
        if (
            current is not None
            and when is None
            and not periodless
            and (not new_clause or _implied(draft, sentence) == current.when)
        ):
            joint = "; " if new_clause else ". "
            current.title = f"{current.title}{joint}{sentence.rstrip(' .;/')}"
            continue
        if (tabled or not inside) and when is None and not periodless:
            draft.doubt(
                where, sentence, _("nhiệm vụ không có mốc thời gian; không thành nhiệm vụ")
            )
            continue
        report = periodless or bool(
            when and REPORT_WORDS.search(sentence) and re.search(r"(?i)định kỳ|hằng|hàng", when)
        )
        if when is None and not periodless:
            when = _implied(draft, sentence)
        current = DraftTask(
            code=draft.next_code("R" if report else "D"),
            title=without_time(sentence, when),
            lead=list(lead),
            when=when or "",
            source=where,
            report_periodless=periodless,
        )
        if report or re.search(r"(?i)gửi|báo cáo", sentence):
            target = _VIA.search(sentence) or _REPORTS_TO.search(sentence)
            if target:
                receiver = draft.units.resolve(re.sub(r"^Chủ tịch\s+", "", target.group(1)))
                current.reports_to = receiver if receiver not in lead else None
        if not periodless:
            check_task(draft, current)
        draft.tasks.append(current)


def _implied(draft: Draft, sentence: str) -> str:
    """The time of a duty with no time words: a piece of work is done within the plan's
    year; anything else is standing work."""
    body = sentence.lstrip("- ")
    return f"Trong năm {draft.year}" if _PIECE.match(body) else "Thường xuyên trong năm"
