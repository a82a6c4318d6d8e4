"""The workroom's life: prepared, then active, suspended and resumed by staff. Its
timeline also shows the evidence recorded and confirmed for its standard."""

from xieshang.core.workflow import Transition, Workflow
from xieshang.workrooms.models import Workroom, WorkroomAction, WorkroomStatus

S = WorkroomStatus
Do = WorkroomAction

WORKROOM_WORKFLOW: Workflow[Workroom] = Workflow(
    model=Workroom,
    states=WorkroomStatus,
    actions=WorkroomAction,
    transitions=[
        Transition(S.PREPARING, Do.ACTIVATE, S.ACTIVE, public=True),
        Transition(S.ACTIVE, Do.SUSPEND, S.SUSPENDED, public=True, note_required=True),
        Transition(S.SUSPENDED, Do.RESUME, S.ACTIVE, public=True),
    ],
)
