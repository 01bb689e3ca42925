"""Translations: every user-visible text goes through ``_`` (or ``ngettext``) here.

The message ids are the Vietnamese texts, since Vietnamese is the bot's language and
its wording is what reviewers read; the ``en`` catalog translates them. Catalogs are
gettext ``.po`` files under ``messages/locale``; the build compiles them to ``.mo``, and
a source checkout without ``.mo`` files compiles them in memory on first use.
The language of the current reply is a context variable, set per chat by the core.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "vi"
LANGUAGES = ("vi", "en")

_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of ``language``; Vietnamese ids are their own translation."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    mo_path = folder / f"{DOMAIN}.mo"
    po_path = folder / f"{DOMAIN}.po"
    if mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if po_path.exists():
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return Translations(buffer, domain=DOMAIN)
    return NullTranslations()


def current_language() -> str:
    return _language.get()


@contextmanager
def language(code: str | None) -> Iterator[None]:
    """Within the block, ``_`` translates to ``code`` (Vietnamese when None or unknown)."""
    token = _language.set(code if code in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


def _(message: str) -> str:
    """Translate ``message`` (a Vietnamese text) into the current language."""
    return translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(_language.get()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it now (it is data, such as
    a command's description, translated with ``_`` where it is shown)."""
    return message
