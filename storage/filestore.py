"""The evidence file store: a folder where each file is named by the SHA-256 of its content.

``ab/abcdef...0123.jpg``: two letters of the hash make a sub-folder so that no folder grows
to tens of thousands of entries. The same photo sent twice is kept once; a file is
written to a temporary name and renamed into place, so a reader (a backup, ``/minhchung``)
never sees half a file and two processes writing the same file both succeed. Paths kept
in the database are relative to the store, so the folder can move (a restore elsewhere).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

_PATH = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}(\.[a-z0-9]{1,8})?$")


@dataclass(frozen=True)
class StoredFile:
    """A file in the store: its content hash, its path inside the store, its size."""

    sha256: str
    path: str
    size: int


class FileStore:
    """The folder ``root`` (made on the first write)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def put(self, content: bytes, extension: str = "") -> StoredFile:
        """Keep ``content`` (once, whatever the number of calls) and say where it is."""
        digest = hashlib.sha256(content).hexdigest()
        extension = extension.lower().lstrip(".")
        suffix = f".{extension}" if re.fullmatch(r"[a-z0-9]{1,8}", extension) else ""
        path = f"{digest[:2]}/{digest}{suffix}"
        target = self.root / path
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(content)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        return StoredFile(digest, path, len(content))

    def locate(self, path: str) -> Path:
        """The file's place on disk; ValueError for a path the store never makes."""
        if not _PATH.match(path):
            raise ValueError(f"not a file store path: {path!r}")
        return self.root / path

    def read(self, path: str) -> bytes:
        """The file's bytes; FileNotFoundError when it is not (or no longer) here."""
        return self.locate(path).read_bytes()
