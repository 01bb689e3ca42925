"""Reading a percent the way officers write it: ``50%``, ``50``, ``50 phần trăm``,
``năm mươi``, ``bảy mươi lăm``, ``một nửa``, ``fifty percent``, ``about half``.

Words are compared folded (``messages.vocabulary.fold``), so "nam muoi" is "năm mươi".
A spelled number is also a count ("ba lớp tập huấn": three classes), so it is a percent
only when a unit follows ("ba phần trăm") or nothing that could be counted does: the end
of the text, a comma, a closing particle. Digits without a unit are read the same way,
except that right after the task or after "đang thực hiện" a bare number is the percent
(``/baocao T3 50 đã lắp 2 pano``) unless a counted thing follows it ("2 lớp").

``percent_prefix`` returns the number as typed (digits, perhaps "-5" or "50.5") so that
the caller refuses what is not a whole number from 0 to 100 with its usual answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from messages.vocabulary import PARTICLES, fold, status_prefix

# "về", "được", "khoảng" before the number: "đã được 50%", "đạt khoảng 70%".
_FILLERS = (
    "đã được",
    "đã đạt",
    "đã làm được",
    "làm được",
    "được",
    "đạt",
    "ước đạt",
    "khoảng",
    "tầm",
    "chừng",
    "khoảng chừng",
    "about",
    "around",
    "approximately",
    "roughly",
)
_UNITS = ("phần trăm", "%", "percent", "per cent", "pct")
_DIGITS = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_SEPARATOR = re.compile(r"^\s*[,;:.!?–—(]|^\s+-\s")

# Things an office counts: "2 lớp", "3 buổi", "hai pano" are counts, not percents.
_COUNTED = {
    fold(word)
    for word in (
        "lớp", "buổi", "cuộc", "người", "lượt", "pano", "panô", "băng", "tin", "bài", "xã",
        "phường", "hồ", "văn", "tờ", "cuốn", "bản", "đợt", "lần", "học", "đại", "điểm",
        "trường", "tổ", "ngày", "tháng", "tuần", "giờ", "phòng", "đơn", "thôn", "khối",
        "chuyên", "số", "trang", "video", "clip", "classes", "sessions", "people", "panels",
        "days", "units", "times",
    )
}  # fmt: skip

_VI_DIGITS = {
    "khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7,
    "tam": 8, "chin": 9,
}  # fmt: skip
# The last digit after "mươi": mốt (1), tư (4), lăm (5) besides the plain names; never
# "năm" there ("hai mươi năm" is twenty years) nor "không".
_VI_LAST = {**{k: v for k, v in _VI_DIGITS.items() if v not in (0, 5)}, "tu": 4, "lam": 5}
_EN_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip


@dataclass(frozen=True)
class Amount:
    """A percent found at the start of a text: ``number`` as typed, ``rest`` after it."""

    number: str
    rest: str


def _words(text: str) -> list[re.Match[str]]:
    return list(re.finditer(r"[^\s\-,;:.!?]+", text))


def spelled_number(words: list[str]) -> tuple[int, int] | None:
    """(value, words used) of a number spelled at the start of folded ``words``."""
    if not words:
        return None
    first, second, third = [*words, "", ""][:3]
    if first in ("nua", "half"):
        return 50, 1
    if first in ("mot", "a", "one") and second in ("nua", "half"):
        return 50, 2
    if first in ("tram", "hundred"):
        return 100, 1
    if first in ("mot", "a", "one") and second in ("tram", "hundred"):
        return 100, 2
    if first == "muoi":
        last = _VI_LAST.get(second)
        return (10 + last, 2) if last else (10, 1)
    if first in _VI_DIGITS and first != "khong" and second == "muoi":
        tens = 10 * _VI_DIGITS[first]
        last = _VI_LAST.get(third)
        return (tens + last, 3) if last else (tens, 2)
    if first in _VI_DIGITS and second in ("mot", "tu", "lam") and _VI_DIGITS[first] >= 2:
        return 10 * _VI_DIGITS[first] + _VI_LAST[second], 2  # "bảy lăm" is 75
    if first in _VI_DIGITS:
        return _VI_DIGITS[first], 1
    if first in _EN_TENS:
        return (
            (_EN_TENS[first] + _EN_ONES[second], 2)
            if 0 < _EN_ONES.get(second, 0) < 10
            else (
                _EN_TENS[first],
                1,
            )
        )
    if first in _EN_ONES:
        return _EN_ONES[first], 1
    return None


def _phrase_rest(text: str, phrases: tuple[str, ...]) -> str | None:
    """``text`` after the longest of ``phrases`` it starts with (folded), or None."""
    folded = fold(text)
    for phrase in sorted(phrases, key=len, reverse=True):
        key = fold(phrase)
        if folded == key or folded.startswith(key + " ") or (key == "%" and folded[:1] == "%"):
            words = len(phrase.split()) if key != "%" else 0
            if key == "%":
                return text.lstrip()[1:]
            matches = _words(text)
            return text[matches[words - 1].end() :] if len(matches) >= words else None
    return None


def _ends_the_amount(rest: str) -> bool:
    """Nothing counted follows: the end, punctuation, a particle or a status word."""
    if not rest.strip() or _SEPARATOR.match(rest):
        return True
    following = fold(rest).split()
    return following[0] in PARTICLES or status_prefix(rest) is not None


def percent_prefix(text: str, *, bare: bool) -> Amount | None:
    """The percent ``text`` starts with, or None. ``bare``: a number without a unit is
    expected here (right after the task, or after a status that takes a percent)."""
    body = _phrase_rest(text, _FILLERS)
    body = text if body is None else body
    body = body.lstrip().lstrip("~≈").lstrip()
    digits = _DIGITS.match(body)
    if digits:
        number, rest = digits.group(), body[digits.end() :]
    else:
        tokens = _words(body)
        found = spelled_number([fold(t.group()) for t in tokens[:3]])
        if found is None:
            return None
        value, used = found
        number, rest = str(value), body[tokens[used - 1].end() :]
    after_unit = _phrase_rest(rest, _UNITS)
    if after_unit is not None:
        return Amount(number, after_unit)
    if not digits and number == "0":
        return None  # "không" alone is "no", not zero
    if _ends_the_amount(rest):
        return Amount(number, rest)
    following = fold(rest).split()
    if bare and digits and following and following[0] not in _COUNTED:
        return Amount(number, rest)
    return None
