"""A streaming .xlsx writer for the workbook: sheets of plain rows, written as XML text.

openpyxl builds a cell object for every value, even in its write-only mode; at a
province's size (200,000 reports, 120,000 progress rows, some four million cells) that
took minutes. This writes each row straight as SpreadsheetML text into the zip file, with
the few things the workbook uses and nothing else: a bold title, a bold wrapped header row
frozen in view with Excel's filter buttons over it, column widths, and three number
formats (date, date and time, percent) given per column. Every string goes to the shared
string table, once however often it repeats (task titles, unit names, states), and is
always text: a note typed as "=5+1" can never become a formula.

Dates are written as Excel serial numbers (days since 30 December 1899), from naive
datetimes, as the caller gives them (Excel has no time zones).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

from messages.exports.labels import xml_safe

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell styles (``cellXfs``), by position: plain, title, header, and the number formats.
TITLE, HEADER = 1, 2
_FORMATS = {"dd/mm/yyyy": 3, "dd/mm/yyyy hh:mm": 4, "0%": 5}
_STYLES = f"""{_HEAD}<styleSheet xmlns="{_MAIN}">
<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>\
<numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/></numFmts>
<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="14"/><name val="Calibri"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment vertical="center" wrapText="1"/></xf>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
_EPOCH = date(1899, 12, 30).toordinal()
_BATCH = 2000  # rows joined into one write


def excel_serial(moment: datetime) -> float:
    """A naive ``moment`` as Excel's serial number: days since 30 December 1899."""
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    return moment.toordinal() - _EPOCH + (seconds + moment.microsecond / 1e6) / 86400


