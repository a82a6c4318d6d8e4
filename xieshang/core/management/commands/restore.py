"""python manage.py restore FILE: into a new, empty database (and empty uploads), then
checked against the backup's counts, sampled rows and upload hashes (core/backups.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xieshang.core.backups import BackupError, backup_key, backup_restore


class Command(BaseCommand):
    help = "Restore an encrypted backup into an empty database and check it (key: BACKUP_KEY)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a file written by `manage.py backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        if not source.is_file():
            raise CommandError(f"{source} is not a file")
        try:
            key = backup_key(os.environ.get("BACKUP_KEY"))
            with source.open("rb") as stream:
                summary = backup_restore(source=stream, key=key)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored and checked: {summary.rows} rows of {summary.models} models, "
            f"{summary.files} uploads ({summary.bytes} bytes)."
        )
