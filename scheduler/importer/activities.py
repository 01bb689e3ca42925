"""Tasks written in the body: numbered activities with their lines, and month timelines.

Numbered activities (Kông Chro): a heading "3. Tham gia các lớp tập huấn ..." followed
by "a) Thời gian thực hiện: ...", "b) Cơ quan chủ trì: ..." (or "Cơ quan thực hiện"),
"Cơ quan phối hợp: ...", "c) Nội dung: ...". A month timeline (Cửa Lò): lines such as
"Tháng 1: Ban hành kế hoạch ...", "Tháng 3 đến tháng 4: ...", or the time after the
task ("Hỗ trợ người dân ...: từ tháng 1 đến tháng 12"). A timeline names no unit, so
its tasks take their units from the rest of the plan (``owners``), or else are led by
the issuer until the operator corrects them, and the review says which.
"""

from __future__ import annotations

import re

from messages.i18n import _
from scheduler.importer.blocks import Block, Paragraph
from scheduler.importer.model import Draft, DraftTask
from scheduler.importer.tables import check_task
from scheduler.importer.timewords import labelled
from scheduler.importer.units import key

_ITEM = r"^(?:-\s*)?(?:[a-zđ]\)\s*)?"
_TIME_LINE = re.compile(_ITEM + r"thời gian(?: thực hiện| hoàn thành)?\s*:\s*(.+)$", re.I)
_LEAD_LINE = re.compile(
    _ITEM + r"(?:cơ quan|đơn vị) (?:chủ trì|thực hiện|chịu trách nhiệm)\s*:\s*(.+)$", re.I
)
_SUPPORT_LINE = re.compile(_ITEM + r"(?:cơ quan|đơn vị) phối hợp\s*:\s*(.+)$", re.I)
_PRODUCT_LINE = re.compile(_ITEM + r"(?:sản phẩm|kết quả)\s*:\s*(.+)$", re.I)
_DOERS_LINE = re.compile(_ITEM + r"(?:cơ quan|đơn vị) thực hiện\s*:", re.I)
_CONTENT_ITEM = re.compile(r"^[-+•]\s*(.+)$")
_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(.+)$")
_MONTHS = r"(?:từ\s+)?tháng\s+\d{1,2}(?:\s*(?:đến|-|–)\s*(?:hết\s+)?tháng\s+\d{1,2})?"
_MONTH_FIRST = re.compile(rf"^(?:-\s*)?({_MONTHS})\s*:\s*(.+)$", re.I)
_MONTH_LAST = re.compile(rf"^(?:-\s*)?(.+?)\s*:\s*({_MONTHS})\.?$", re.I)


def read_activities(blocks: list[Block], draft: Draft, used: set[int]) -> None:
    """Numbered activities: a heading whose next lines give the time and the lead."""
    texts = [b.text if isinstance(b, Paragraph) else "" for b in blocks]
    contents: list[tuple[DraftTask, list[str]]] = []
    for index, text in enumerate(texts):
        time_line = _TIME_LINE.match(text)
        if not time_line or index in used:
            continue
        heading_at = next(
            (i for i in range(index - 1, max(index - 3, -1), -1) if _HEADING.match(texts[i])),
            None,
        )
        if heading_at is None:
            continue
        heading = _HEADING.match(texts[heading_at])
        assert heading is not None
        lead_text, support_text, product, doers = "", "", None, False
        end = index + 1
        while end < len(texts) and end < index + 6 and not _HEADING.match(texts[end]):
            line = texts[end]
            if m := _LEAD_LINE.match(line):
                lead_text, doers = m.group(1), bool(_DOERS_LINE.match(line))
            elif m := _SUPPORT_LINE.match(line):
                support_text = m.group(1)
            elif m := _PRODUCT_LINE.match(line):
                product = m.group(1).rstrip(" .;")
            end += 1
        if not lead_text:
            continue
        used.update(range(heading_at, end))
        lead = draft.units.resolve_cell(lead_text)
        support = [u for u in draft.units.resolve_cell(support_text) if u not in lead]
        task = DraftTask(
            code=draft.next_code("T"),
            title=heading.group(2).rstrip(" .;"),
            lead=lead,
            when=time_line.group(1).rstrip(" .;"),
            source=_("mục {number}").format(number=heading.group(1)),
            support=support,
            product=product,
        )
        check_task(draft, task)
        draft.tasks.append(task)
        if doers:
            contents.append((task, _content_items(texts, index + 1)))
    for task, items in contents:
        _add_doers(draft, task, items)


def _content_items(texts: list[str], start: int) -> list[str]:
    """The bullets of the activity's "Nội dung", up to the next numbered heading."""
    items = []
    for text in texts[start : start + 30]:
        if _HEADING.match(text) or _TIME_LINE.match(text):
            break
        if m := _CONTENT_ITEM.match(text):
            items.append(m.group(1))
    return items


def _add_doers(draft: Draft, task: DraftTask, items: list[str]) -> None:
    """ "Cơ quan thực hiện" names who does the activity, and a bullet of its content that
    gives a unit its own part ("- Văn phòng HĐND&UBND huyện nhập, đăng tải ...") names
    one more: that unit, the bullet's subject, does it too. ("Cơ quan chủ trì" names
    the one lead; units in the content then only take part.)"""
    known = {key: unit for key, unit in draft.units.by_key.items() if not unit.is_group}
    for item in items:
        words = item.split()
        for size in range(min(len(words), 12), 1, -1):
            unit = known.get(key(" ".join(words[:size]), draft.units.locality))
            if unit is not None:
                if unit not in task.lead:
                    task.lead.append(unit)
                    task.support = [u for u in task.support if u is not unit]
                break


def read_timeline(blocks: list[Block], draft: Draft, used: set[int]) -> None:
    """Lines that start (or end) with a month or a span of months."""
    issuer = None
    for index, block in enumerate(blocks):
        if not isinstance(block, Paragraph) or index in used or labelled(block.text):
            continue  # a duty that ends with "Thời gian: ..." is the duty reader's
        first = _MONTH_FIRST.match(block.text)
        last = None if first else _MONTH_LAST.match(block.text)
        if first:
            when, title = first.group(1), first.group(2)
        elif last and len(last.group(1).split()) >= 3:
            when, title = last.group(2), last.group(1)
        else:
            continue
        used.add(index)
        if issuer is None:
            issuer = draft.units.resolve(draft.header.issuer)
        task = DraftTask(
            code=draft.next_code("T"),
            title=title.rstrip(" .;"),
            lead=[issuer],
            when=when[:1].upper() + when[1:],
            source=_("lịch thời gian, dòng {line}").format(line=when),
            timeline=True,
        )
        check_task(draft, task)
        draft.tasks.append(task)
