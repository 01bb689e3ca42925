"""Small plan documents made in the tests: Word files with real tables and merged cells,
and PDFs with a text layer (fpdf2, with matplotlib's DejaVu font for Vietnamese)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import docx


@dataclass
class WordTable:
    """Rows of cell texts; ``across`` rows are one merged cell, ``down`` merges a column's
    cells over rows (first, last, column); a cell text with ``\\n`` has several lines."""

    rows: list[list[str]]
    across: list[int] = field(default_factory=list)
    down: list[tuple[int, int, int]] = field(default_factory=list)


def word(*parts: str | WordTable) -> bytes:
    document = docx.Document()
    for part in parts:
        if isinstance(part, str):
            document.add_paragraph(part)
            continue
        width = max(len(row) for row in part.rows)
        table = document.add_table(rows=len(part.rows), cols=width)
        for r, row in enumerate(part.rows):
            for c, text in enumerate(row):
                if text:
                    cell = table.cell(r, c)
                    lines = text.split("\n")
                    cell.text = lines[0]
                    for line in lines[1:]:
                        cell.add_paragraph(line)
        for r in part.across:
            text = part.rows[r][0]
            merged = table.cell(r, 0).merge(table.cell(r, width - 1))
            merged.text = text
        for first, last, column in part.down:
            text = part.rows[first][column]
            merged = table.cell(first, column).merge(table.cell(last, column))
            merged.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf(text: str) -> bytes:
    from fpdf import FPDF
    from matplotlib import get_data_path

    font = Path(get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    document = FPDF()
    document.add_page()
    document.add_font("DejaVu", fname=str(font))
    document.set_font("DejaVu", size=11)
    for line in text.split("\n"):
        document.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def scanned_pdf() -> bytes:
    """A PDF page with a picture and no text layer, as a scanner makes."""
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("L", (200, 100), color=200)
    document = FPDF()
    document.add_page()
    document.image(image, x=10, y=10, w=180)
    return bytes(document.output())
