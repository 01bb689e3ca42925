"""Reading the operator's configuration: a TOML file, defaults for every key, secrets from
the environment, every key checked.

``--config PATH`` names the file; without it ``./config.toml`` is read when present and
the built-in defaults apply otherwise. Every key is checked at start: an unknown key,
a wrong type or an impossible value is refused with the key and the reason, so a typo
never silently turns a feature off. The sections with checks of their own are checked
by their part: ``bot.timing`` (``[clock]``, ``[calendar]``, ``[reminders]``,
``[summaries]``), ``bot.telegram.settings`` and ``bot.zalo.settings``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, get_type_hints
from zoneinfo import ZoneInfo

from bot.config import Config, ConfigError
from bot.telegram.settings import check_telegram
from bot.timing import check_timing
from bot.zalo.settings import check_zalo
from messages.i18n import _

DEFAULT_PATH = Path("config.toml")

# Secrets and deployment details the operator may keep out of the file.
ENVIRONMENT = {
    "NHACVIEC_DATABASE_URL": ("database", "url"),
    "NHACVIEC_TELEGRAM_TOKEN": ("telegram", "token"),
    "NHACVIEC_TELEGRAM_SECRET": ("telegram", "secret_token"),
    "NHACVIEC_ZALO_TOKEN": ("zalo", "token"),
    "NHACVIEC_ZALO_SECRET": ("zalo", "secret_token"),
    "NHACVIEC_WEB_SECRET": ("web", "secret"),
}

LANGUAGES = ("vi", "en")


def _check_type(key: str, value: Any, expected: Any) -> Any:
    origin = getattr(expected, "__origin__", None)
    if origin is list:
        (item_type,) = expected.__args__
        if not isinstance(value, list):
            raise ConfigError(
                key, _("cần một danh sách, không phải {value}").format(value=repr(value))
            )
        # Platform ids may be written as numbers (Telegram's are); they are kept as text.
        if item_type is str:
            return [str(item) for item in value]
        return value
    if expected is str and not isinstance(value, str):
        reason = _("cần một chuỗi ký tự, không phải {value}")
    elif expected is int and (isinstance(value, bool) or not isinstance(value, int)):
        reason = _("cần một số nguyên, không phải {value}")
    elif expected is float and (isinstance(value, bool) or not isinstance(value, int | float)):
        reason = _("cần một số, không phải {value}")
    elif expected is bool and not isinstance(value, bool):
        reason = _("cần true hoặc false, không phải {value}")
    else:
        return value
    raise ConfigError(key, reason.format(value=repr(value)))


def _fill(section: Any, values: dict[str, Any], prefix: str) -> None:
    hints = get_type_hints(type(section))
    known = {f.name for f in fields(section)} - {"path"}
    for key, value in values.items():
        dotted = f"{prefix}{key}"
        if key not in known:
            raise ConfigError(dotted, _("khóa không có trong cấu hình (xem config.example.toml)"))
        current = getattr(section, key)
        if is_dataclass(current):
            if not isinstance(value, dict):
                raise ConfigError(dotted, _("cần một bảng [{table}]").format(table=dotted))
            _fill(current, value, f"{dotted}.")
        else:
            setattr(section, key, _check_type(dotted, value, hints[key]))


def _validate(config: Config) -> None:
    if not 1 <= config.invites.ttl_days <= 365:
        raise ConfigError(
            "invites.ttl_days",
            _("cần từ 1 đến 365 ngày, không phải {value}").format(
                value=repr(config.invites.ttl_days)
            ),
        )
    if config.general.language not in LANGUAGES:
        raise ConfigError(
            "general.language",
            _("chỉ nhận {choices}, không phải {value}").format(
                choices=", ".join(LANGUAGES), value=repr(config.general.language)
            ),
        )
    try:
        ZoneInfo(config.general.timezone)
    except Exception as error:
        raise ConfigError(
            "general.timezone",
            _("không biết múi giờ {value}").format(value=repr(config.general.timezone)),
        ) from error
    if not config.database.url.startswith(("sqlite", "postgresql", "postgres")):
        raise ConfigError(
            "database.url",
            _("chỉ dùng được SQLite (sqlite:///...) hoặc PostgreSQL (postgresql://...)"),
        )
    check_timing(config)  # [clock], [calendar], [reminders], [summaries]
    if not config.files.evidence_dir:
        raise ConfigError("files.evidence_dir", _("không được để trống"))
    if not 1 <= config.files.evidence_max_mb <= 20:
        raise ConfigError(
            "files.evidence_max_mb",
            _("cần từ 1 đến 20 (MB), không phải {value}").format(
                value=repr(config.files.evidence_max_mb)
            ),
        )
    if not 1 <= config.web.listen_port <= 65535:
        raise ConfigError(
            "web.listen_port",
            _("cần từ 1 đến 65535, không phải {value}").format(value=repr(config.web.listen_port)),
        )
    check_page(config)
    check_telegram(config)
    check_zalo(config)


def check_page(config: Config) -> None:
    """``[web] public_url`` turns the leaders' page on; its links need a long secret."""
    url = config.web.public_url
    if url and not url.startswith(("https://", "http://")):
        raise ConfigError(
            "web.public_url",
            _("cần một địa chỉ https://..., không phải {value}").format(value=repr(url)),
        )
    if url and len(config.web.secret) < 16:
        raise ConfigError(
            "web.secret",
            _("trang tổng hợp cần một chuỗi bí mật từ 16 ký tự (hoặc NHACVIEC_WEB_SECRET)"),
        )


def load_config(path: Path | None = None, environ: dict[str, str] | None = None) -> Config:
    """Read ``path`` (or ./config.toml when present), apply the environment, validate."""
    environ = dict(os.environ if environ is None else environ)
    config = Config()
    if path is None and DEFAULT_PATH.exists():
        path = DEFAULT_PATH
    if path is not None:
        try:
            raw = path.read_bytes()
        except OSError as error:
            reason = _("không đọc được tệp cấu hình ({reason})").format(reason=error.strerror)
            raise ConfigError(str(path), reason) from error
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise ConfigError(str(path), _("tệp cấu hình phải mã hóa UTF-8")) from error
        except tomllib.TOMLDecodeError as error:
            reason = _("không phải TOML hợp lệ ({reason})").format(reason=error)
            raise ConfigError(str(path), reason) from error
        _fill(config, data, "")
        config.path = path
    for variable, (section, key) in ENVIRONMENT.items():
        if environ.get(variable):
            setattr(getattr(config, section), key, environ[variable])
    _validate(config)
    return config
