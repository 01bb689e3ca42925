"""Units by name: one unit however the document writes it, and collectives as groups.

"Phòng Văn hóa và Thông tin huyện", "phòng Văn hóa và Thông tin" and "Phòng VH&TT" are
one unit: names are compared by a key with the common abbreviations spelled out, the
old tone placement ("hoá") made new ("hóa"), punctuation, "và" and the place words
("huyện", the locality's own name) left out. A collective ("UBND các xã, thị trấn",
"các sở, ban, ngành") is a group. A cell that lists units is split on ";", on "và"
and on a comma only where a new unit's head word follows, never inside one name
("Trung tâm Văn hóa, Thông tin và Thể thao").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ABBREVIATIONS = [
    (r"HĐND\s*(?:&|và|-|–)\s*UBND", "Hội đồng nhân dân và Ủy ban nhân dân"),
    (r"UBND", "Ủy ban nhân dân"),
    (r"HĐND", "Hội đồng nhân dân"),
    (r"MTTQ\s*VN|MTTQVN", "Mặt trận Tổ quốc Việt Nam"),
    (r"MTTQ", "Mặt trận Tổ quốc"),
    (r"TT-VH-TT|TTVH-TT", "Trung tâm Văn hóa - Thông tin và Thể thao"),
    (r"VH\s*&\s*TT|VH-TT|VHTT", "Văn hóa và Thông tin"),
    (r"TT\s*&\s*TT|TTTT", "Thông tin và Truyền thông"),
    (r"KH\s*&\s*ĐT|KHĐT", "Kế hoạch và Đầu tư"),
    (r"TC\s*-\s*KH|TCKH", "Tài chính - Kế hoạch"),
    (r"LĐ-TB\s*&\s*XH|LĐTBXH", "Lao động - Thương binh và Xã hội"),
    (r"TN\s*&\s*MT|TNMT", "Tài nguyên và Môi trường"),
    (r"NN\s*&\s*PTNT", "Nông nghiệp và Phát triển nông thôn"),
    (r"GD\s*&\s*ĐT", "Giáo dục và Đào tạo"),
    (r"CBCCVC|CBCC,\s*VC", "cán bộ, công chức, viên chức"),
    (r"CCHC", "cải cách hành chính"),
]
_ABBREVIATIONS = [(re.compile(rf"(?<!\w)(?:{p})(?!\w)"), full) for p, full in ABBREVIATIONS]
_TONE_PAIRS = {
    "oá": "óa",
    "oà": "òa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "uý": "úy",
    "uỳ": "ùy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
    "oé": "óe",
    "oè": "òe",
}
HEADS = (
    "Phòng",
    "Văn phòng",
    "Trung tâm",
    "UBND",
    "Ủy ban",
    "Uỷ ban",
    "HĐND",
    "Sở",
    "Công an",
    "Ban",
    "Đài",
    "Thị đoàn",
    "Huyện đoàn",
    "Tỉnh đoàn",
    "Thành đoàn",
    "Đoàn",
    "Hội",
    "Bưu điện",
    "Chi cục",
    "Cục",
    "Bộ",
    "Các",
    "Thủ trưởng",
    "Trường",
    "Bệnh viện",
    "Mặt trận",
    "Liên đoàn",
    "Kho bạc",
    "Chi nhánh",
    "Tổ",
    "Hội đồng",
    "Thanh tra",
)
_HEAD = "|".join(re.escape(h) for h in sorted(HEADS, key=len, reverse=True))
_SPLIT = re.compile(
    rf"\s*;\s*|\s+(?:và|cùng)\s+(?=(?:{_HEAD}|các|cơ quan|phòng|ủy ban|UBND)\b)"
    rf"|\s*,\s*(?=(?:{_HEAD})\b)"
)
_PROTECT = re.compile(r"(HĐND|Hội đồng nhân dân)\s*(&|và|-|–)\s*(UBND|Ủy ban nhân dân)", re.I)
_ROLE = re.compile(
    r"^(?:giao(?: cho)?|đề nghị|phối hợp với|chủ trì|thủ trưởng|trưởng|lãnh đạo|giám đốc"
    r"|chủ tịch|người đứng đầu)\s+",
    re.I,
)
_COLLECTIVE = re.compile(
    r"^(?:các|mọi)\b|\b(?:các|cấp) (?:xã|phường|huyện|sở|phòng)\b"
    r"|\bủy ban nhân dân (?:xã|phường)\b"
    r"|^(?:phòng|cơ quan|sở|ban)\s*,\s*(?:ban|ngành|đơn vị)\b",
    re.I,
)
_COMMUNES = re.compile(r"^ủy ban nhân dân .*\b(?:xã|phường|thị trấn)\b")
_PLACE_WORDS = {"huyện", "thị", "xã", "tỉnh", "thành", "phố", "quận", "thị_xã"}
_LEVELS = {"huyện", "tỉnh", "thị_xã", "quận", "thành", "phố"}  # dropped from groups too
_GROUP_DROP = {"các", "cấp", "thuộc", "trực"}


_STARTS_HEAD = re.compile(rf"(?:{_HEAD})(?!\w)")


def starts_with_head(name: str) -> bool:
    """The name begins with a unit's head word ("Phòng", "Sở", "UBND", "Các"...)."""
    return bool(_STARTS_HEAD.match(mended(name)))


def expand(name: str) -> str:
    """The name with the abbreviations written out."""
    for pattern, full in _ABBREVIATIONS:
        name = pattern.sub(full, name)
    return name


