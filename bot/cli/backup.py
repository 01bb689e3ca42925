"""``nhacviec backup --out FILE`` and ``nhacviec restore FILE`` (see ``bot.backup``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.common import AddCommand, CommandError, Commands, Context
from messages import backup as texts
from messages.dates import VN_TZ
from messages.i18n import _


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    """Write the database and the evidence folder into one archive, while the bot runs."""
    from bot.backup import BackupError, backup

    now = ctx.clock.now()
    default = f"nhacviec-backup-{now.astimezone(VN_TZ):%Y%m%d-%H%M}.tar.gz"
    files = ctx.config.files
    try:
        done = backup(
            ctx.config.database.url, Path(files.evidence_dir), Path(args.out or default), now
        )
    except BackupError as error:
        raise CommandError(str(error)) from error
    except OSError as error:
        raise CommandError(texts.tool_failed("backup", str(error))) from error
    print(texts.written(str(done.archive), done.database, done.files))
    return 0


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    """Bring a backup back into an empty database and an empty evidence folder."""
    from bot.backup import BackupError, restore

    folder = ctx.config.files.evidence_dir
    try:
        done = restore(Path(args.file), ctx.config.database.url, Path(folder))
    except BackupError as error:
        raise CommandError(str(error)) from error
    except OSError as error:
        raise CommandError(texts.tool_failed("restore", str(error))) from error
    print(texts.restored(str(done.archive), done.database, done.files, folder))
    return 0


def add_backup_commands(commands: Commands, add: AddCommand) -> None:
    """Register ``backup`` and ``restore`` under ``commands``."""
    out = add(commands, "backup", cmd_backup, _("sao lưu cơ sở dữ liệu và tệp minh chứng"))
    out.add_argument(
        "--out", metavar=_("TỆP"), help=_("tệp .tar.gz (mặc định nhacviec-backup-NGÀY-GIỜ.tar.gz)")
    )
    back = add(commands, "restore", cmd_restore, _("khôi phục bản sao lưu vào chỗ trống"))
    back.add_argument("file", metavar=_("TỆP"))
