"""The build compiles the catalogs: ``setup.py``'s hook writes ``.mo`` files gettext reads."""

from __future__ import annotations

import gettext
import runpy

from tests.conftest import ROOT


def test_the_build_hook_compiles_every_catalog(tmp_path):
    hook = runpy.run_path(str(ROOT / "setup.py"), run_name="nhacviec_setup")
    written = hook["compile_catalogs"](ROOT / "messages" / "locale", tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "en/LC_MESSAGES/messages.mo",
        "vi/LC_MESSAGES/messages.mo",
    ]
    english = gettext.translation("messages", tmp_path, languages=["en"])
    assert english.gettext("Đã hủy, không có gì được lưu.") == "Cancelled; nothing was stored."
    assert english.ngettext("{n} nhiệm vụ", "{n} nhiệm vụ", 2) == "{n} tasks"
    assert issubclass(hook["BuildWithCatalogs"], hook["build_py"])
