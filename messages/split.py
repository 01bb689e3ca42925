"""Cutting a long reply into messages a platform accepts: at line boundaries, never mid-word.

Telegram takes 4096 characters per message, Zalo 2000; the console takes what Telegram
takes so that a transcript shows what Telegram users would see. Lengths are counted in
UTF-16 code units, as Telegram counts them (an emoji counts two), which is never less
than the characters Zalo counts. Every adapter and the core use ``split_message``.
"""

from __future__ import annotations

LIMITS = {"telegram": 4096, "zalo": 2000, "console": 4096}
DEFAULT_LIMIT = 2000  # an unknown platform gets the strictest known limit


def limit_for(platform: str) -> int:
    return LIMITS.get(platform, DEFAULT_LIMIT)


def units(text: str) -> int:
    """The length of ``text`` as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _cut_line(line: str, limit: int) -> list[str]:
    """A line longer than ``limit``: cut between words; a single word longer than the
    limit (a long link) is the one thing cut inside, since it cannot fit otherwise."""
    pieces: list[str] = []
    current = ""
    for word in line.split(" "):
        candidate = f"{current} {word}" if current else word
        if units(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while units(word) > limit:
            cut = limit
            while units(word[:cut]) > limit:
                cut -= 1
            pieces.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        pieces.append(current)
    return pieces


def split_text(text: str, limit: int) -> list[str]:
    """``text`` as consecutive parts of at most ``limit`` units, cut at line ends when it
    can be, else between words. Empty lines at a cut are dropped."""
    if units(text) <= limit:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        for piece in _cut_line(line, limit) if units(line) > limit else [line]:
            extra = units(piece) + (1 if current else 0)
            if current and size + extra > limit:
                parts.append("\n".join(current).strip("\n"))
                current, size = [], 0
                extra = units(piece)
            current.append(piece)
            size += extra
    if current:
        parts.append("\n".join(current).strip("\n"))
    return [part for part in parts if part.strip()]


def split_message(text: str, platform: str) -> list[str]:
    """``text`` cut to the message limit of ``platform``."""
    return split_text(text, limit_for(platform))
