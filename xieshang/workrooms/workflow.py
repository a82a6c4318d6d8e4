"""The workroom's life: prepared, then active, suspended and resumed by staff. Its
timeline also shows the evidence recorded and confirmed for its standard."""

from django.utils.translation import gettext_lazy as _

from xieshang.core.workflow import Transition, Workflow
from xieshang.people.access import Role
from xieshang.workrooms.models import Workroom, WorkroomStatus

S = WorkroomStatus
MANAGERS = frozenset({Role.WORKROOM_COORDINATOR, Role.ADMINISTRATOR})

WORKROOM_WORKFLOW: Workflow[Workroom] = Workflow(
    model=Workroom,
    states=WorkroomStatus,
    transitions=[
        Transition(S.PREPARING, "activate", S.ACTIVE, MANAGERS, _("Activate"), public=True),
        Transition(
            S.ACTIVE, "suspend", S.SUSPENDED, MANAGERS, _("Suspend"), True, note_required=True
        ),
        Transition(S.SUSPENDED, "resume", S.ACTIVE, MANAGERS, _("Resume"), public=True),
    ],
    # Steps of the workroom's standard, recorded on its timeline without a state change.
    labels={
        "evidence_record": _("Evidence recorded"),
        "evidence_confirm": _("Evidence confirmed"),
    },
)
