"""How a plan's issuing body appears on its reports: heading, number, place, signature.

A plan names its issuer in full ("Ủy ban nhân dân thị xã Cửa Lò", "Văn phòng Ủy ban nhân
dân tỉnh Vĩnh Phúc"). Nghị định 30/2020/NĐ-CP writes it on a document as

- the heading: a People's Committee as "ỦY BAN NHÂN DÂN / THỊ XÃ CỬA LÒ" (both bold); a
  body that serves a committee (its office, a phòng, a sở) with the committee first, not
  bold ("UBND TỈNH VĨNH PHÚC"), and the body itself bold ("VĂN PHÒNG", "PHÒNG NỘI VỤ");
- the number line's abbreviation: UBND for a People's Committee, VP for its office, the
  initials otherwise (Phòng Nội vụ: PNV);
- the place (*địa danh*) of the date line: the name of the administrative unit the body
  sits in ("Cửa Lò", "Vĩnh Phúc");
- the signing authority: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" for a People's Committee,
  "CHÁNH VĂN PHÒNG" for its office, the head of the body otherwise.

What cannot be worked out is left as dots for the author to fill in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from messages.i18n import _

BLANK = "........"
_COMMITTEE = "ủy ban nhân dân"
_OFFICE = "văn phòng ủy ban nhân dân"
# Administrative levels, longest first so that "thị xã" is not read as "xã".
_LEVEL = r"(?:tỉnh|thành phố|huyện|quận|thị xã|thị trấn|xã|phường)"


@dataclass(frozen=True)
class Issuer:
    superior: str | None
    body: tuple[str, ...]
    abbreviation: str
    place: str
    authority: tuple[str, ...]


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    # "Uỷ" and "Ủy" are both written; the decree's spelling is "Ủy".
    return text.replace("Uỷ", "Ủy").replace("uỷ", "ủy")


def _initials(words: str) -> str:
    letters = []
    for word in words.split():
        first = word[0]
        if first in "Đđ":
            letters.append("Đ")
        else:
            letters.append(unicodedata.normalize("NFD", first)[0].upper())
    return "".join(letters)


def _place(issuer: str) -> str:
    found = list(re.finditer(rf"\b{_LEVEL}\s+(.+?)$", issuer, flags=re.IGNORECASE))
    return found[-1][1] if found else BLANK


def describe_issuer(issuer: str) -> Issuer:
    """The heading, abbreviation, place and authority of ``issuer`` (see the module doc)."""
    name = _normal(issuer)
    lower = name.lower()
    place = _place(name)
    if lower.startswith(_OFFICE):
        rest = name[len(_OFFICE) :].strip()
        return Issuer(
            superior=f"UBND {rest}".upper(),
            body=(_("VĂN PHÒNG"),),
            abbreviation="VP",
            place=place,
            authority=(_("CHÁNH VĂN PHÒNG"),),
        )
    if lower.startswith(_COMMITTEE):
        rest = name[len(_COMMITTEE) :].strip()
        return Issuer(
            superior=None,
            body=(_("ỦY BAN NHÂN DÂN"), rest.upper()) if rest else (_("ỦY BAN NHÂN DÂN"),),
            abbreviation="UBND",
            place=place,
            authority=(_("TM. ỦY BAN NHÂN DÂN"), _("CHỦ TỊCH")),
        )
    # A body of a People's Committee (a phòng, a sở) is headed by the committee it serves.
    parts = re.split(rf"\s+(?={_LEVEL}\s)", name, maxsplit=1, flags=re.IGNORECASE)
    own = parts[0]
    if lower.startswith("phòng"):
        authority = _("TRƯỞNG PHÒNG")
    elif lower.startswith("sở"):
        authority = _("GIÁM ĐỐC")
    else:
        authority = _("THỦ TRƯỞNG CƠ QUAN")
    return Issuer(
        superior=f"UBND {parts[1]}".upper() if len(parts) > 1 else None,
        body=(own.upper(),),
        abbreviation=_initials(own) or BLANK,
        place=place,
        authority=(authority,),
    )


def plan_subject(title: str) -> str:
    """The work a plan is about, as a report's title names it.

    "Kế hoạch tuyên truyền cải cách hành chính thị xã Cửa Lò năm 2024" is about
    "công tác tuyên truyền cải cách hành chính": the words after "Kế hoạch" up to the
    year, the issuer ("của ...") or the place, with "công tác" before them unless the
    plan already says it.
    """
    text = _normal(title)
    match = re.match(r"kế hoạch\s+(.+)", text, flags=re.IGNORECASE)
    if not match:
        return text
    subject = re.split(
        rf"\s+(?:năm \d{{4}}|của\b|{_LEVEL}\s)", match[1], maxsplit=1, flags=re.IGNORECASE
    )[0].strip(" ,.;")
    if "công tác" in subject.lower():
        return subject
    return _("công tác {subject}").format(subject=subject)
