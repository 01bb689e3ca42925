"""The neutral form of a plan document: paragraphs and tables, in document order.

Every reader (Word, PDF, text) produces these, and every layout reader consumes them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    across: tuple[bool, ...] = field(default=())  # the row is one cell spanning the table

    def is_across(self, index: int) -> bool:
        return index < len(self.across) and self.across[index]


Block = Paragraph | Table


def clean(text: str) -> str:
    """The text in NFC with its spaces collapsed and invisible characters dropped."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u200b", "")
    return " ".join(text.split())
