"""The words people type instead of commands and choices, in Vietnamese and English.

They are matched after ``fold``: lower case, diacritics removed, đ read as d, runs of
spaces as one, so "Hoàn thành", "hoan thanh" and "HOÀN  THÀNH" are the same answer.
Words of both languages are understood whatever language the chat has chosen.
"""

from __future__ import annotations

import re
import unicodedata

from storage.models import ReportStatus


def fold(text: str) -> str:
    """``Đang Thực hiện`` -> ``dang thuc hien``."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", bare).strip().lower()


# Plain words that start a command in a private chat (and, alone, in a group), keyed by
# the name its handler declares in bot.core.
COMMAND_WORDS: dict[str, tuple[str, ...]] = {
    "giup": ("giúp", "trợ giúp", "hướng dẫn"),
    "dangky": ("đăng ký", "đăng kí"),
    "nhiemvu": ("nhiệm vụ",),
    "hanchot": ("hạn chót",),
    "baocao": ("báo cáo",),
    "giahan": ("gia hạn", "xin gia hạn"),
    "tonghop": ("tổng hợp",),
    "quahan": ("quá hạn",),
    "chuabaocao": ("chưa báo cáo",),
    "xuat": ("xuất", "xuất excel"),
    "baocaoky": ("báo cáo kỳ", "báo cáo định kỳ"),
    "minhchung": ("minh chứng",),
    "sukien": ("sự kiện",),
    "xem": ("xem trang",),
    "huy": ("hủy", "huỷ", "thôi"),
    "ngonngu": ("ngôn ngữ",),
    "xacnhan": ("xác nhận",),
    "canbo": ("cán bộ", "danh sách cán bộ"),
    "xoacanbo": ("xóa cán bộ", "xoá cán bộ"),
    "dsmamoi": ("danh sách mã mời",),
    "huymamoi": ("hủy mã mời", "huỷ mã mời"),
    "duyet": ("duyệt",),
}

# What a status answer may be; longest phrases are tried first.
STATUS_WORDS: dict[ReportStatus, tuple[str, ...]] = {
    ReportStatus.NOT_STARTED: (
        "chưa bắt đầu",
        "chưa làm",
        "chưa thực hiện",
        "chưa triển khai",
        "chưa tiến hành",
        "not started",
        "not yet started",
    ),
    ReportStatus.IN_PROGRESS: (
        "đang thực hiện",
        "đang làm",
        "đang triển khai",
        "đang tiến hành",
        "đang",
        "in progress",
        "in-progress",
        "ongoing",
        "underway",
        "started",
    ),
    ReportStatus.DONE: (
        "hoàn thành",
        "đã hoàn thành",
        "hoàn tất",
        "đã hoàn tất",
        "xong",
        "đã xong",
        "làm xong",
        "đã làm xong",
        "thực hiện xong",
        "đã thực hiện xong",
        "xong xuôi",
        "done",
        "completed",
        "complete",
        "finished",
    ),
    ReportStatus.BLOCKED: (
        "vướng mắc",
        "vướng",
        "bị vướng",
        "đang vướng",
        "có vướng mắc",
        "gặp vướng mắc",
        "khó khăn",
        "gặp khó khăn",
        "blocked",
        "stuck",
    ),
}

# Words that close a sentence without adding to it ("xong rồi ạ", "50% nhé"): after a
# status or a percent they are dropped, never kept as the note. Folded.
PARTICLES = frozenset(
    fold(word)
    for word in (
        "rồi", "ạ", "à", "nhé", "nhe", "nha", "nhá", "nhen", "nhỉ", "nè", "luôn", "ok", "oke",
        "okay", "thanks", "thank", "you", "cảm", "cám", "ơn", "already",
    )
)  # fmt: skip
# Particles that may also begin an English note ("a new panel"): dropped only when
# nothing but particles follows.
LONE_PARTICLES = frozenset(("a", "you"))

YES_WORDS = ("có", "đúng", "đúng rồi", "đồng ý", "chắc chắn", "ok", "yes", "y", "sure")
NO_WORDS = ("không", "ko", "k", "thôi", "giữ nguyên", "no", "n", "keep")

SKIP_WORDS = ("bỏ qua", "không", "không có", "-", "skip", "no", "none")
FINISH_WORDS = ("xong", "xong rồi", "hết", "done", "finish", "ok")
CANCEL_WORDS = ("hủy", "huỷ", "thôi", "cancel", "/huy", "/cancel")
LEADERSHIP_WORDS = ("lanhdao", "lãnh đạo", "leadership", "leader")
COORDINATOR_WORDS = ("daumoi", "đầu mối", "coordinator")


def is_one_of(text: str, words: tuple[str, ...]) -> bool:
    return fold(text) in {fold(word) for word in words}


def phrase_prefix(text: str, phrase: str) -> str | None:
    """The rest of ``text`` after ``phrase`` (matched folded, ignoring a comma or a colon
    after its last word), or None if ``text`` does not start with it."""
    tokens = list(re.finditer(r"\S+", text))
    size = len(phrase.split())
    if len(tokens) < size:
        return None
    words = [t.group() for t in tokens[:size]]
    words[-1] = words[-1].rstrip(",;:.!")
    if fold(" ".join(words)) != fold(phrase):
        return None
    return text[tokens[size - 1].end() :].strip()


def without_particles(text: str) -> str:
    """``text`` after the particles it starts with: ``rồi ạ, đã nộp`` -> ``đã nộp``."""
    tokens = list(re.finditer(r"[^\s,;:.!?]+", text))
    if all(fold(t.group()) in PARTICLES for t in tokens):
        return ""
    end = 0
    for token in tokens:
        word = fold(token.group())
        if word not in PARTICLES or word in LONE_PARTICLES:
            break
        end = token.end()
    return text[end:].lstrip(" ,;:.!?") if end else text


def status_prefix(text: str) -> tuple[ReportStatus, str] | None:
    """The status a text starts with and the rest of the text, or None."""
    candidates = sorted(
        ((status, word) for status, words in STATUS_WORDS.items() for word in words),
        key=lambda pair: -len(pair[1].split()),
    )
    for status, phrase in candidates:
        rest = phrase_prefix(text, phrase)
        if rest is not None:
            return status, rest
    return None
