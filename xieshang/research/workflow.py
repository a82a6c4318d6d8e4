"""The life of a research report: drafted, submitted for review, approved by the chairs'
meeting (or sent back). Who may take each step is the permission it names (rules.py)."""

from __future__ import annotations

from xieshang.core.workflow import Transition, Workflow
from xieshang.research.models import Report, ReportStatus, ResearchAction

S = ReportStatus
A = ResearchAction

REPORT_WORKFLOW: Workflow[Report] = Workflow(
    model=Report,
    states=ReportStatus,
    actions=ResearchAction,
    transitions=[
        Transition(S.DRAFT, A.SUBMIT, S.SUBMITTED),
        Transition(S.SUBMITTED, A.SEND_BACK, S.DRAFT, note_required=True),
        Transition(S.SUBMITTED, A.ADOPT, S.ADOPTED),
    ],
)
