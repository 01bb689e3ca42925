"""The page of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I).

What the decree fixes and this module follows:

- A4 paper; margins top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm (20, 20, 30,
  15 here); Times New Roman; body text 13-14 pt (14 here), justified, the first line
  indented 1.27 cm, at least 6 pt between paragraphs; page numbers centred in the
  header from the second page on.
- The top is a borderless two-column table: on the left the issuing body (its superior
  in capitals, the body itself in bold capitals, a short rule under it) and the number
  line "Số: .../BC-UBND"; on the right the national name (bold capitals, 12-13 pt), the
  motto (bold, 13-14 pt) with a rule as long as itself, and the place and date in
  italics ("Cửa Lò, ngày 05 tháng 02 năm 2024": day and month below 10 and 3 are written
  with a leading zero).
- The closing is another borderless table: "Nơi nhận:" (bold italic 12 pt, list 11 pt) on
  the left, the signing authority (bold capitals) on the right.

Nothing here knows plans or reports: ``period_report`` fills these pieces in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from messages.i18n import _

FONT = "Times New Roman"
BODY_STYLE = "Nhacviec Body"
HEADING_STYLE = "Nhacviec Heading"
BODY_PT = 14
TEXT_WIDTH_CM = 21.0 - 3.0 - 1.5
LEFT_COLUMN_CM = 6.3  # the issuing body; the rest is the national name and motto


def set_up_page(document: DocumentType) -> None:
    """A4 portrait, the decree's margins, Times New Roman everywhere, page numbers."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    # Word picks the font per script; naming it for every script keeps it Times New Roman.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(number)
    _body_styles(document)


def _body_styles(document: DocumentType) -> None:
    """The body's paragraphs: justified, first line indented; headings bold and kept with
    what follows. Set once on a style, because formatting each of a few thousand
    paragraphs one by one is most of python-docx's time."""
    for name, bold in ((BODY_STYLE, False), (HEADING_STYLE, True)):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.bold = bold
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        style.paragraph_format.first_line_indent = Cm(1.27)
        style.paragraph_format.keep_with_next = bold


def _page_field(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def line(
    container: DocumentType | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
) -> Paragraph:
    """A one-run paragraph with no indent: the header and closing blocks' lines."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.first_line_indent = Cm(0)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    return paragraph


def rule(cell: _Cell, cell_cm: float, length_cm: float) -> None:
    """A centred horizontal rule ``length_cm`` long: the decree's line under a heading."""
    paragraph = line(cell, size=4)
    indent = Cm(max(cell_cm - length_cm, 0) / 2)
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)
    # The rule paragraph itself must take no room: its text is a 4 pt nothing.
    paragraph.paragraph_format.line_spacing = Pt(4)


def two_columns(document: DocumentType, left_cm: float) -> tuple[_Cell, _Cell]:
    """A borderless table of one row: the layout grid of the header and the closing."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Cm(left_cm), Cm(TEXT_WIDTH_CM - left_cm))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    left, right = table.rows[0].cells
    left.width, right.width = widths
    # A block split over two pages would leave a signature without its authority.
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    # A new cell holds one empty paragraph; the blocks add their own lines after it.
    for cell in (left, right):
        cell._tc.remove(cell.paragraphs[0]._p)
    return left, right


def place_and_date(place: str, day: date) -> str:
    """``Cửa Lò, ngày 05 tháng 02 năm 2024``: the decree pads days 1-9 and months 1-2."""
    return _("{place}, ngày {day} tháng {month} năm {year}").format(
        place=place,
        day=f"{day.day:02d}",
        month=f"{day.month:02d}" if day.month < 3 else str(day.month),
        year=day.year,
    )


def heading_block(
    document: DocumentType,
    superior: str | None,
    body: Sequence[str],
    number_line: str,
    place_line: str,
) -> None:
    """Issuing body and number on the left; national name, motto, place and date on the right."""
    left, right = two_columns(document, LEFT_COLUMN_CM)
    if superior:
        line(left, superior, size=13)
    for text in body:
        line(left, text, bold=True, size=13)
    rule(left, LEFT_COLUMN_CM, 2.2)
    line(left, number_line, size=13)
    right_cm = TEXT_WIDTH_CM - LEFT_COLUMN_CM
    line(right, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=12)
    line(right, _("Độc lập - Tự do - Hạnh phúc"), bold=True, size=13)
    rule(right, right_cm, 6.0)
    line(right, place_line, italic=True, size=14)


def closing_block(
    document: DocumentType, recipients: Sequence[str], authority: Sequence[str]
) -> None:
    """The recipients ("Nơi nhận:") on the left; the signing authority on the right, with
    room below it for the signature, the seal and the signer's name."""
    document.add_paragraph()
    left, right = two_columns(document, 7.5)
    line(left, _("Nơi nhận:"), bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for text in recipients:
        line(left, text, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for text in authority:
        line(right, text, bold=True, size=14)
    for _blank in range(4):
        line(right)


def page_break(document: DocumentType) -> None:
    """What follows starts on a new page: the appendix after the signature."""
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def grid_table(
    document: DocumentType, widths_cm: Sequence[float], header: Sequence[str], size: float
) -> Table:
    """A ruled table of ``header``'s columns, its header row bold and repeated on every page."""
    table = document.add_table(rows=1, cols=len(widths_cm))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    row = table.rows[0]
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(row.cells, header, strict=True):
        cell_text(cell, text, size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    return table


def cell_text(
    cell: _Cell,
    *lines: str,
    size: float,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
) -> None:
    """Fills a table cell with ``lines``, one paragraph each, tight and unindented."""
    first = cell.paragraphs[0]
    for number, text in enumerate(lines):
        paragraph = first if number == 0 else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.first_line_indent = Cm(0)
        run = paragraph.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)
