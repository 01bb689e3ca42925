"""Administration on the command line: a code for several officers, a unit's officers and
groups, removing one, the open codes and revoking one; each in the audit log."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, col, select

from bot.core.bot import ChatCore
from bot.core.types import ChatKind, IncomingMessage
from storage.engine import make_engine
from storage.models import AuditLog, Member
from storage.store import SqlStore
from tests.conftest import PLANS
from tests.test_plan_year import CLOCK, config, run  # noqa: F401  config: the fixture


def _register(config: Path, name: str, code: str) -> None:  # noqa: F811
    engine = make_engine(config.read_text(encoding="utf-8").split('"')[1])
    core = ChatCore(SqlStore(engine), CLOCK)
    core.handle(
        IncomingMessage("telegram", name, ChatKind.PRIVATE, name, name, f"/dangky {code}", "1")
    )


def test_officers_and_invites_on_the_command_line(config, capsys):  # noqa: F811
    run(capsys, config, "plan", "load", str(PLANS / "cua-lo-2024.toml"))
    code, out, _ = run(capsys, config, "invite", "NV", "--plan", "cua-lo-2024", "--uses", "2")
    assert code == 0 and "dùng được cho 2 cán bộ" in out
    invite = out.splitlines()[-1]
    _register(config, "An", invite)
    _register(config, "Bình", invite)
    code, out, _ = run(capsys, config, "officer", "list", "NV")
    engine = make_engine(config.read_text(encoding="utf-8").split('"')[1])
    with Session(engine) as session:
        ids = {m.display_name: m.id for m in session.exec(select(Member))}
    assert out.splitlines() == [
        "Phòng Nội vụ thị xã (kế hoạch cua-lo-2024)",
        "Cán bộ đã đăng ký:",
        f"  #{ids['An']} An (telegram)",
        f"  #{ids['Bình']} Bình (telegram)",
        "Đơn vị chưa có nhóm chat; nhắc việc gửi riêng cho từng cán bộ.",
    ]
    code, out, _ = run(capsys, config, "officer", "remove", "NV", str(ids["An"]))
    assert code == 0 and out.startswith("Đã xóa An khỏi Phòng Nội vụ thị xã")
    code, _, err = run(capsys, config, "officer", "remove", "NV", str(ids["An"]))
    assert code == 1 and "không có cán bộ số" in err
    assert "Không có mã mời nào còn dùng được" in run(capsys, config, "invites", "list")[1]
    _, out, _ = run(capsys, config, "invite", "VHTT")
    second = out.splitlines()[-1]
    _, out, _ = run(capsys, config, "invites", "list", "--plan", "cua-lo-2024")
    assert f"{second}: Phòng Văn hóa" in out and "còn 1/1 lượt" in out
    code, out, _ = run(capsys, config, "invites", "revoke", second)
    assert code == 0 and out.startswith(f"Đã hủy mã {second}")
    code, _, err = run(capsys, config, "invite", "--leadership", "--uses", "3")
    assert code == 1 and "--uses" in err
    with Session(engine) as session:
        actions = session.exec(select(AuditLog.action).order_by(col(AuditLog.id))).all()
    assert {"officer.remove", "invite.revoke", "invite.create"} <= set(actions)
