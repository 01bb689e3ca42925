"""The plan's identity from its first lines: title, issuer, document, issue date, period.

A plan opens with the issuer in capitals, "Số: 629/QĐ-UBND", the place and date
("Kông Chro, ngày 30 tháng 12 năm 2020"), "KẾ HOẠCH" and its subject. When a decision
(Quyết định) issues the plan, the plan's own heading says "(Kèm theo Quyết định số ...
ngày ...)", which is the document. Only the head of the document is searched, so that
the numbers and dates of the documents a plan cites are never taken for its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from scheduler.importer.blocks import Block, Paragraph

_LOCALITY = re.compile(
    r"\b(huyện|thị xã|thành phố|tỉnh|quận)\s+((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][\wÀ-ỹ]*)(?:\s+[A-ZĐ][\wÀ-ỹ]*)*)"
)
_ATTACHED = re.compile(r"\((?:ban hành )?kèm theo\s+(.+?)\)?$", re.I)
_NUMBER = re.compile(r"Số\s*:?\s*(\d*)\s*/\s*([A-ZĐ]+(?:-[A-ZĐ]+)*)")
_DATE_WORDS = re.compile(r"ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.I)
_DATE_SLASH = re.compile(r"ngày\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.I)
_PERIOD = re.compile(r"(?:giai đoạn|thời kỳ)\s*(\d{4})\s*[-–]\s*(\d{4})", re.I)
_KINDS = {"QĐ": "Quyết định", "KH": "Kế hoạch", "CT": "Chỉ thị", "NQ": "Nghị quyết"}
_BODIES = re.compile(
    r"\b(Văn phòng (?:UBND|Ủy ban nhân dân)|Ủy ban nhân dân|UBND|Sở [\wÀ-ỹ ]+?)"
    r"(?: (huyện|tỉnh|thị xã|thành phố|quận))? ban hành",
    re.I,
)
HEAD_BLOCKS = 40


@dataclass
class Header:
    title: str
    issuer: str
    year: int | None
    document: str | None
    issued: date | None
    issued_month: str | None  # "02/2024" when the day is left blank
    period: tuple[int, int] | None
    locality: tuple[str, str] | None  # ("huyện", "Long Hồ")


def _day(match: re.Match[str]) -> date | None:
    day, month, year = match.groups()
    try:
        return date(int(year), int(month), int(day)) if day else None
    except ValueError:
        return None


def _title(texts: list[str]) -> str | None:
    for index, text in enumerate(texts):
        if re.fullmatch(r"KẾ\s*HOẠCH", text.strip(" *#")) and index + 1 < len(texts):
            subject = texts[index + 1].strip(" *#")
            return "Kế hoạch " + subject[:1].lower() + subject[1:]
    for text in texts:
        found = re.search(r"ban hành (Kế hoạch .+)$", text)
        if found:
            return found.group(1).rstrip(" .;")
    return None


def read_header(blocks: list[Block], fallback_title: str) -> Header:
    """The document's title, issuer, number, issue date, period and locality, from its head."""
    texts = [b.text for b in blocks[:HEAD_BLOCKS] if isinstance(b, Paragraph) and b.text]
    title = _title(texts) or fallback_title
    locality_match = _LOCALITY.search(title) or next(
        (m for t in texts if (m := _LOCALITY.search(t))), None
    )
    locality = (locality_match.group(1), locality_match.group(2)) if locality_match else None
    document, issued, issued_month = None, None, None
    for text in texts:
        attached = _ATTACHED.search(text)
        if attached and re.search(r"\bsố\b", attached.group(1), re.I):
            document = re.sub(r"\s*/\s*", "/", attached.group(1)).replace(" ,", ",")
            document = re.sub(r"số:\s*", "số ", document).replace("/QĐ-UBND,", "/QĐ-UBND")
            found = _DATE_SLASH.search(document) or _DATE_WORDS.search(document)
            issued = _day(found) if found else None
            break
    if document is None:
        number = next((m for t in texts if (m := _NUMBER.search(t))), None)
        dated = next((m for t in texts[:12] if (m := _DATE_WORDS.search(t))), None)
        if dated is not None:
            issued = _day(dated)
            if issued is None:
                issued_month = f"{int(dated.group(2)):02d}/{dated.group(3)}"
        if number is not None and number.group(1):
            kind = _KINDS.get(number.group(2).split("-")[0], "Văn bản")
            document = f"{kind} số {number.group(1)}/{number.group(2)}"
            if issued is not None:
                document += f" ngày {issued:%d/%m/%Y}"
    period_match = _PERIOD.search(title)
    period = (int(period_match.group(1)), int(period_match.group(2))) if period_match else None
    year_match = re.search(r"năm (\d{4})", title)
    year = int(year_match.group(1)) if year_match else None
    if year is None:
        year = period[0] if period else (issued.year if issued else None)
    return Header(
        title, _issuer(texts, locality), year, document, issued, issued_month, period, locality
    )


def _issuer(texts: list[str], locality: tuple[str, str] | None) -> str:
    place = " ".join(locality) if locality else ""
    for text in texts:
        upper = re.fullmatch(
            r"(ỦY BAN NHÂN DÂN|UBND)\s+(HUYỆN|TỈNH|THỊ XÃ|THÀNH PHỐ|QUẬN)\s+(.+)", text.strip(" *")
        )
        if upper:
            name = " ".join(w.capitalize() for w in upper.group(3).split())
            return f"Ủy ban nhân dân {upper.group(2).lower()} {name}"
    for text in texts:
        body = _BODIES.search(text)
        if body:
            head = re.sub(r"UBND", "Ủy ban nhân dân", body.group(1))
            if locality and (body.group(2) in (None, locality[0]) or "Văn phòng" in head):
                return f"{head} {place}".strip()
            return f"{head} {body.group(2) or ''}".strip()
    return f"Ủy ban nhân dân {place}".strip()
