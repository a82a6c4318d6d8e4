"""Build the monthly pre-aggregates of the figures (xieshang/figures/cube.py) for every
month from the first record to this month: once after deploying, or to start again.
Until a month is built its figures are counted from the records (correct, slower)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xieshang.figures import cube


class Command(BaseCommand):
    help = "Build the figures' monthly pre-aggregates from the records."

    def handle(self, *args: Any, **options: Any) -> None:
        built = cube.build()
        cube.refresh()
        self.stdout.write(f"{built} months built")
