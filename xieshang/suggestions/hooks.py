"""Where higher apps join the life of a suggestion (see core/hooks.py).

The apps above (proposals, consultations, opinions, results, insights…) register in their
`AppConfig.ready()`; the suggestions app calls these hooks and never imports them.
"""

from __future__ import annotations

from typing import Any

from xieshang.core.hooks import Hook, Section
from xieshang.suggestions.models import Suggestion

# The citizen's tracking page (/t/<code>/): what became of the suggestion in other apps
# (the proposal developed from it, the consultation topic it joined, the 社情民意 item it
# was reported as, the result it led to). Receivers get the suggestion whose progress is
# shown and return a Section, or None. Public: no personal data, no internal notes.
tracking_sections: Hook[[Suggestion], Section] = Hook(
    "suggestions.tracking_sections", "Sections of the public tracking page."
)

# The staff's page of a suggestion (/work/suggestions/<pk>/): receivers get the user and the
# suggestion (which the user may see) and return a Section (similar suggestions, hints,
# a form to make it a consultation topic…), or None.
staff_sections: Hook[[Any, Suggestion], Section] = Hook(
    "suggestions.staff_sections", "Sections of the staff's suggestion page."
)

# The same page's data from higher apps, merged into its context (the triage aids give
# "similar" and "hints", which the page places beside the category and the referral).
staff_context: Hook[[Any, Suggestion], dict[str, Any]] = Hook("suggestions.staff_context")

# Staff chose a category / a department for a suggestion (in its transaction): the triage
# aids record whether their hint was taken.
category_chosen: Hook[[Suggestion, int], None] = Hook("suggestions.category_chosen")
department_chosen: Hook[[Suggestion, int], None] = Hook("suggestions.department_chosen")

# Staff made the suggestion a consultation topic (列为协商议题), in that transaction:
# receivers get the suggestion, the actor and the staff's note, and create or join a topic.
topic_made: Hook[[Suggestion, Any, str], None] = Hook("suggestions.topic_made")

# Staff forwarded the suggestion as 社情民意 information (in that transaction): the
# opinions app writes the draft item, for the chosen member (a Member id of the
# suggestion's committee) or, with None, for the liaison office. Receivers get the
# suggestion, the staff user and the member id; raising refuses the whole step.
forwarded_as_opinion: Hook[[Suggestion, Any, int | None], None] = Hook(
    "suggestions.forwarded_as_opinion", "A suggestion forwarded as 社情民意 information."
)
