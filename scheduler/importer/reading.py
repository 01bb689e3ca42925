"""Reading a plan document (.docx, text-layer .pdf, .txt, .md) into neutral blocks.

Whatever the format, the readers below give one list of ``Paragraph`` and ``Table``
blocks in document order, so that the layout readers never see a file format. Word is
read with python-docx (merged cells come back resolved: a vertically merged cell repeats
its text on every row it spans; a row that is one cell across is marked ``across``),
PDF with pypdf, text and Markdown line by line (``textlines``). A file a reader cannot
use raises ``Unreadable`` with a Vietnamese sentence saying why; nothing is guessed.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath
from typing import TYPE_CHECKING

from messages.i18n import _
from scheduler.importer import textlines
from scheduler.importer.blocks import Block, Paragraph, Table, clean

if TYPE_CHECKING:
    from docx.table import Table as DocxTable

MAX_BYTES = 50 * 1024 * 1024  # a plan is a few hundred kB; 50 MB is a scan or a mistake
SUFFIXES = (".docx", ".pdf", ".txt", ".md")


class Unreadable(Exception):
    """The file cannot be read as a plan document; ``str(error)`` says why, in Vietnamese."""


def check_size(name: str, size: int, cap: int = MAX_BYTES) -> None:
    """Refuse an empty file or one over ``cap`` before reading a byte of it."""
    if size == 0:
        raise Unreadable(_("Tệp {name} trống, không có nội dung để đọc.").format(name=name))
    if size > cap:
        raise Unreadable(
            _(
                "Tệp {name} quá lớn ({size} MB; tối đa {cap} MB). Một kế hoạch thường chỉ vài "
                "trăm kB: hãy gửi bản Word hoặc PDF có chữ, không phải bản quét."
            ).format(name=name, size=round(size / 1048576, 1), cap=round(cap / 1048576))
        )


def check_suffix(name: str) -> None:
    """Refuse a file no reader takes, by its name alone."""
    suffix = PurePath(name.lower()).suffix
    if suffix == ".doc":
        raise Unreadable(
            _("Tệp {name} là Word cũ (.doc): hãy mở bằng Word và lưu lại dạng .docx.").format(
                name=name
            )
        )
    if suffix not in SUFFIXES:
        raise Unreadable(
            _("Không đọc được tệp {name}: chỉ nhận .docx, .pdf có chữ, .txt và .md.").format(
                name=name
            )
        )


def read_document(name: str, data: bytes, cap: int = MAX_BYTES) -> list[Block]:
    """The blocks of the document ``name`` (its suffix picks the reader)."""
    check_suffix(name)
    check_size(name, len(data), cap)
    suffix = PurePath(name.lower()).suffix
    if suffix == ".docx":
        blocks = _read_docx(name, data)
    elif suffix == ".pdf":
        blocks = _read_pdf(name, data)
    elif suffix in (".txt", ".md"):
        text = _decode(name, data)
        # Text saved from a Markdown converter keeps its marks even in a .txt file.
        markdown = suffix == ".md" or text.count("**") >= 4
        blocks = textlines.blocks_of(text, markdown=markdown)
    else:  # check_suffix let nothing else through
        raise AssertionError(suffix)
    if not any(isinstance(b, Table) or b.text for b in blocks):
        raise Unreadable(_("Tệp {name} không có chữ nào để đọc.").format(name=name))
    return blocks


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable(
            _("Tệp {name} không mã hóa UTF-8: hãy lưu lại với mã hóa UTF-8.").format(name=name)
        ) from None


def _read_docx(name: str, data: bytes) -> list[Block]:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise Unreadable(
            _("Tệp {name} không phải tệp Word (.docx) hợp lệ: tệp hỏng hoặc đổi đuôi.").format(
                name=name
            )
        ) from None
    if "xl/workbook.xml" in names:
        raise Unreadable(
            _(
                "Tệp {name} là bảng tính (Excel) được đổi đuôi thành .docx, không phải văn bản "
                "Word: hãy gửi tệp Word của kế hoạch."
            ).format(name=name)
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a broken package
        raise Unreadable(
            _("Tệp {name} không phải tệp Word (.docx) hợp lệ ({reason}).").format(
                name=name, reason=error.__class__.__name__
            )
        ) from None
    blocks: list[Block] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(Paragraph(clean(DocxParagraph(element, document).text)))
        elif tag == "tbl":
            blocks.append(_table(DocxTable(element, document)))
    return blocks


def _table(table: DocxTable) -> Table:
    rows, across = [], []
    for row in table.rows:
        cells = row.cells  # spans resolved: one cell object per grid column
        texts = tuple("\n".join(clean(p.text) for p in c.paragraphs).strip() for c in cells)
        rows.append(texts)
        across.append(len(cells) > 1 and all(c._tc is cells[0]._tc for c in cells))
    return Table(tuple(rows), tuple(across))


def _read_pdf(name: str, data: bytes) -> list[Block]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        raise Unreadable(
            _("Tệp {name} không phải PDF hợp lệ ({reason}).").format(
                name=name, reason=error.__class__.__name__
            )
        ) from None
    letters = sum(ch.isalpha() for page in pages for ch in page)
    if letters < 40:
        raise Unreadable(
            _(
                "Tệp {name} là PDF không có lớp chữ (bản quét hay ảnh chụp), nên không đọc được "
                "nội dung. Hãy gửi bản Word hoặc PDF xuất từ Word."
            ).format(name=name)
        )
    return textlines.blocks_of("\n".join(pages), markdown=False, wrapped=True)
