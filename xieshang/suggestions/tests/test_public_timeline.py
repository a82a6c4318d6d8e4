"""The citizen's timeline (tracking and follow pages) shows the committee and the step,
not staff names nor internal notes; what each step's note shows is decided per event kind
(issue 19, privacy)."""

from __future__ import annotations

from django.test import Client

from xieshang.suggestions import services
from xieshang.suggestions.models import SuggestionStatus
from xieshang.suggestions.selectors import PUBLIC_NOTE, public_timeline
from xieshang.suggestions.tests.conftest import submit
from xieshang.suggestions.workflow import SUGGESTION_WORKFLOW

INSTRUCTION = "请务必于本周内联系该群众并核实情况"


def test_the_public_timeline_hides_staff_names_and_instructions(cast, places) -> None:
    suggestion = submit(cast)
    services.suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    services.referral_create(
        suggestion=suggestion, department=cast.department, instructions=INSTRUCTION,
        actor=cast.staff,
    )  # fmt: skip
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.HANDLING
    body = Client().get(f"/t/{suggestion.tracking_code}/").content.decode()
    assert cast.staff.name not in body
    assert INSTRUCTION not in body
    assert cast.department.name in body  # a department's name is fine
    assert cast.tianhe.short_name in body  # the committee acted


def test_every_public_step_has_a_decision_on_its_note(cast, places) -> None:
    public_actions = {str(t.action) for t in SUGGESTION_WORKFLOW.table.values() if t.public}
    assert public_actions <= set(PUBLIC_NOTE), public_actions - set(PUBLIC_NOTE)


def test_an_answer_is_shown_with_its_note(cast, places) -> None:
    suggestion = submit(cast)
    services.suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    answer = "已安排维修，三日内完成。"
    services.suggestion_answer(suggestion=suggestion, actor=cast.staff, answer=answer)
    steps = public_timeline(suggestion)
    assert steps[-1].note == "已安排维修，三日内完成。"
    assert all(step.who != cast.staff.name for step in steps)
