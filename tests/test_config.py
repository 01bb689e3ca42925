"""The configuration: defaults, the file, the environment, and refusals that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.config_load import load_config

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(None, environ={})
    assert config.database.url == "sqlite:///nhacviec.db"
    assert config.general.language == "vi"
    assert config.path is None


def test_config_toml_in_the_current_folder_is_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, '[general]\nlanguage = "en"\n')
    assert load_config(None, environ={}).general.language == "en"


def test_the_example_file_is_valid_and_documents_the_defaults():
    config = load_config(ROOT / "config.example.toml", environ={})
    assert config.database.url == "sqlite:///nhacviec.db"


def test_the_environment_overrides_the_database_url(tmp_path):
    path = write(tmp_path, '[database]\nurl = "sqlite:///a.db"\n')
    config = load_config(path, environ={"NHACVIEC_DATABASE_URL": "postgresql://u@h/db"})
    assert config.database.url == "postgresql://u@h/db"


def test_operator_ids_written_as_numbers_are_kept_as_text(tmp_path):
    config = load_config(write(tmp_path, "[operators]\ntelegram = [12345]\n"), environ={})
    assert config.operators.telegram == ["12345"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[databse]\nurl = 'x'\n",
            "databse: khóa không có trong cấu hình (xem config.example.toml)",
        ),
        ("[database]\nurl = 5\n", "database.url: cần một chuỗi ký tự, không phải 5"),
        ("[general]\nlanguage = 'fr'\n", "general.language: chỉ nhận vi, en, không phải 'fr'"),
        (
            "[general]\ntimezone = 'Mars/Olympus'\n",
            "general.timezone: không biết múi giờ 'Mars/Olympus'",
        ),
        (
            "[database]\nurl = 'mysql://x'\n",
            "database.url: chỉ dùng được SQLite (sqlite:///...) hoặc PostgreSQL (postgresql://...)",
        ),
        ("[operators]\ntelegram = '1'\n", "operators.telegram: cần một danh sách, không phải '1'"),
        ("database = 1\n", "database: cần một bảng [database]"),
    ],
)
def test_a_bad_config_is_refused_with_the_key_and_the_reason(tmp_path, text, message):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), environ={})
    assert str(caught.value) == message


def test_not_toml(tmp_path):
    with pytest.raises(ConfigError, match=r"không phải TOML hợp lệ"):
        load_config(write(tmp_path, "[database\n"), environ={})


def test_a_missing_file_named_on_the_command_line(tmp_path):
    with pytest.raises(ConfigError, match=r"không đọc được tệp cấu hình"):
        load_config(tmp_path / "nope.toml", environ={})
