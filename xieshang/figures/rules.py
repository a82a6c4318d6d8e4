"""Who may see the figures: staff and leaders, of their committees and those below
(the selectors scope the committees); the public page needs no account."""

from __future__ import annotations

from xieshang.core.rules import permission
from xieshang.people.rules import is_leader, is_staff, is_superuser

permission(
    "figures.view_figures",
    is_superuser | is_staff | is_leader,
    doc="See the figures (履职成效) of the committee and of every committee below it, "
    "drill down to the records each counts, export them to Excel.",
)
