"""The ``nhacviec`` command as the operator types it: plan load, list, show, when, db upgrade."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from bot.cli import main
from scheduler.clock import SimulatedClock
from storage.engine import alembic_config, make_engine
from tests.conftest import PLANS
from tests.test_planfile import GOOD

CLOCK = SimulatedClock(datetime(2024, 2, 26, 1, 0, tzinfo=UTC))


@pytest.fixture
def config(tmp_path: Path, db_url: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{db_url}"\n', encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), clock=CLOCK)
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_load_then_show_cua_lo(config, capsys):
    code, out, _ = run(
        capsys, "plan", "load", str(PLANS / "cua-lo-2024.toml"), "--config", str(config)
    )
    assert code == 0
    assert out.startswith("Đã nạp kế hoạch cua-lo-2024: ")
    code, out, _ = run(capsys, "plan", "show", "cua-lo-2024", "--config", str(config))
    assert code == 0
    assert (
        out.splitlines()[0] == "Kế hoạch tuyên truyền cải cách hành chính thị xã Cửa Lò năm 2024"
    )
    # The monthly timetable of section 4.3, each with its due date.
    for due in (
        "Hạn chót: Thứ Tư, 31 tháng 1, 2024",
        "Hạn chót: Thứ Năm, 29 tháng 2, 2024",
        "Hạn chót: Chủ Nhật, 31 tháng 3, 2024",
        "Hạn chót: Thứ Ba, 30 tháng 4, 2024",
    ):
        assert due in out
    assert "T4. Tổ chức truyền thông về các tiện ích dịch vụ công trực tuyến" in out
    assert "   Thời gian: Tháng 3 đến tháng 4" in out


def test_loading_twice_says_nothing_changed(config, capsys):
    path = str(PLANS / "long-ho-2022.toml")
    run(capsys, "plan", "load", path, "--config", str(config))
    code, out, _ = run(capsys, "plan", "load", path, "--config", str(config))
    assert (code, out) == (0, "Kế hoạch long-ho-2022 không có gì thay đổi.\n")


def test_plan_list(config, capsys):
    run(
        capsys,
        "plan",
        "load",
        *(str(p) for p in sorted(PLANS.glob("*.toml"))),
        "--config",
        str(config),
    )
    code, out, _ = run(capsys, "plan", "list", "--config", str(config))
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [
        "cua-lo-2024",
        "vinh-phuc-vp-ubnd-2023",
        "long-ho-2022",
        "thuan-nam-2022",
        "kong-chro-2021",
    ]


def test_a_bad_file_is_refused_and_nothing_is_written(config, capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('lead = ["NV"]', 'lead = ["TCKH"]'), encoding="utf-8")
    good = PLANS / "cua-lo-2024.toml"
    code, out, err = run(capsys, "plan", "load", str(good), str(bad), "--config", str(config))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"Không nạp {bad}: 1 lỗi",
        "  dòng 25, tasks[1].lead: không có đơn vị hay nhóm mã TCKH",
        "Chưa nạp kế hoạch nào; hãy sửa các lỗi trên rồi nạp lại.",
    ]
    code, out, _ = run(capsys, "plan", "list", "--config", str(config))
    assert out.startswith("Chưa có kế hoạch nào.")


def test_show_an_unknown_plan(config, capsys):
    code, _, err = run(capsys, "plan", "show", "khong-co", "--config", str(config))
    assert (code, err) == (
        1,
        "Lỗi: Không có kế hoạch mã khong-co. Xem danh sách: nhacviec plan list\n",
    )


def test_when_prints_json(capsys):
    code, out, _ = run(capsys, "when", "Quý I và II/2022", "--year", "2022", "--json")
    assert code == 0
    assert json.loads(out) == {
        "kind": "window",
        "start": "2022-01-01T00:00:00+07:00",
        "due": "2022-06-30T23:59:59+07:00",
        "recurrence": None,
        "occurrences": [{"period": "Quý I–II/2022", "due": "2022-06-30T23:59:59+07:00"}],
        "event": None,
        "event_days": None,
    }


def test_when_reads_over_the_years_of_a_plan(capsys):
    code, out, _ = run(capsys, "when", "Tháng 12 hằng năm", "--year", "2025", "--until", "2027")
    assert code == 0
    assert [line.split(":")[0].strip() for line in out.splitlines()[1:]] == [
        "Tháng 12/2025",
        "Tháng 12/2026",
        "Tháng 12/2027",
    ]


def test_when_refuses_an_unreadable_expression(capsys):
    code, out, err = run(capsys, "when", "Sau Tết", "--year", "2022")
    assert (code, out, err) == (
        1,
        "",
        'Lỗi: Không đọc được mốc thời gian "Sau Tết" — không hiểu "sau tết"\n',
    )


def test_db_upgrade_says_whether_it_created_upgraded_or_found_the_schema(
    tmp_path, empty_db_url, capsys
):
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{empty_db_url}"\n', encoding="utf-8")
    head = ScriptDirectory.from_config(
        alembic_config(make_engine(empty_db_url))
    ).get_current_head()
    code, out, _ = run(capsys, "db", "upgrade", "--config", str(config))
    assert (code, out) == (0, f"Đã tạo lược đồ cơ sở dữ liệu mới (phiên bản {head}).\n")
    code, out, _ = run(capsys, "db", "upgrade", "--config", str(config))
    assert (code, out) == (0, "Cơ sở dữ liệu đã ở phiên bản mới nhất.\n")
    engine = make_engine(empty_db_url)
    command.downgrade(alembic_config(engine), "0004")
    engine.dispose()
    code, out, _ = run(capsys, "db", "upgrade", "--config", str(config))
    assert (code, out) == (0, f"Đã nâng cấp cơ sở dữ liệu từ phiên bản 0004 lên {head}.\n")


def test_an_unreachable_database_is_one_clear_line(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text('[database]\nurl = "postgresql://nobody@127.0.0.1:1/none"\n', encoding="utf-8")
    code, _, err = run(capsys, "plan", "list", "--config", str(path))
    assert code == 1
    assert err.startswith(
        "Lỗi: Không mở được cơ sở dữ liệu (postgresql+psycopg://nobody@127.0.0.1:1/none)"
    )
    assert "Traceback" not in err


def test_a_bad_config_names_the_key(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text("[database]\nurl = 5\n", encoding="utf-8")
    code, _, err = run(capsys, "plan", "list", "--config", str(path))
    assert (code, err) == (1, "Lỗi: database.url: cần một chuỗi ký tự, không phải 5\n")


def test_config_may_come_before_the_sub_command(config, capsys):
    code, out, _ = run(capsys, "--config", str(config), "db", "upgrade")
    # The test database comes migrated from the template.
    assert (code, out) == (0, "Cơ sở dữ liệu đã ở phiên bản mới nhất.\n")
    with open(config, "a", encoding="utf-8") as handle:
        handle.write("[general]\nlanguage = 'xx'\n")
    code, _, err = run(capsys, "--config", str(config), "plan", "list")
    assert code == 1 and err.startswith("Lỗi: general.language:")
