"""Checking the ``[telegram]`` section of the configuration at start.

Kept apart from the adapter so that reading the configuration does not import
python-telegram-bot. Error texts name the key and what is expected, and never repeat a
token or a secret: the operator's terminal may be shared or logged.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.config import Config, ConfigError
from messages.i18n import _

MODES = ("polling", "webhook")
TOKEN = re.compile(r"\d{3,20}:[A-Za-z0-9_-]{20,100}")
SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def webhook_path(webhook_url: str) -> str:
    """The path Telegram posts to, which the web server must serve."""
    return urlsplit(webhook_url).path or "/"


def check_telegram(config: Config) -> None:
    """Refuse a ``[telegram]`` section the bot could not run with; normalize the URLs."""
    section = config.telegram
    if section.mode not in MODES:
        reason = _("chỉ nhận polling hoặc webhook, không phải {value}")
        raise ConfigError("telegram.mode", reason.format(value=repr(section.mode)))
    base = urlsplit(section.api_base_url)
    if base.scheme not in ("http", "https") or not base.netloc or base.query:
        reason = _('cần địa chỉ dạng "https://api.telegram.org", không phải {value}')
        raise ConfigError("telegram.api_base_url", reason.format(value=repr(section.api_base_url)))
    section.api_base_url = section.api_base_url.rstrip("/")
    if section.secret_token and not SECRET.fullmatch(section.secret_token):
        raise ConfigError(
            "telegram.secret_token",
            _("cần từ 1 đến 256 ký tự, chỉ gồm chữ không dấu, số, _ và -"),
        )
    if not section.enabled:
        return
    if not section.token:
        raise ConfigError(
            "telegram.token",
            _(
                "chưa có token của bot (lấy từ @BotFather); ghi vào tệp cấu hình "
                "hoặc đặt biến môi trường NHACVIEC_TELEGRAM_TOKEN"
            ),
        )
    if not TOKEN.fullmatch(section.token):
        raise ConfigError(
            "telegram.token",
            _("không đúng dạng token của @BotFather (số, dấu hai chấm, rồi một chuỗi chữ và số)"),
        )
    if section.mode == "webhook":
        url = urlsplit(section.webhook_url)
        local = url.hostname in LOOPBACK
        if not (url.scheme == "https" or (url.scheme == "http" and local)) or not url.netloc:
            raise ConfigError(
                "telegram.webhook_url",
                _(
                    "chế độ webhook cần địa chỉ HTTPS công khai mà Telegram "
                    'gửi tới, ví dụ "https://bot.example.gov.vn/telegram"'
                ),
            )
        if not section.secret_token:
            raise ConfigError(
                "telegram.secret_token",
                _(
                    "chế độ webhook cần một chuỗi bí mật (1-256 ký tự: chữ "
                    "không dấu, số, _ và -); đặt trong tệp cấu hình hoặc biến môi trường "
                    "NHACVIEC_TELEGRAM_SECRET"
                ),
            )
