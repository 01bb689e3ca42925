"""The console channel and the operator's commands, end to end through ``nhacviec``.

The transcript test is the issue's "done when": two units of Cửa Lò 2024 register and
report, a leader asks for the summary in the leadership group; the whole output is
compared with ``tests/transcripts/cua-lo-2024.txt`` (counts, units and dates included).
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.cli import main
from scheduler.clock import SimulatedClock
from storage.engine import make_engine
from storage.models import AuditLog, InviteCode, Report
from tests.conftest import PLANS

TRANSCRIPTS = Path(__file__).parent / "transcripts"
START = datetime(2024, 3, 4, 1, 0, tzinfo=UTC)


@pytest.fixture
def config(tmp_path: Path, sqlite_url: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = "{sqlite_url}"\n[operators]\nconsole = ["Quản trị"]\n',
        encoding="utf-8",
    )
    return path


def run(capsys, config: Path, *argv: str, clock=None) -> tuple[int, str, str]:
    code = main([*argv, "--config", str(config)], clock=clock or SimulatedClock(START))
    out, err = capsys.readouterr()
    return code, out, err


def test_invite_prints_the_code_last(capsys, config, sqlite_url):
    assert run(capsys, config, "plan", "load", str(PLANS / "cua-lo-2024.toml"))[0] == 0
    code, out, _err = run(capsys, config, "invite", "NV", "--plan", "cua-lo-2024")
    assert code == 0
    *text, last = out.strip().splitlines()
    assert text == [
        "Mã mời cho Phòng Nội vụ thị xã (kế hoạch cua-lo-2024), dùng một lần, hết hạn lúc "
        "08:00 11/03/2024. Người nhận gõ /dangky MÃ trong chat riêng với bot, hoặc trong nhóm "
        "của đơn vị để nhóm nhận nhắc việc:"
    ]
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        invite = session.exec(select(InviteCode)).one()
        assert invite.code == last and invite.role == "member"
        assert session.exec(select(AuditLog).where(AuditLog.action == "invite.create")).one()
    engine.dispose()
    assert run(capsys, config, "invite", "--coordinator", "--plan", "cua-lo-2024")[0] == 0
    assert run(capsys, config, "invite", "--leadership")[1].strip().splitlines()[-1].isalnum()
    for argv, message in (
        (("invite", "NV", "--plan", "khong-co"), "Không có kế hoạch mã khong-co"),
        (("invite", "XYZ"), "Không có đơn vị mã XYZ trong kế hoạch nào đã nạp."),
        (("invite",), "Hãy ghi mã đơn vị (kèm --plan), hoặc --leadership, hoặc --coordinator."),
        (("invite", "--leadership", "--plan", "cua-lo-2024"), "không kèm --plan"),
    ):
        code, _out, err = run(capsys, config, *argv)
        assert code == 1 and message in err, err


def _codes(capsys, config) -> dict[str, str]:
    run(capsys, config, "plan", "load", str(PLANS / "cua-lo-2024.toml"))
    codes = {}
    for key, argv in (
        ("NV", ("invite", "NV", "--plan", "cua-lo-2024")),
        ("PHUONG", ("invite", "UBND-PHUONG", "--plan", "cua-lo-2024")),
        ("LEAD", ("invite", "--leadership")),
    ):
        codes[key] = run(capsys, config, *argv)[1].strip().splitlines()[-1]
    return codes


def _fill(text: str, codes: dict[str, str]) -> str:
    for key, code in codes.items():
        text = text.replace("{" + key + "}", code)
    return text


def test_the_cua_lo_transcript(capsys, config, tmp_path, sqlite_url, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the files the bot sends are written under it
    codes = _codes(capsys, config)
    golden = _fill((TRANSCRIPTS / "cua-lo-2024.txt").read_text("utf-8"), codes)
    script = tmp_path / "script.txt"
    script.write_text(golden, encoding="utf-8")  # the replies in it are indented: ignored
    code, out, err = run(capsys, config, "chat", "--script", str(script))
    assert (code, err) == (0, "")
    if os.environ.get("NHACVIEC_REGENERATE_TRANSCRIPTS") == "1":  # after a deliberate change
        for key, value in codes.items():
            out = out.replace(value, "{" + key + "}")
        (TRANSCRIPTS / "cua-lo-2024.txt").write_text(out, encoding="utf-8")
        pytest.skip("transcript regenerated: review it with git diff")
    assert out == golden
    # The figures the leader reads, spelled out (they are in the golden file too).
    # The ten ongoing duties ("Thường xuyên trong năm") are counted apart, never as missing.
    assert "Đầu việc đã đến kỳ: 20" in out
    assert "- Hoàn thành: 2 (10%); đúng hạn 0, trễ hạn 2" in out
    assert "- Chưa báo cáo: 16 đầu việc của 10 đơn vị" in out
    assert "Nhiệm vụ thường xuyên: 10 (đã có báo cáo 0), theo dõi qua báo cáo định kỳ" in out
    assert "- T3 · Tháng 3/2024 · hạn 31/03/2024 (quá 2 ngày): Phòng Nội vụ thị xã" in out
    assert "- T4 · Ủy ban nhân dân các phường: chưa có kinh phí in tờ rơi (06/03/2024)" in out
    chart = tmp_path / "nhacviec-tep" / "tien-do-cua-lo-2024-2024-04-02.png"
    assert f"(đã ghi tệp: {chart.relative_to(tmp_path)})" in out
    assert chart.read_bytes().startswith(b"\x89PNG")
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        stored = [
            (r.status, r.percent, r.late) for r in session.exec(select(Report).order_by(Report.id))
        ]
        audit = session.exec(select(AuditLog).where(AuditLog.platform == "console")).all()
    engine.dispose()
    assert stored == [
        ("done", 100, True),
        ("in_progress", 40, False),
        ("done", 100, True),
        ("blocked", None, False),
        ("done", 100, True),
    ]
    messages = [
        line
        for line in golden.splitlines()
        if "@" in line and ": " in line and not line.startswith((" ", "#", "@"))
    ]
    assert len(audit) == len(messages)  # every chat action is in the audit log


def test_a_bad_script_is_refused_whole(capsys, config, tmp_path):
    script = tmp_path / "bad.txt"
    script.write_text("An@private: /start\nkhông có người gửi\n", encoding="utf-8")
    code, out, err = run(capsys, config, "chat", "--script", str(script))
    assert code == 1 and out == ""
    assert "dòng 2: cần dạng người gửi@chat: tin nhắn" in err
    script.write_text("@time 2024-03-05 09:00\nAn@private: /start\n", encoding="utf-8")
    from scheduler.clock import RealClock

    code, out, err = run(capsys, config, "chat", "--script", str(script), clock=RealClock())
    assert code == 1 and "@time chỉ dùng được với đồng hồ mô phỏng" in err


def test_interactive_chat(capsys, config, monkeypatch):
    run(capsys, config, "plan", "load", str(PLANS / "cua-lo-2024.toml"))
    monkeypatch.setattr("sys.stdin", io.StringIO("/start\n/mamoi lanhdao\n"))
    code, out, _err = run(capsys, config, "chat", "--as", "Quản trị")
    assert code == 0
    assert out.startswith("Đang chat với bot Nhắc việc, tên Quản trị, trong chat riêng.")
    assert "quản trị viên: dùng được mọi lệnh" in out
    assert "Mã mời cho lãnh đạo, dùng một lần" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("/tonghop\n"))
    code, out, _err = run(capsys, config, "chat", "--as", "Ai đó", "--chat", "Nhóm mới")
    assert "trong nhóm Nhóm mới" in out and "Nhóm này chưa đăng ký với bot." in out


def test_invite_lifetime_is_configured(tmp_path, capsys, sqlite_url):
    from bot.config import ConfigError
    from bot.config_load import load_config
    from bot.runtime import core_settings

    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = "{sqlite_url}"\n[invites]\nttl_days = 30\n'
        "[operators]\ntelegram = [12345]\n",
        encoding="utf-8",
    )
    settings = core_settings(load_config(path, environ={}))
    assert settings.invite_ttl.days == 30
    assert settings.is_operator("telegram", "12345") and not settings.is_operator("zalo", "12345")
    assert run(capsys, path, "plan", "load", str(PLANS / "cua-lo-2024.toml"))[0] == 0
    assert "hết hạn lúc 08:00 03/04/2024" in run(capsys, path, "invite", "--leadership")[1]
    path.write_text("[invites]\nttl_days = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"invites\.ttl_days"):
        load_config(path, environ={})
