"""Dates, times and numbers as Vietnamese write them, through Babel, in the chat's language.

``Thứ Năm, 29 tháng 2, 2024`` for a full date, ``29/02/2024`` for a short one; instants are
shown in Asia/Ho_Chi_Minh whatever zone they were stored in.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from messages.i18n import current_language
from storage.timezone import VN_TZ  # also imported from here by the texts that show instants

# Babel's Vietnamese full format is "Thứ Năm, 29 tháng 2, 2024" already; English uses its own.
_FULL = {"vi": "EEEE, d 'tháng' M, y", "en": "EEEE, MMMM d, y"}
_SHORT = {"vi": "dd/MM/y", "en": "dd/MM/y"}
_TIME = {"vi": "HH:mm", "en": "HH:mm"}


def _local(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return value.astimezone(VN_TZ).date()
    return value


def full_date(value: date | datetime) -> str:
    """``Thứ Năm, 29 tháng 2, 2024``."""
    lang = current_language()
    text = format_date(_local(value), _FULL[lang], locale=lang)
    return text[:1].upper() + text[1:]


def short_date(value: date | datetime) -> str:
    """``29/02/2024``."""
    lang = current_language()
    return format_date(_local(value), _SHORT[lang], locale=lang)


def date_time(value: datetime) -> str:
    """``08:00 29/02/2024``."""
    lang = current_language()
    local = value.astimezone(VN_TZ)
    return f"{format_datetime(local, _TIME[lang], locale=lang)} {short_date(local)}"


def number(value: int | float) -> str:
    return format_decimal(value, locale=current_language())


def percent(fraction: float) -> str:
    """``0.5`` -> ``50%``."""
    return format_percent(fraction, locale=current_language())
