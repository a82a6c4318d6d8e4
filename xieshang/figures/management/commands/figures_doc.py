from typing import Any

from django.core.management.base import BaseCommand

from xieshang.figures.docs import PATH, render


class Command(BaseCommand):
    help = "Write docs/figures.md from the figures' definitions."

    def handle(self, *args: Any, **options: Any) -> None:
        PATH.write_text(render())
        self.stdout.write(f"Wrote {PATH}")
