"""`manage.py permissions_doc [--check]`: write docs/permissions.md from the code (or, with
--check, fail when it is not what the code says)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xieshang.people.permissions_doc import render

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"


class Command(BaseCommand):
    help = "Write docs/permissions.md from the rules, the workflows and the pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if it is out of date.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = render()
        if options["check"]:
            if not DOC.exists() or DOC.read_text() != text:
                raise CommandError(
                    "docs/permissions.md is out of date: run `manage.py permissions_doc`."
                )
            self.stdout.write("docs/permissions.md is current.")
            return
        DOC.write_text(text)
        self.stdout.write(f"Wrote {DOC}")
