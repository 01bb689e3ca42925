"""The ``[zalo]`` section: defaults, secrets from the environment, refusals naming the key,
and the token never repeated (not in an error, not in the configuration's repr)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.config_load import load_config
from bot.zalo.settings import url_path, webhook_path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "1234567890123456789:QpWx9vT3kLmN8rS2uYz5aBcD"
SECRET = "mot-chuoi-bi-mat-dai"


def load(tmp_path: Path, text: str, environ: dict[str, str] | None = None):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, environ=environ or {})


def test_zalo_is_off_by_default_and_the_example_documents_the_defaults(tmp_path):
    example = load_config(ROOT / "config.example.toml", environ={}).zalo
    default = load(tmp_path, "").zalo
    assert example == default
    assert (default.enabled, default.mode, default.monthly_budget) == (False, "polling", 3000)
    assert default.api_base_url == "https://bot-api.zaloplatforms.com"


def test_the_token_and_secret_come_from_the_environment_and_never_show(tmp_path):
    config = load(
        tmp_path,
        '[zalo]\nenabled = true\nmode = "webhook"\n'
        'webhook_url = "https://bot.example.gov.vn/zalo/hook"\n',
        {"NHACVIEC_ZALO_TOKEN": TOKEN, "NHACVIEC_ZALO_SECRET": SECRET},
    )
    assert (config.zalo.token, config.zalo.secret_token) == (TOKEN, SECRET)
    assert TOKEN not in repr(config) and SECRET not in repr(config)
    assert webhook_path(config.zalo.webhook_url) == "/zalo/hook"
    assert url_path("https://bot.example.gov.vn/tep/") == "/tep"


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ('mode = "push"', "zalo.mode: chỉ nhận polling hoặc webhook, không phải 'push'"),
        ('api_base_url = "bot-api.zapps.me"', "zalo.api_base_url: cần địa chỉ dạng"),
        ("poll_timeout = 0", "zalo.poll_timeout: cần từ 1 đến 120 giây, không phải 0"),
        ("monthly_budget = -1", "zalo.monthly_budget: cần một số không âm (0: không giới hạn)"),
        ('monthly_budget = "3000"', "zalo.monthly_budget: cần một số nguyên"),
        ('public_files_url = "ftp://x"', "zalo.public_files_url: cần địa chỉ HTTPS công khai"),
        ('secret_token = "ngắn"', "zalo.secret_token: cần từ 8 đến 256 ký tự"),
        ("enabled = true", "zalo.token: chưa có token đúng dạng của bot Zalo"),
        (f'enabled = true\ntoken = "{TOKEN} x"', "zalo.token: chưa có token đúng dạng"),
        (
            f'enabled = true\ntoken = "{TOKEN}"\nmode = "webhook"',
            "zalo.webhook_url: chế độ webhook cần địa chỉ HTTPS công khai",
        ),
        (
            f'enabled = true\ntoken = "{TOKEN}"\nmode = "webhook"\n'
            'webhook_url = "http://bot.example.gov.vn/zalo"',
            "zalo.webhook_url: chế độ webhook cần địa chỉ HTTPS công khai",
        ),
        (
            f'enabled = true\ntoken = "{TOKEN}"\nmode = "webhook"\n'
            'webhook_url = "https://bot.example.gov.vn/zalo"',
            "zalo.secret_token: chế độ webhook cần một chuỗi bí mật từ 8 đến 256 ký tự",
        ),
        ("tokn = 'x'", "zalo.tokn: khóa không có trong cấu hình"),
    ],
)
def test_a_section_the_bot_could_not_run_with_is_refused(tmp_path, section, message):
    with pytest.raises(ConfigError) as refused:
        load(tmp_path, f"[zalo]\n{section}\n")
    assert str(refused.value).startswith(message)
    assert TOKEN not in str(refused.value)


def test_a_working_webhook_section(tmp_path):
    config = load(
        tmp_path,
        f'[zalo]\nenabled = true\ntoken = "{TOKEN}"\nmode = "webhook"\n'
        f'webhook_url = "https://bot.example.gov.vn/zalo/"\nsecret_token = "{SECRET}"\n'
        'api_base_url = "https://bot-api.zapps.me/"\nmonthly_budget = 0\n'
        'public_files_url = "https://bot.example.gov.vn/tep/"\n',
    )
    assert config.zalo.api_base_url == "https://bot-api.zapps.me"
    assert config.zalo.public_files_url == "https://bot.example.gov.vn/tep"
    assert webhook_path(config.zalo.webhook_url) == "/zalo"
