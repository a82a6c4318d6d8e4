"""python manage.py backup [--output FILE]: the database and the uploads, encrypted with
BACKUP_KEY (see core/backups.py and README.md, Production)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xieshang.core.backups import BackupError, backup_key, backup_name, backup_write


class Command(BaseCommand):
    help = "Write an encrypted backup of the database and the uploads (key: BACKUP_KEY)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="the file to write (default: a dated name)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key = backup_key(os.environ.get("BACKUP_KEY"))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        target = Path(options["output"] or backup_name())
        if target.exists():
            raise CommandError(f"{target} exists: choose another --output")
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("xb") as out:
                summary = backup_write(out=out, key=key)
            partial.rename(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(
            f"{target}: {summary.rows} rows of {summary.models} models, "
            f"{summary.files} uploads ({summary.bytes} bytes), {target.stat().st_size} bytes"
        )