def _words(name: str) -> list[str]:
    text = unicodedata.normalize("NFC", expand(name)).lower()
    for old, new in _TONE_PAIRS.items():
        text = text.replace(old, new)
    text = re.sub(r"thị xã", "thị_xã", text)
    return [w for w in re.split(r"[\s,;:.&()\-–/]+", text) if w and w != "và"]


def strip_role(name: str) -> str:
    """ "Giao Phòng Nội vụ:" is Phòng Nội vụ; "Thủ trưởng các cơ quan" is the agencies."""
    name = name.strip().strip(":.;,").strip()
    while (match := _ROLE.match(name)) is not None:
        name = name[match.end() :]
    return name[:1].upper() + name[1:] if name else name


def is_collective(name: str) -> bool:
    """Whether the name stands for several units ("các phòng, ban", "cấp xã")."""
    return bool(_COLLECTIVE.search(expand(name)))


# A group written with its owner ("Các phòng, ban, đơn vị thuộc Văn phòng UBND tỉnh") is
# the group written without it ("Các phòng, ban, đơn vị"): one plan has one such group.
_OWNER = re.compile(r"\s+(?:trực thuộc|thuộc)\s+.*$", re.I)
# "Trung Văn hóa, Thể thao và Truyền thông": "tâm" dropped from "Trung tâm", a slip of
# the keyboard; no unit's name starts with "Trung" and a capitalised word.
_TRUNG = re.compile(r"^Trung (?=[A-ZĐÂĂÊÔƠƯ])")


def mended(name: str) -> str:
    """The name with the slip of ``_TRUNG`` mended."""
    return _TRUNG.sub("Trung tâm ", name)


def key(name: str, locality: tuple[str, ...] = ()) -> str:
    """The comparison key of a unit's name (see the module docstring)."""
    group = is_collective(name)
    name = mended(strip_role(name))
    if group:
        name = _OWNER.sub("", name)
    words = _words(re.sub(r"\bcó liên quan\b", " ", name, flags=re.I))
    local = {w.lower() for w in locality}
    kept = []
    for index, word in enumerate(words):
        people = words[:3] == ["ủy", "ban", "nhân"] and index == 4
        place = word in _PLACE_WORDS and (not group or word in _LEVELS)
        if word in local or (place and not people):
            continue
        if group and word in _GROUP_DROP:
            continue
        kept.append(word)
    joined = " ".join(kept)
    # "UBND các xã, thị trấn", "UBND xã, thị trấn có liên quan", "UBND cấp xã": one group.
    return "ủy ban nhân dân cấp xã" if group and _COMMUNES.match(joined) else joined


def split_cell(text: str) -> list[str]:
    """The unit names a cell lists, in order, each trimmed of its trailing punctuation."""
    protected = _PROTECT.sub(lambda m: f"{m.group(1)}\u2063{m.group(3)}", " ".join(text.split()))
    parts = [p.replace("\u2063", " và ").strip(" .;,") for p in _SPLIT.split(protected)]
    return [p for p in parts if p]


def kind_of(name: str) -> str:
    """The kind of unit its name says: phòng, trung tâm, xã, đoàn thể..."""
    folded = expand(strip_role(name)).lower()
    for prefix, kind in (
        ("văn phòng", "văn phòng"),
        ("phòng", "phòng"),
        ("trung tâm", "trung tâm"),
        ("ủy ban nhân dân xã", "xã"),
        ("ủy ban nhân dân phường", "phường"),
        ("ủy ban nhân dân thị trấn", "thị trấn"),
        ("ủy ban nhân dân", "ubnd"),
        ("ủy ban mặt trận", "đoàn thể"),
        ("mặt trận", "đoàn thể"),
        ("thị đoàn", "đoàn thể"),
        ("huyện đoàn", "đoàn thể"),
        ("tỉnh đoàn", "đoàn thể"),
        ("đoàn", "đoàn thể"),
        ("hội", "đoàn thể"),
        ("ban", "ban"),
        ("tổ", "đơn vị"),
    ):
        if folded.startswith(prefix):
            return kind
    if re.match(r"(sở|công an|chi cục|cục|bộ|bưu điện|kho bạc|đài|thanh tra)\b", folded):
        return "cơ quan"
    return "đơn vị"


@dataclass(eq=False)  # one object per unit: compared and hashed by identity
class Unit:
    code: str
    name: str
    kind: str
    is_group: bool


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


class UnitBook:
    """The units and groups met so far, by key; each gets a code the first time."""

    def __init__(self, locality: tuple[str, ...] = ()) -> None:
        self.locality = locality
        self.by_key: dict[str, Unit] = {}

    def resolve(self, name: str) -> Unit:
        name = mended(strip_role(" ".join(name.split())))
        unit_key = key(name, self.locality)
        if unit_key in self.by_key:
            return self.by_key[unit_key]
        unit = Unit(self._code(unit_key), name, kind_of(name), is_collective(name))
        self.by_key[unit_key] = unit
        return unit

    def resolve_cell(self, text: str) -> list[Unit]:
        found: list[Unit] = []
        for part in split_cell(text):
            unit = self.resolve(part)
            if unit not in found:
                found.append(unit)
        return found

    def _code(self, unit_key: str) -> str:
        words = _ascii(unit_key).upper().replace("_", " ").split()
        base = "".join(w[0] for w in words if w[0].isalnum())[:10] or "DV"
        code, number = base, 2
        while any(u.code == code for u in self.by_key.values()):
            code, number = f"{base}-{number}", number + 1
        return code
