"""Choices where a platform has no buttons (Zalo, the console): numbered lines, answered by
typing the number (the core reads a typed number as the choice)."""

from __future__ import annotations

from collections.abc import Sequence


def numbered(text: str, labels: Sequence[str]) -> str:
    """``text``, then one ``n. label`` line per choice."""
    lines = [text] if text else []
    lines.extend(f"{n}. {label}" for n, label in enumerate(labels, 1))
    return "\n".join(lines)
