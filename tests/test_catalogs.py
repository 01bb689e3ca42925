"""Every text the code shows goes through the catalogs, and the English one translates all.

The message ids are extracted from the code by Babel (``_``, ``ngettext``, ``N_``) with
the mapping of ``messages/babel.cfg``; an id the English catalog lacks, or translates with
other placeholders, fails the test with its place in the code.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from messages.i18n import LOCALE_DIR, _, language, ngettext

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "scheduler", "storage", "messages")
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def extracted() -> dict[str | tuple[str, str], str]:
    with (ROOT / "messages" / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict = {}
    for package in PACKAGES:
        for filename, line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map, options_map
        ):
            found.setdefault(message, f"{package}/{filename}:{line}")
    return found


def test_the_english_catalog_translates_every_message():
    with (LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    missing, wrong = [], []
    for message, where in extracted().items():
        msgid = message if isinstance(message, str) else message[0]
        entry = catalog.get(msgid)
        if entry is None:
            missing.append(f"{where}: {msgid!r}")
            continue
        strings = entry.string
        translations = [strings] if isinstance(strings, str) else list(strings)
        if not all(translations):
            missing.append(f"{where}: {msgid!r}")
            continue
        for translation in translations:
            if set(PLACEHOLDER.findall(translation)) != set(PLACEHOLDER.findall(msgid)):
                wrong.append(f"{where}: {msgid!r} -> {translation!r}")
    assert not missing, "no English translation for:\n" + "\n".join(missing)
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_extraction_finds_the_texts_of_every_layer():
    places = {where.split("/")[0] for where in extracted().values()}
    assert places == set(PACKAGES) - {"storage"}  # storage shows no text
    assert "Phần trăm phải là số nguyên từ 0 đến 100, ví dụ 50%." in extracted()
    assert "/baocao [mã nhiệm vụ] [tình trạng hoặc %] [ghi chú]" in extracted()  # N_


def test_the_catalogs_are_used():
    with language("en"):
        assert _("Đã hủy, không có gì được lưu.") == "Cancelled; nothing was stored."
        assert ngettext("Minh chứng: {n} tệp", "Minh chứng: {n} tệp", 2) == "Evidence: {n} files"
    with language("vi"):
        assert _("Đã hủy, không có gì được lưu.") == "Đã hủy, không có gì được lưu."
    with (LOCALE_DIR / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        read_po(handle)