class XlsxStream:
    """One .xlsx file written into ``target``: ``sheet`` as many times as needed, then
    ``close``. Rows are consumed as they come; only the shared strings stay in memory."""

    def __init__(self, target: IO[bytes], title: str, creator: str, created: datetime) -> None:
        self.zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.title, self.creator, self.created = title, creator, created
        self.strings: dict[str, int] = {}
        self.sheets: list[tuple[str, str]] = []  # name, filter range

    def _add(self, text: str) -> int:
        """A new shared string's index. Kept as given, written without the characters an
        Office file cannot hold (typed in chat, they would make the file unreadable)."""
        index = self.strings[text] = len(self.strings)
        return index

    def _string(self, text: str) -> str:
        index = self.strings.get(text)
        if index is None:
            index = self._add(text)
        return f' t="s"><v>{index}</v></c>'

    def _cell(self, ref: str, value: Any, style: int) -> str:
        kind = type(value)
        if kind is str:
            head = f'<c r="{ref}"' + (f' s="{style}"' if style else "")
            return head + self._string(value)
        if kind is datetime:
            value = excel_serial(value)
        elif kind is bool:
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if style:
            return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
        return f'<c r="{ref}"><v>{value!r}</v></c>'

    def sheet(
        self,
        name: str,
        widths: Sequence[float],
        formats: Sequence[str | None],
        head: Sequence[Sequence[Any]],
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
    ) -> None:
        """A sheet named ``name``: the ``head`` rows (the first one as a title), then the
        ``header`` row, frozen and filtered, then ``rows``, whose columns take ``formats``."""
        number = len(self.sheets) + 1
        letters = [get_column_letter(i) for i in range(1, len(widths) + 1)]
        styles = [_FORMATS[f] if f else 0 for f in formats]
        top = len(head) + 1  # the header's row
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        with self.zip.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as out:
            out.write(
                f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheetViews>'
                '<sheetView workbookViewId="0">'
                f'<pane ySplit="{top}" topLeftCell="A{top + 1}" activePane="bottomLeft" '
                'state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
                f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'.encode()
            )
            lines = []
            for n, values in enumerate(head, start=1):
                style = TITLE if n == 1 else 0
                cells = "".join(
                    self._cell(f"{letters[i]}{n}", v, style) for i, v in enumerate(values)
                )
                lines.append(f'<row r="{n}">{cells}</row>')
            cells = "".join(
                self._cell(f"{letters[i]}{top}", v, HEADER) for i, v in enumerate(header)
            )
            lines.append(f'<row r="{top}">{cells}</row>')
            row = self._rows(out, lines, top, letters, styles, rows)
            area = f"A{top}:{letters[-1]}{max(row, top + 1)}"
            lines.append(f'</sheetData><autoFilter ref="{area}"/></worksheet>')
            out.write("".join(lines).encode())
        self.sheets.append((name, area))

    def _rows(
        self,
        out: IO[bytes],
        lines: list[str],
        row: int,
        letters: list[str],
        styles: list[int],
        rows: Iterable[Sequence[Any]],
    ) -> int:
        """Write ``rows`` below row number ``row``; the number of the last one. The hot loop
        of a big workbook: a cell is one f-string, a repeated string one dictionary look-up."""
        strings = self.strings
        # Per column: the cell's opening up to its row number, and what follows the number
        # for a shared string and for a number.
        shapes = [
            ('<c r="' + letter, f'"{_style(s)} t="s"><v>', f'"{_style(s)}><v>')
            for letter, s in zip(letters, styles, strict=True)
        ]
        for values in rows:
            row += 1
            cells = []
            for (opening, text, figure), value in zip(shapes, values, strict=True):
                kind = type(value)
                if kind is str:
                    index = strings.get(value)
                    if index is None:
                        index = self._add(value)
                    cells.append(f"{opening}{row}{text}{index}</v></c>")
                elif value is None:
                    continue
                else:
                    if kind is datetime:
                        value = excel_serial(value)
                    elif kind is bool:
                        value = int(value)
                    cells.append(f"{opening}{row}{figure}{value!r}</v></c>")
            lines.append(f'<row r="{row}">{"".join(cells)}</row>')
            if len(lines) >= _BATCH:
                out.write("".join(lines).encode())
                lines.clear()
        return row

    def close(self) -> None:
        """Write the workbook's parts around the sheets and finish the zip file."""
        count = len(self.sheets)
        write = self.zip.writestr
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, count + 1)
        )
        office = "application/vnd.openxmlformats-officedocument"
        write(
            "[Content_Types].xml",
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}'
            '.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            f'ContentType="{office}.spreadsheetml.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{office}'
            '.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/'
            f'vnd.openxmlformats-package.core-properties+xml"/>{overrides}</Types>',
        )
        write(
            "_rels/.rels",
            f'{_HEAD}<Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
        )
        stamp = f"{self.created:%Y-%m-%dT%H:%M:%SZ}"
        write(
            "docProps/core.xml",
            f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(self.title)}</dc:title><dc:creator>{escape(self.creator)}"
            f'</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            "</cp:coreProperties>",
        )
        sheets = "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, (name, _) in enumerate(self.sheets, start=1)
        )
        # Excel keeps each sheet's filter range under this hidden name, as openpyxl does.
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{escape(_absolute(name, area))}</definedName>"
            for i, (name, area) in enumerate(self.sheets)
        )
        write(
            "xl/workbook.xml",
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><bookViews><workbookView/>'
            f"</bookViews><sheets>{sheets}</sheets><definedNames>{names}</definedNames>"
            "</workbook>",
        )
        targets = "".join(
            f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        write(
            "xl/_rels/workbook.xml.rels",
            f'{_HEAD}<Relationships xmlns="{_PKG}">{targets}'
            f'<Relationship Id="rId{count + 1}" Type="{_RELS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{count + 2}" Type="{_RELS}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>',
        )
        write("xl/styles.xml", _STYLES)
        with self.zip.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            size = len(self.strings)
            out.write(f'{_HEAD}<sst xmlns="{_MAIN}" count="{size}" uniqueCount="{size}">'.encode())
            batch = []
            for text in self.strings:  # in insertion order, which is their index
                batch.append(f'<si><t xml:space="preserve">{escape(xml_safe(text))}</t></si>')
                if len(batch) >= _BATCH:
                    out.write("".join(batch).encode())
                    batch = []
            batch.append("</sst>")
            out.write("".join(batch).encode())
        self.zip.close()


def _style(style: int) -> str:
    return f' s="{style}"' if style else ""


def _absolute(sheet: str, area: str) -> str:
    """``'Sheet'!$A$4:$O$9``: a defined name's form of ``area`` on ``sheet``."""
    first, last = area.split(":")
    parts = []
    for ref in (first, last):
        column = ref.rstrip("0123456789")
        parts.append(f"${column}${ref[len(column) :]}")
    quoted = sheet.replace("'", "''")
    return f"'{quoted}'!{parts[0]}:{parts[1]}"
