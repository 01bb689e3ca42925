"""A Word copy of a plan's text, with real Word tables: what the importer meets in .docx.

The text is read into blocks as ``plan import`` reads it; each paragraph becomes a Word
paragraph and each table a Word table (its first row the header, in bold), so that
the .docx path of the importer (python-docx, cells, merges) is measured on the same
plans as the text path.
"""

from __future__ import annotations

import io

import docx

from scheduler.importer.blocks import Paragraph, Table
from scheduler.importer.reading import read_document


def word_copy(name: str, data: bytes) -> bytes:
    """The .docx bytes of the text document ``name``."""
    document = docx.Document()
    for block in read_document(name, data):
        if isinstance(block, Paragraph):
            document.add_paragraph(block.text)
            continue
        assert isinstance(block, Table)
        width = max(len(row) for row in block.rows)
        table = document.add_table(rows=len(block.rows), cols=width)
        table.style = "Table Grid"
        for row_cells, row in zip(table.rows, block.rows, strict=True):
            for cell, text in zip(row_cells.cells, row, strict=False):
                cell.text = text
        for cell in table.rows[0].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
