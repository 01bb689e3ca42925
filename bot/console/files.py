"""The files the bot sends in the terminal chat (a chart, /xuat's workbook, /baocaoky's
draft), written to a folder so they can be opened: the terminal shows no files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the terminal chat's parser loads this module: keep the core out
    from bot.core.types import OutgoingFile

DEFAULT_FOLDER = "nhacviec-tep"


def save(file: OutgoingFile, folder: Path) -> Path:
    """Write ``file`` into ``folder`` under its own name (a later one of the same name
    replaces it) and return the path written."""
    name = PurePath(file.filename).name or "tep"  # never a path of the sender's making
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(file.content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
