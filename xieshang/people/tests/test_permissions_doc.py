"""docs/permissions.md is what the code says: written from the rules, workflows and pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from xieshang.core.rules import PERMISSIONS
from xieshang.core.workflow import Workflow
from xieshang.people.permissions_doc import render

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"


@pytest.mark.django_db
def test_the_permissions_document_is_current() -> None:
    assert DOC.read_text() == render(), "run `python manage.py permissions_doc`"


@pytest.mark.django_db
def test_it_names_every_permission_and_every_transition() -> None:
    text = render()
    assert all(f"`{name}`" in text for name in PERMISSIONS)
    for workflow in Workflow.registry:
        assert all(f"`{t.perm}`" in text for t in workflow.table.values())
    assert "| `/work/suggestions/` | `suggestions:inbox` | `suggestions.read_suggestion` |" in text
    assert "| `/t/<str:code>/` | `suggestions:track` | public |" in text
