"""The layering of DESIGN.md: the chat core and ``messages`` reach storage only through plain
models, never through a query, a session or the ORM.

Read from the source with ``ast`` (every import, those inside functions too), so that a
lazy import cannot slip by. Allowed from ``storage``: the tables (``storage.models``, whose
column types in ``storage.types`` come with them) and the plain data modules listed in
``PLAIN``, which themselves import no ORM and no part of ``storage`` but those. The check
follows imports through our own packages too: a module of the core that imported a helper
of ``scheduler`` that read the database would break the layering as surely as reading it
itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("bot/core", "messages")  # every module under these folders
OURS = ("bot", "messages", "scheduler", "storage")
ORM = ("sqlmodel", "sqlalchemy")
TABLES = "storage.models"  # the tables: SQLModel classes, used as plain rows by the core
PLAIN = frozenset(
    {
        "storage.filestore",  # StoredFile: the file store, a folder, no database
        "storage.history",  # ReportRecord, SentReminder, EvidenceRecord
        "storage.progress",  # PlanProgress, Entry, ... and the plain summarize/open_entries
        "storage.records",  # the values crossing the Store boundary
        "storage.summary",  # PlanSummary, UnitStanding, ... and natural_key
        "storage.task_rows",  # TaskRow
        "storage.timezone",  # VN_TZ, the one time zone
    }
)
ALLOWED = PLAIN | {TABLES}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def module_path(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imports(source: str, name: str, is_package: bool = False) -> set[str]:
    """Every module ``source`` (the module ``name``) imports, anywhere in its body.

    ``from a import b`` counts as ``a``, and as ``a.b`` when that is a module of ours.
    """
    found: set[str] = set()
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            for alias in node.names:
                if module_path(f"{base}.{alias.name}") is not None:
                    found.add(f"{base}.{alias.name}")
    return found


def imports_of(name: str) -> set[str]:
    path = module_path(name)
    assert path is not None, name
    return imports(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")


def _top(name: str) -> str:
    return name.partition(".")[0]


def breaches(name: str, imported: set[str]) -> list[str]:
    """What of ``imported`` a module on the core's side may not import."""
    wrong = []
    for target in sorted(imported):
        if _top(target) in ORM:
            wrong.append(f"{name} imports {target}")
        elif _top(target) == "storage" and target != "storage" and target not in ALLOWED:
            wrong.append(f"{name} imports {target}, not a plain storage module")
    return wrong


def checked_modules() -> list[str]:
    return sorted(
        module_name(path) for folder in CHECKED for path in ROOT.glob(f"{folder}/**/*.py")
    )


def _parents(name: str) -> list[str]:
    """The packages Python imports before ``name``: ``bot`` and ``bot.core`` for ``bot.core.x``."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def reached_from(start: str) -> dict[str, str]:
    """Every module of ours that importing ``start`` runs, each with the chain that reaches
    it; the tables are not followed (they are the ORM's, and allowed)."""
    chains = {start: start}
    todo = [start]
    while todo:
        current = todo.pop()
        if current == TABLES:
            continue
        for target in imports_of(current) | set(_parents(current)):
            for module in [*_parents(target), target]:
                if _top(module) in OURS and module not in chains and module_path(module):
                    chains[module] = f"{chains[current]} -> {module}"
                    todo.append(module)
    return chains


def test_the_checked_folders_and_the_plain_modules_exist():
    assert len(checked_modules()) > 30
    assert {"bot.core.bot", "messages.exports.workbook"} <= set(checked_modules())
    assert all(module_path(name) is not None for name in ALLOWED)


@pytest.mark.parametrize("name", checked_modules())
def test_core_and_messages_import_only_plain_storage(name):
    wrong = breaches(name, imports_of(name))
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_plain_storage_modules_import_no_orm_and_only_plain_storage(name):
    wrong = breaches(name, imports_of(name))
    assert not wrong, "\n".join(wrong)


def test_nothing_the_core_and_messages_import_reaches_the_database():
    wrong: set[str] = set()
    for start in checked_modules():
        for module, chain in reached_from(start).items():
            if module != TABLES:
                wrong.update(
                    f"{problem} (via {chain})" for problem in breaches(module, imports_of(module))
                )
    assert not wrong, "\n".join(sorted(wrong))


def test_the_check_sees_lazy_relative_and_from_package_imports():
    source = """
from __future__ import annotations
import sqlalchemy.orm
from storage import progress, progress_queries
from . import labels

def later():
    from sqlmodel import Session
    from storage.history_queries import report_records
"""
    found = imports(source, "messages.exports.workbook")
    assert {"sqlalchemy.orm", "storage.progress", "storage.progress_queries"} <= found
    assert {"messages.exports.labels", "sqlmodel", "storage.history_queries"} <= found
    assert breaches("m", found) == [
        "m imports sqlalchemy.orm",
        "m imports sqlmodel",
        "m imports storage.history_queries, not a plain storage module",
        "m imports storage.progress_queries, not a plain storage module",
    ]
