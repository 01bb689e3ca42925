"""Checking the ``[zalo]`` section of the configuration at start.

Kept apart from the adapter: reading the configuration starts nothing. Error texts name
the key and what is expected, and never repeat the token or the secret: the operator's
terminal may be shared or logged.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.config import Config, ConfigError
from messages.i18n import _

MODES = ("polling", "webhook")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
POLL_TIMEOUTS = range(1, 121)


def url_path(url: str) -> str:
    """The path of ``url`` without a trailing slash ("" for the root): where the web app
    serves what Zalo (or a user's phone) fetches from that public address."""
    return urlsplit(url).path.rstrip("/")


def webhook_path(webhook_url: str) -> str:
    """The path Zalo posts to, which the web server must serve."""
    return url_path(webhook_url) or "/"


def _is_secret(secret: str) -> bool:
    # Printable ASCII without spaces: it travels back in an HTTP header.
    return 8 <= len(secret) <= 256 and all("!" <= char <= "~" for char in secret)


def _public_url(url: str) -> bool:
    """An https:// address, or http:// on this machine (tests, a local proxy)."""
    parts = urlsplit(url)
    local = parts.hostname in LOOPBACK
    return bool(parts.netloc) and (parts.scheme == "https" or (parts.scheme == "http" and local))


def check_zalo(config: Config) -> None:
    """Refuse a ``[zalo]`` section the bot could not run with; normalize the URLs."""
    section = config.zalo
    if section.mode not in MODES:
        reason = _("chỉ nhận polling hoặc webhook, không phải {value}")
        raise ConfigError("zalo.mode", reason.format(value=repr(section.mode)))
    base = urlsplit(section.api_base_url)
    if base.scheme not in ("http", "https") or not base.netloc or base.query:
        reason = _('cần địa chỉ dạng "https://bot-api.zaloplatforms.com", không phải {value}')
        raise ConfigError("zalo.api_base_url", reason.format(value=repr(section.api_base_url)))
    section.api_base_url = section.api_base_url.rstrip("/")
    if section.poll_timeout not in POLL_TIMEOUTS:
        reason = _("cần từ 1 đến 120 giây, không phải {value}")
        raise ConfigError("zalo.poll_timeout", reason.format(value=repr(section.poll_timeout)))
    if section.monthly_budget < 0:
        reason = _("cần một số không âm (0: không giới hạn), không phải {value}")
        raise ConfigError("zalo.monthly_budget", reason.format(value=repr(section.monthly_budget)))
    if section.public_files_url:
        if not _public_url(section.public_files_url):
            raise ConfigError(
                "zalo.public_files_url",
                _(
                    "cần địa chỉ HTTPS công khai của thư mục tệp, ví dụ "
                    '"https://bot.example.gov.vn/zalo-tep", hoặc để trống'
                ),
            )
        section.public_files_url = section.public_files_url.rstrip("/")
        if not section.files_dir.strip():
            reason = _("cần thư mục lưu tệp khi có zalo.public_files_url")
            raise ConfigError("zalo.files_dir", reason)
    if section.secret_token and not _is_secret(section.secret_token):
        raise ConfigError(
            "zalo.secret_token",
            _("cần từ 8 đến 256 ký tự chữ không dấu, số hoặc dấu, không có khoảng trắng"),
        )
    if not section.enabled:
        return
    token = section.token.strip()
    if not token or any(char.isspace() or char in "/?#%" for char in token) or ":" not in token:
        raise ConfigError(
            "zalo.token",
            _(
                "chưa có token đúng dạng của bot Zalo (<mã bot>:<chuỗi bí mật>, lấy ở "
                "trang Zalo Bot Platform); ghi vào tệp cấu hình hoặc đặt biến môi trường "
                "NHACVIEC_ZALO_TOKEN"
            ),
        )
    if section.mode == "webhook":
        if not _public_url(section.webhook_url):
            raise ConfigError(
                "zalo.webhook_url",
                _(
                    "chế độ webhook cần địa chỉ HTTPS công khai mà Zalo gửi tới, "
                    'ví dụ "https://bot.example.gov.vn/zalo"'
                ),
            )
        if not section.secret_token:
            raise ConfigError(
                "zalo.secret_token",
                _(
                    "chế độ webhook cần một chuỗi bí mật từ 8 đến 256 ký tự; đặt "
                    "trong tệp cấu hình hoặc biến môi trường NHACVIEC_ZALO_SECRET"
                ),
            )
