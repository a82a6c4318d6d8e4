"""`manage.py seed_demo`: load the demo data (safe to run again) and list the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xieshang.demo.members import demo_logins_table
from xieshang.demo.seed import seed_demo


class Command(BaseCommand):
    help = "加载演示数据（可重复运行，不会重复创建），并列出演示账号。"

    def handle(self, *args: Any, **options: Any) -> None:
        seed_demo(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(demo_logins_table())
