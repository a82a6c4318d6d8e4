"""The demo loaded once for this package's tests, each test inside it rolled back to the
loaded state.

Loading the demo takes a few seconds; most tests only read what it loaded. The fixture
loads it in an outer transaction that is rolled back when the package is done (with
pytest-xdist: when a worker's last test of the package is done; each worker runs its
tests in collection order, so the package's tests are together), and each
test runs in its own savepoint inside it (pytest-django's `db`), so a test that writes
leaves nothing for the next one.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from xieshang.demo.seed import seed_demo

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="package")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The demo data, loaded once for the package; the value is what the load printed."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = StringIO()
            seed_demo(stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
