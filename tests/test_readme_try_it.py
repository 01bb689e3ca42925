"""The README's "Try it without any token" block, run word for word in an empty folder
standing for a fresh clone (its ``.venv`` and ``plans/``, no configuration file): the
officer sees the deadlines of the coming days, and the files the bot sends are written
and their paths printed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def try_it_block() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    match = re.search(r"<!-- try-it -->\n```sh\n(.*?)```\n<!-- /try-it -->", readme, re.DOTALL)
    assert match, "the README has lost its try-it block"
    return match.group(1)


def test_the_readme_try_it_steps_run_as_written(tmp_path: Path):
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    (tmp_path / "plans").symlink_to(ROOT / "plans")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NHACVIEC_")}
    done = subprocess.run(
        ["bash", "-e", "-c", try_it_block()],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    out = done.stdout
    assert "Đã nạp kế hoạch cua-lo-2024: 22 nhiệm vụ" in out
    assert (
        "  → Hạn chót trong 30 ngày tới (đến Thứ Năm, 4 tháng 4, 2024):\n"
        "    - Chủ Nhật, 31 tháng 3, 2024: T3 (chủ trì) Tổ chức tập huấn" in out
    )
    assert "Tình trạng: đang thực hiện 50%" in out and "báo cáo đúng hạn." in out
    written = re.findall(r"\(đã ghi tệp: (\S+)\)", out)
    assert written == [
        "nhacviec-tep/tien-do-cua-lo-2024-2024-03-05.png",
        "nhacviec-tep/tong-hop-cua-lo-2024-2024-03-05.xlsx",
        "nhacviec-tep/bao-cao-cua-lo-2024-quy-i-2024.docx",
    ]
    heads = [b"\x89PNG", b"PK\x03\x04", b"PK\x03\x04"]
    for path, head in zip(written, heads, strict=True):
        assert (tmp_path / path).read_bytes().startswith(head)
