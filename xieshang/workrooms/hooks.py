"""Where higher apps join a workroom's pages (see core/hooks.py)."""

from __future__ import annotations

from typing import Any

from xieshang.core.hooks import Hook, Section
from xieshang.workrooms.models import Workroom

# The staff's page of a workroom (/work/workrooms/<pk>/): receivers get the user and the
# workroom (which the user may see); the activities app shows its log there.
detail_sections: Hook[[Any, Workroom], Section] = Hook(
    "workrooms.detail_sections", "Sections of the staff's workroom page."
)

# The public workroom page (/w/<code>/): who is on duty this week (duty), what its members
# have done (activities). Public: no notes, no photos, no contact details.
public_sections: Hook[[Workroom], Section] = Hook(
    "workrooms.public_sections", "Sections of the public workroom page."
)
