"""The operator's configuration as data: one dataclass per section, defaults for every key.

A leaf: it imports nothing of the bot, so every part may take a ``Config`` (or its own
section) without importing how the file is read. Reading the TOML file and the
environment, and checking every key, is ``bot.config_load.load_config``;
``config.example.toml`` documents every key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.timezone import VN_TZ


class ConfigError(Exception):
    """The configuration cannot be used: ``key`` names the key (or the file), ``reason``
    says why, in the operator's language."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(key, reason)
        self.key = key
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}"


@dataclass
class DatabaseConfig:
    url: str = "sqlite:///nhacviec.db"


@dataclass
class GeneralConfig:
    language: str = "vi"
    timezone: str = VN_TZ.key


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
    """The one web server of the webhooks, of Zalo's public files and of the leaders' page."""

    listen_host: str = "127.0.0.1"
    listen_port: int = 8080
    public_url: str = ""  # where the leaders' page is reached ("": no page, /xem says so)
    secret: str = field(default="", repr=False)  # or NHACVIEC_WEB_SECRET: signs page links


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
class FilesConfig:
    """The evidence file store: the photos and files sent with reports, named by hash."""

    evidence_dir: str = "evidence"  # a folder (relative: to the current folder)
    evidence_max_mb: int = 20  # larger files are refused (Telegram lets bots fetch 20 MB)


@dataclass
class Config:
    """The whole configuration; ``path`` is the file it was read from (None: defaults)."""

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
    files: FilesConfig = field(default_factory=FilesConfig)
    path: Path | None = None
