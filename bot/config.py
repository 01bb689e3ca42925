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
class ClockConfig:
    mode: str = "real"  # "simulated": starts at ``start``, runs ``speed`` times real time
    start: str = "2024-02-26T07:55:00+07:00"
    speed: float = 3600.0


@dataclass
class CalendarConfig:
    extra_days_off: list[str] = field(default_factory=list)  # ISO dates
    extra_working_days: list[str] = field(default_factory=list)


@dataclass
class RemindersConfig:
    """The default reminder policy (see scheduler/policy.py), per-plan overrides in ``plans``,
    and the sending window, tick and retry limits of the outbox."""

    before: list[int] = field(default_factory=lambda: [7, 3, 1])
    at: str = "08:00"
    on_due_day: bool = True
    after_every: int = 2
    after_max: int = 10
    escalate_after: int = 5
    window_start: str = "07:30"
    window_end: str = "17:30"
    tick_seconds: float = 30.0
    give_up_after_hours: float = 24.0  # undelivered this long after due: failed
    plans: dict[str, Any] = field(default_factory=dict)


@dataclass
class SummariesConfig:
    """The summaries the leadership chats get unasked (see scheduler/summaries.py)."""

    weekly: str = "0 8 * * mon"  # crontab "minute hour day month weekday", local time; "": off
    missed: bool = True  # the morning after a missed deadline, the units that missed it
    missed_at: str = "08:00"
    chart: bool = True  # the progress chart after the weekly summary's text


@dataclass
class InvitesConfig:
    ttl_days: int = 7  # how long an invite code stays usable


@dataclass
class TelegramConfig:
    """The Telegram bot: see the README's Telegram section and config.example.toml."""

    enabled: bool = False
    token: str = field(default="", repr=False)  # or NHACVIEC_TELEGRAM_TOKEN; never logged
    api_base_url: str = "https://api.telegram.org"
    mode: str = "polling"  # or "webhook"
    webhook_url: str = ""  # webhook mode: the public HTTPS address Telegram posts to
    secret_token: str = field(default="", repr=False)  # or NHACVIEC_TELEGRAM_SECRET


@dataclass
class WebConfig:
    """The one web server of the webhooks (and of Zalo's public files), when needed."""

    listen_host: str = "127.0.0.1"
    listen_port: int = 8080


@dataclass
class ZaloConfig:
    """The Zalo bot: see the README's Zalo section and config.example.toml."""

    enabled: bool = False
    token: str = field(default="", repr=False)  # or NHACVIEC_ZALO_TOKEN; never logged
    api_base_url: str = "https://bot-api.zaloplatforms.com"
    mode: str = "polling"  # or "webhook"
    webhook_url: str = ""  # webhook mode: the public HTTPS address Zalo posts to
    secret_token: str = field(default="", repr=False)  # or NHACVIEC_ZALO_SECRET
    poll_timeout: int = 30  # seconds a getUpdates call waits for an update
    monthly_budget: int = 3000  # outbound messages a month (0: no limit)
    public_files_url: str = ""  # where files_dir is served publicly ("": files not sent)
    files_dir: str = "zalo-files"


@dataclass
class Config:
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    general: GeneralConfig = field(default_factory=GeneralConfig)
    operators: OperatorsConfig = field(default_factory=OperatorsConfig)
    clock: ClockConfig = field(default_factory=ClockConfig)
    calendar: CalendarConfig = field(default_factory=CalendarConfig)
    reminders: RemindersConfig = field(default_factory=RemindersConfig)
    summaries: SummariesConfig = field(default_factory=SummariesConfig)
    invites: InvitesConfig = field(default_factory=InvitesConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    web: WebConfig = field(default_factory=WebConfig)
    zalo: ZaloConfig = field(default_factory=ZaloConfig)
    path: Path | None = None


# Secrets and deployment details the operator may keep out of the file.
ENVIRONMENT = {
    "NHACVIEC_DATABASE_URL": ("database", "url"),
    "NHACVIEC_TELEGRAM_TOKEN": ("telegram", "token"),
    "NHACVIEC_TELEGRAM_SECRET": ("telegram", "secret_token"),
    "NHACVIEC_ZALO_TOKEN": ("zalo", "token"),
    "NHACVIEC_ZALO_SECRET": ("zalo", "secret_token"),
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
    if not 1 <= config.invites.ttl_days <= 365:
        raise ConfigError(
            f"invites.ttl_days: cần từ 1 đến 365 ngày, không phải {config.invites.ttl_days!r}"
        )
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
    from bot.timing import check_timing  # here: bot.timing itself imports this module

    check_timing(config)  # [clock], [calendar], [reminders], [summaries]
    if not 1 <= config.web.listen_port <= 65535:
        raise ConfigError(
            f"web.listen_port: cần từ 1 đến 65535, không phải {config.web.listen_port!r}"
        )
    from bot.telegram.settings import check_telegram

    check_telegram(config)
    from bot.zalo.settings import check_zalo

    check_zalo(config)


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
