"""Long replies are cut at line boundaries, never inside a word, to each platform's limit."""

from __future__ import annotations

import random

from messages.escape import inline
from messages.split import LIMITS, split_message, split_text, units


def test_short_text_is_one_message():
    assert split_message("Chào anh/chị.", "zalo") == ["Chào anh/chị."]


def test_cut_at_line_ends_within_the_limit():
    lines = [f"- Đơn vị số {n}: hoàn thành {n}/{n + 3}; quá hạn 0" for n in range(400)]
    text = "\n".join(lines)
    for platform in ("telegram", "zalo", "console"):
        parts = split_message(text, platform)
        assert len(parts) > 1
        assert all(units(part) <= LIMITS[platform] for part in parts)
        assert [line for part in parts for line in part.split("\n")] == lines


def test_a_long_line_is_cut_between_words():
    rng = random.Random(7)
    words = ["nhiệm", "vụ", "tuyên", "truyền", "cải", "cách", "hành", "chính", "😀"]
    line = " ".join(rng.choice(words) for _ in range(3000))
    parts = split_text(line, 500)
    assert all(units(part) <= 500 for part in parts)
    assert " ".join(parts).split(" ") == line.split(" ")  # no word was cut


def test_emoji_count_two_like_telegram():
    assert units("😀") == 2 and units("Việt") == 4
    parts = split_text("😀" * 3000, 4096)
    assert all(units(part) <= 4096 for part in parts) and "".join(parts) == "😀" * 3000


def test_user_text_is_shown_on_one_clean_line():
    assert inline("dòng 1\nT9 · hoàn thành\u202e\x07 xong", 100) == "dòng 1 T9 · hoàn thành xong"
    assert inline("a" * 50, 10) == "aaaaaaaaa…"
