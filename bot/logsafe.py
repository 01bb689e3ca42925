"""Keeping secrets out of the log: bot tokens sit in every Bot API URL.

httpx logs each request's URL at INFO (``POST https://api.telegram.org/bot<TOKEN>/...``),
and an exception text may quote a URL too. Filters on loggers do not see records of
their child loggers, so the scrubbing happens where every record is born: a log record
factory that, once a secret is registered, replaces it in the message and in the
traceback text with a short hint such as ``<telegram-token>``. Registering is cheap and
idempotent; nothing is scrubbed until a secret is known.
"""

from __future__ import annotations

import logging
import threading
import traceback
from typing import Any

_lock = threading.Lock()
_secrets: dict[str, str] = {}  # secret -> what is written instead
_installed = False
_QUIET = ("httpx", "httpcore")  # their INFO lines are one per request: noise, and URLs


def hide_secret(secret: str | None, label: str) -> None:
    """From now on, write ``<label>`` wherever ``secret`` would appear in a log record."""
    global _installed
    if not secret or len(secret) < 6:  # too short to be a credential, and too common
        return
    with _lock:
        _secrets[secret] = f"<{label}>"
        if not _installed:
            _install()
            _installed = True


def scrub(text: str) -> str:
    """``text`` with every registered secret replaced."""
    for secret, hint in list(_secrets.items()):
        if secret in text:
            text = text.replace(secret, hint)
    return text


def quiet_http_clients() -> None:
    """Keep httpx's one-line-per-request INFO logs out of the operator's log."""
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)


def _install() -> None:
    make_record = logging.getLogRecordFactory()

    def scrubbing_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if not _secrets:
            return record
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it for logging to report
            return record
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            # Formatted now, scrubbed, and kept: formatters use exc_text when it is set.
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = scrub(text)
        return record

    logging.setLogRecordFactory(scrubbing_factory)
