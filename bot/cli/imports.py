"""``nhacviec plan import FILE [--out DRAFT.toml]``: a plan document into a draft plan file.

The document (.docx, text-layer .pdf, .txt, .md) is read by ``scheduler.importer``;
the draft is written in the format of ``plans/`` and checked with the plan file reader
before the review is printed, so that what is written loads as it is. Nothing is
loaded into the database: the operator checks the draft, then runs ``plan load``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.common import AddCommand, CommandError, Commands, Context
from messages.i18n import _


def read_source(path: Path, cap: int | None = None) -> bytes:
    """The file's bytes, after checking its size without reading it."""
    from scheduler.importer import MAX_BYTES, Unreadable
    from scheduler.importer.reading import check_size

    try:
        check_size(path.name, path.stat().st_size, MAX_BYTES if cap is None else cap)
        return path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Không đọc được tệp {name} ({reason}).").format(name=path, reason=error.strerror)
        ) from error
    except Unreadable as error:
        raise CommandError(str(error)) from error


def cmd_plan_import(ctx: Context, args: argparse.Namespace) -> int:
    """Read a plan document and write its draft plan file, then print the review."""
    from messages.plan_import import review_text
    from scheduler.importer import Unreadable, import_document
    from scheduler.importer.writer import draft_toml
    from scheduler.planfile import PlanFileInvalid, parse_plan

    source = Path(args.file)
    data = read_source(source)
    code = Path(args.out).stem if args.out else None
    try:
        draft = import_document(source.name, data, code=code)
    except Unreadable as error:
        raise CommandError(str(error)) from error
    out = Path(args.out) if args.out else Path(f"{draft.code}.toml")
    if out.exists() and not args.out:
        raise CommandError(_("Tệp {file} đã có; hãy chọn tên khác với --out.").format(file=out))
    text = draft_toml(draft, source.name)
    try:
        parse_plan(text.encode("utf-8"), str(out))
    except PlanFileInvalid as error:  # the writer's mistake: say so rather than write it
        raise CommandError(
            _("Bản nháp không nạp được:\n{problems}").format(problems=str(error))
        ) from error
    out.write_text(text, encoding="utf-8")
    print(review_text(draft, str(out)))
    return 0


def add_import_command(plan_commands: Commands, add: AddCommand) -> None:
    """Add ``import`` to the ``plan`` sub-commands."""
    command = add(
        plan_commands,
        "import",
        cmd_plan_import,
        _("đọc văn bản kế hoạch (.docx, .pdf, .txt, .md) thành tệp nháp .toml"),
    )
    command.add_argument("file", metavar=_("TỆP"))
    command.add_argument("--out", metavar=_("TỆP_NHÁP"), help=_("nơi ghi tệp nháp (.toml)"))
