from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xieshang.search.services import entries_rebuild


class Command(BaseCommand):
    help = "Index every suggestion and proposal again (after a dictionary change or an upgrade)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = entries_rebuild()
        self.stdout.write(f"indexed {count}")
