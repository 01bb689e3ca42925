"""Showing user-typed text back (notes, names, titles) so it can never break a message.

Replies are plain text, but a note may carry line breaks, control characters or bidi
overrides that would fake extra lines in a summary or reverse the text around it.
``inline`` makes such text one clean line, cut to a length with an ellipsis.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings, overrides and isolates: they reorder the text that follows them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPACES = re.compile(r"\s+")


def is_unsafe(char: str) -> bool:
    """A control character (other than line breaks and tabs) or a bidi control."""
    if char in "\n\t":
        return False
    return unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS


def inline(text: str | None, limit: int | None = None) -> str:
    """``text`` NFC-normalized on one line, unsafe characters removed, at most ``limit``
    characters (the last one an ellipsis when cut)."""
    if not text:
        return ""
    clean = "".join(" " if is_unsafe(c) else c for c in unicodedata.normalize("NFC", text))
    clean = _SPACES.sub(" ", clean).strip()
    if limit is not None and len(clean) > limit:
        clean = clean[: limit - 1].rstrip() + "…"
    return clean
