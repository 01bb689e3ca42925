"""The time a duty sentence sets: its deadline, its reporting period or its rhythm.

Only words that set a time are taken: "trước ngày 15/01/2022", "chậm nhất ngày ...",
"Định kỳ quý, 06 tháng, năm", "định kỳ hàng quý", "hằng năm", "thường xuyên",
"trong năm 2022", "Thời gian: Quý II/2026". A date that follows a document's number
("Quyết định số 608/QĐ-UBND ngày 19/01/2022") is a citation, never a deadline: a
deadline needs its own word (trước, chậm nhất, đến, hạn) before the date.
"""

from __future__ import annotations

import re

from scheduler.timeexpr import TimeExpressionError, parse_when

_DATE = r"\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?|\d{1,2} tháng \d{1,2}(?: năm \d{4})?"
_LABELLED = re.compile(
    r"thời (?:gian|hạn)(?: (?:thực hiện|hoàn thành|trình))?\s*:\s*(.+?)\s*$", re.I
)
_DEADLINE = re.compile(
    rf"(?:trước|chậm nhất(?: là)?|hạn chót|hoàn thành trước)\s+(?:ngày\s+)?"
    rf"(?:{_DATE})",
    re.I,
)
_PERIODIC = re.compile(
    r"định kỳ\s+(?:(?:hằng|hàng)\s+)?(?:quý|0?6 tháng|sáu tháng|năm|tháng)"
    r"(?:\s*(?:,|và)\s*(?:0?6 tháng|sáu tháng|(?:một |01 )?năm|hằng năm))*",
    re.I,
)
_RHYTHM = re.compile(r"\b(?:hằng|hàng)\s+(?:tháng|quý|năm)\b", re.I)
_WITHIN_YEAR = re.compile(r"\btrong năm \d{4}\b", re.I)
_ONGOING = re.compile(r"\bthường xuyên\b", re.I)
_PERIODLESS = re.compile(
    r"\bđịnh kỳ\b(?!\s+(?:(?:hằng|hàng)\s+)?(?:quý|0?6 tháng|sáu|năm|tháng))", re.I
)
REPORT_WORDS = re.compile(r"\bbáo cáo\b|\btổng hợp\b", re.I)


def readable(when: str, year: int) -> bool:
    """Whether the time expression can be read into deadlines in ``year``."""
    try:
        parse_when(when, year)
    except TimeExpressionError:
        return False
    return True


def _tidy(found: str) -> str:
    found = re.sub(r"\s*/\s*", "/", found.strip(" ,.;"))
    return found[:1].upper() + found[1:]


def labelled(sentence: str) -> str | None:
    """The time after a "Thời gian: ..." label that ends the sentence."""
    match = _LABELLED.search(sentence)
    return match.group(1).rstrip(" .;") if match else None


def time_of(sentence: str) -> str | None:
    """The time words of a duty sentence, as written (first letter upper), or None."""
    if (found := labelled(sentence)) is not None:
        return found
    for pattern in (_DEADLINE, _PERIODIC):
        match = pattern.search(sentence)
        if match:
            return _tidy(match.group(0))
    if match := _RHYTHM.search(sentence):
        prefix = "Định kỳ " if re.search(r"định kỳ\s+$", sentence[: match.start()], re.I) else ""
        return prefix + match.group(0).lower() if prefix else _tidy(match.group(0))
    if _WITHIN_YEAR.search(sentence):
        return _tidy(_WITHIN_YEAR.search(sentence).group(0))  # type: ignore[union-attr]
    if _ONGOING.search(sentence):
        return "Thường xuyên trong năm"
    return None


def periodless_report(sentence: str) -> bool:
    """ "Định kỳ tổng hợp, báo cáo ..." with no period named."""
    return bool(_PERIODLESS.search(sentence) and REPORT_WORDS.search(sentence))


def report_periods(whens: list[str]) -> str:
    """The ND 09/2019 periods the plan's own reports use, as one expression."""
    words = " ".join(w.lower() for w in whens)
    parts = [
        label
        for label, pattern in (
            ("quý", r"quý"),
            ("06 tháng", r"6 tháng|sáu tháng"),
            ("năm", r"năm"),
        )
        if re.search(pattern, words)
    ]
    return "Định kỳ " + ", ".join(parts or ["quý", "06 tháng", "năm"])


def without_time(sentence: str, when: str | None) -> str:
    """The sentence as a task title: its leading time words and label taken off."""
    text = _LABELLED.sub("", sentence).strip(" .;-")
    if when and text.lower().startswith(when.lower()):
        text = text[len(when) :].strip(" ,.;")
    return (text[:1].upper() + text[1:]).rstrip(" .;/")
