"""The operator's configuration: a TOML file, defaults for every key, secrets from the environment.

``--config PATH`` names the file; without it ``./config.toml`` is read when present and
the built-in defaults apply otherwise. Every key is checked at start: an unknown key,
a wrong type or an impossible value is refused with the key and the reason, so a typo
never silently turns a feature off. ``config.example.toml`` documents every key.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, get_type_hints

DEFAULT_PATH = Path("config.toml")


class ConfigError(Exception):
    """The configuration cannot be used; the message names the key and the reason."""


@dataclass
class DatabaseConfig:
    url: str = "sqlite:///nhacviec.db"


@dataclass
class GeneralConfig:
    language: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"


@dataclass
class OperatorsConfig:
    telegram: list[str] = field(default_factory=list)
    zalo: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


@dataclass
class Config:
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    general: GeneralConfig = field(default_factory=GeneralConfig)
    operators: OperatorsConfig = field(default_factory=OperatorsConfig)
    path: Path | None = None


# Secrets and deployment details the operator may keep out of the file.
ENVIRONMENT = {
    "NHACVIEC_DATABASE_URL": ("database", "url"),
}

LANGUAGES = ("vi", "en")


def _check_type(key: str, value: Any, expected: Any) -> Any:
    origin = getattr(expected, "__origin__", None)
    if origin is list:
        (item_type,) = expected.__args__
        if not isinstance(value, list):
            raise ConfigError(f"{key}: cần một danh sách, không phải {value!r}")
        # Platform ids may be written as numbers (Telegram's are); they are kept as text.
        if item_type is str:
            return [str(item) for item in value]
        return value
    if expected is str and not isinstance(value, str):
        raise ConfigError(f"{key}: cần một chuỗi ký tự, không phải {value!r}")
    if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(f"{key}: cần một số nguyên, không phải {value!r}")
    if expected is float and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ConfigError(f"{key}: cần một số, không phải {value!r}")
    if expected is bool and not isinstance(value, bool):
        raise ConfigError(f"{key}: cần true hoặc false, không phải {value!r}")
    return value


def _fill(section: Any, values: dict[str, Any], prefix: str) -> None:
    hints = get_type_hints(type(section))
    known = {f.name for f in fields(section)} - {"path"}
    for key, value in values.items():
        dotted = f"{prefix}{key}"
        if key not in known:
            raise ConfigError(f"{dotted}: khóa không có trong cấu hình (xem config.example.toml)")
        current = getattr(section, key)
        if is_dataclass(current):
            if not isinstance(value, dict):
                raise ConfigError(f"{dotted}: cần một bảng [{dotted}]")
            _fill(current, value, f"{dotted}.")
        else:
            setattr(section, key, _check_type(dotted, value, hints[key]))


def _validate(config: Config) -> None:
    if config.general.language not in LANGUAGES:
        raise ConfigError(
            f"general.language: chỉ nhận {', '.join(LANGUAGES)}, không phải "
            f"{config.general.language!r}"
        )
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(config.general.timezone)
    except Exception as error:
        raise ConfigError(
            f"general.timezone: không biết múi giờ {config.general.timezone!r}"
        ) from error
    if not config.database.url.startswith(("sqlite", "postgresql", "postgres")):
        raise ConfigError(
            "database.url: chỉ dùng được SQLite (sqlite:///...) hoặc PostgreSQL (postgresql://...)"
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
            raise ConfigError(f"{path}: không đọc được tệp cấu hình ({error.strerror})") from error
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise ConfigError(f"{path}: tệp cấu hình phải mã hóa UTF-8") from error
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: không phải TOML hợp lệ ({error})") from error
        _fill(config, data, "")
        config.path = path
    for variable, (section, key) in ENVIRONMENT.items():
        if environ.get(variable):
            setattr(getattr(config, section), key, environ[variable])
    _validate(config)
    return config
