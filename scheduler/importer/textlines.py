"""Plain text and Markdown (and the text layer of a PDF) into paragraphs and tables.

Text copied out of Word or a PDF breaks paragraphs into lines; a line is joined to the
one before when that one does not end a sentence and this one goes on in lower case
("... của cán bộ" / "công chức ..."). A lone page number is dropped. Two table forms
are read: Markdown tables (``| a | b |``) and the form Word gives when a table is copied
as text, one cell per tab-indented line and a blank line between rows.
"""

from __future__ import annotations

import re

from scheduler.importer.blocks import Block, Paragraph, Table, clean

_MD_MARKUP = re.compile(r"(\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w))")
_MD_HEADING = re.compile(r"^#{1,6}\s*")
_MD_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_ENDS_SENTENCE = re.compile(r"[.:!?…]$")
_STARTS_ITEM = re.compile(r"^(?:[-+•*]|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ][).]|[IVX]{1,5}[.)])\s")


def _unmark(line: str) -> str:
    line = _MD_HEADING.sub("", line.strip())
    return _MD_MARKUP.sub("", line).replace("\\", "")


def blocks_of(text: str, *, markdown: bool, wrapped: bool = True) -> list[Block]:
    """The paragraphs and tables of a text or Markdown document (``wrapped``: lines rejoined)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("\t") and line.strip():
            index = _tab_table(lines, index, blocks)
            continue
        if markdown and line.lstrip().startswith("|"):
            index = _markdown_table(lines, index, blocks)
            continue
        text_line = clean(_unmark(line) if markdown else line)
        index += 1
        if not text_line or _PAGE_NUMBER.match(text_line):
            continue
        last = blocks[-1] if blocks else None
        if wrapped and isinstance(last, Paragraph) and _continues(last.text, text_line):
            blocks[-1] = Paragraph(f"{last.text} {text_line}")
        else:
            blocks.append(Paragraph(text_line))
    return blocks


def _continues(previous: str, line: str) -> bool:
    if _ENDS_SENTENCE.search(previous) or _STARTS_ITEM.match(line):
        return False
    first = line[0]
    return first.islower() or first.isdigit() or previous.endswith(",")


def _tab_table(lines: list[str], index: int, blocks: list[Block]) -> int:
    rows: list[tuple[str, ...]] = []
    row: list[str] = []
    while index < len(lines) and (lines[index].startswith("\t") or not lines[index].strip()):
        line = lines[index]
        if line.strip():
            row.append(clean(line))
        elif row:
            rows.append(tuple(row))
            row = []
        index += 1
    if row:
        rows.append(tuple(row))
    blocks.append(Table(tuple(rows), tuple(False for _ in rows)))
    return index


def _markdown_table(lines: list[str], index: int, blocks: list[Block]) -> int:
    rows: list[tuple[str, ...]] = []
    while index < len(lines) and lines[index].lstrip().startswith("|"):
        line = lines[index].strip()
        index += 1
        if _MD_RULE.match(line):
            continue
        cells = [clean(_unmark(cell)).replace("<br>", "\n") for cell in line.strip("|").split("|")]
        rows.append(tuple(cells))
    across = tuple(len(set(r)) == 1 and len(r) > 1 for r in rows)
    blocks.append(Table(tuple(rows), across))
    return index
