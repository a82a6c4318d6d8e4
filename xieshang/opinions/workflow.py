"""The life of a 社情民意 item: states and transitions. Who may take each transition is the
permission it names (`opinions/rules.py`)."""

from __future__ import annotations

from xieshang.core.workflow import Transition, Workflow
from xieshang.opinions.models import Item, ItemStatus, OpinionAction

S = ItemStatus
A = OpinionAction

ITEM_WORKFLOW: Workflow[Item] = Workflow(
    model=Item,
    states=ItemStatus,
    actions=OpinionAction,
    transitions=[
        Transition(S.DRAFT, A.SUBMIT, S.SUBMITTED),
        Transition(S.RETURNED, A.SUBMIT, S.SUBMITTED),
        Transition(S.SUBMITTED, A.SEND_BACK, S.RETURNED, note_required=True),
        Transition(S.SUBMITTED, A.ADOPT, S.ADOPTED),
        Transition(S.SUBMITTED, A.DECLINE, S.NOT_ADOPTED, note_required=True),
        Transition(S.ADOPTED, A.ISSUE, S.ISSUED),
    ],
)
