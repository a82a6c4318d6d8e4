from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xieshang.performance.services import schemes_complete


class Command(BaseCommand):
    help = (
        "Give point schemes set up before a kind of record existed the default rule for it "
        "(history and event kept; kinds staff set or removed are left alone). Safe to repeat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None, help="only the schemes of this year")

    def handle(self, *args: Any, **options: Any) -> None:
        count = schemes_complete(year=options["year"])
        self.stdout.write(f"completed {count} schemes")
