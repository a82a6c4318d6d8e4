"""Pages of the departments (承办单位) and the proposers' rating: the department's inbox of
assigned proposals, an assignment's page (sign for or ask to return, progress notes and
contacts with the proposer, the co-handler's opinion, the reply with its grade and letter,
the head's approval), the reply letter file, and the proposers' rating page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.decorators import workspace_required
from xieshang.core.errors import DomainError
from xieshang.core.http import file_response
from xieshang.proposals.forms.handling import (
    ActForm,
    HeadDecisionForm,
    NoteForm,
    OpinionForm,
    RatingForm,
    ReplyForm,
    first_error,
)
from xieshang.proposals.models import Assignment, AssignmentRole, AssignmentStatus
from xieshang.proposals.selectors import handling as selectors
from xieshang.proposals.selectors.handling import InboxFilter
from xieshang.proposals.services import handling as services
from xieshang.proposals.workflow import ASSIGNMENT_WORKFLOW, PROPOSAL_WORKFLOW

HANDLE = "proposals.handle_assignment"
VIEW = "proposals.view_proposal"


@workspace_required(HANDLE)
def inbox(request: HttpRequest) -> HttpResponse:
    """The proposals assigned to the user's departments, soonest due first."""
    status = request.GET.get("status", "")
    filters = InboxFilter(
        status=status if status in AssignmentStatus.values or status == "all" else "",
        overdue=request.GET.get("overdue") == "1",
    )
    rows = selectors.assignment_inbox(user=request.user, filters=filters)
    return render(
        request,
        "proposals/handling/inbox.html",
        {
            "page": Paginator(rows, 30).get_page(request.GET.get("page")),
            "filters": filters,
            "statuses": AssignmentStatus.choices,
            "counts": selectors.handling_counts(user=request.user),
        },
    )


def _detail(
    request: HttpRequest,
    assignment: Assignment,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    user = request.user
    transitions = ASSIGNMENT_WORKFLOW.available_by_action(assignment, user)
    is_clerk = user.has_perm("proposals.note_assignment", assignment)
    replying = assignment.role in services.REPLYING_ROLES
    reply = selectors.reply_of(assignment=assignment)
    proposal = assignment.proposal
    pending = (
        services.pending_co_handlers(assignment)
        if assignment.role == AssignmentRole.LEAD and "draft_reply" in transitions
        else []
    )
    reply_initial = (
        {"text": reply.text, "grade": reply.grade, "expected_state": assignment.status}
        if reply is not None
        else {"expected_state": assignment.status}
    )
    context: dict[str, Any] = {
        "assignment": assignment,
        "proposal": proposal,
        "proposers": selectors.proposers_of(proposal=proposal),
        "round_assignments": selectors.round_assignments(assignment=assignment),
        "earlier_replies": selectors.earlier_replies(assignment=assignment),
        "notes": selectors.notes_of(assignment=assignment),
        "reply": reply,
        "reply_grade": (
            selectors.grade_label(committee_id=assignment.committee_id, grade=reply.grade)
            if reply is not None
            else ""
        ),
        "opinion": selectors.opinion_of(assignment=assignment),
        "timeline": selectors.assignment_timeline(assignment=assignment),
        "can_sign": "sign" in transitions,
        "can_ask_return": "ask_return" in transitions and timezone.now() <= assignment.return_by,
        "can_note": is_clerk and assignment.status in services.NOTE_STATES,
        "can_opinion": "give_opinion" in transitions and assignment.role == AssignmentRole.CO,
        "can_reply": "draft_reply" in transitions and replying,
        "pending_co_handlers": pending,
        "can_decide": "approve_reply" in transitions,
        "act_form": forms.get("act_form") or ActForm(initial={"expected_state": assignment.status}),
        "note_form": forms.get("note_form") or NoteForm(initial={"stage": "progress"}),
        "opinion_form": forms.get("opinion_form")
        or OpinionForm(initial={"expected_state": assignment.status}),
        "reply_form": forms.get("reply_form")
        or ReplyForm(initial=reply_initial, committee_id=assignment.committee_id),
        "decision_form": forms.get("decision_form")
        or HeadDecisionForm(initial={"expected_state": assignment.status}),
    }
    return render(request, "proposals/handling/assignment.html", context, status=status)


@workspace_required(HANDLE)
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.assignment_get(user=request.user, pk=pk))


@require_POST
@workspace_required(HANDLE)
def assignment_act(request: HttpRequest, pk: int) -> HttpResponse:
    """签收, or ask to return it with a reason."""
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    form = ActForm(request.POST)
    if not form.is_valid():
        return _detail(request, assignment, act_form=form, status=400)
    expected = form.cleaned_data["expected_state"]
    if form.cleaned_data["action"] == "sign":
        services.assignment_sign(assignment=assignment, actor=request.user, expected_state=expected)
        messages.success(request, _("Signed for. Note the progress as the work goes on."))
    else:
        services.assignment_ask_return(
            assignment=assignment,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            expected_state=expected,
        )
        messages.success(request, _("The proposal office has been asked to take it back."))
    return redirect("proposals:assignment", pk=assignment.pk)


@require_POST
@workspace_required(HANDLE)
def assignment_note(request: HttpRequest, pk: int) -> HttpResponse:
    """A progress note or a contact with the proposer."""
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, assignment, note_form=form, status=400)
    services.progress_note_add(
        assignment=assignment,
        actor=request.user,
        stage=form.cleaned_data["stage"],
        text=form.cleaned_data["text"],
        happened_on=form.cleaned_data["happened_on"],
    )
    messages.success(request, _("The note has been added."))
    return redirect("proposals:assignment", pk=assignment.pk)


@require_POST
@workspace_required(HANDLE)
def assignment_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    """会签: a co-handler's opinion."""
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        return _detail(request, assignment, opinion_form=form, status=400)
    services.coopinion_give(
        assignment=assignment,
        actor=request.user,
        text=form.cleaned_data["text"],
        expected_state=form.cleaned_data["expected_state"],
    )
    messages.success(request, _("Your opinion has been given to the lead department."))
    return redirect("proposals:assignment", pk=assignment.pk)


@require_POST
@workspace_required(HANDLE)
def assignment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply with its grade and letter, submitted for the head's approval."""
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    form = ReplyForm(request.POST, request.FILES, committee_id=assignment.committee_id)
    if not form.is_valid():
        return _detail(request, assignment, reply_form=form, status=400)
    services.reply_draft(
        assignment=assignment,
        actor=request.user,
        text=form.cleaned_data["text"],
        grade=form.cleaned_data["grade"],
        letter=form.cleaned_data["letter"] or None,
        expected_state=form.cleaned_data["expected_state"],
    )
    messages.success(request, _("The reply awaits the approval of the department head."))
    return redirect("proposals:assignment", pk=assignment.pk)


@require_POST
@workspace_required(HANDLE)
def assignment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The department head approves and sends the reply, or sends the draft back."""
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    form = HeadDecisionForm(request.POST)
    if not form.is_valid():
        if form.has_error("action") or form.has_error("expected_state"):
            raise DomainError(first_error(form))
        return _detail(request, assignment, decision_form=form, status=400)
    expected = form.cleaned_data["expected_state"]
    if form.cleaned_data["action"] == "approve_reply":
        services.reply_approve(assignment=assignment, actor=request.user, expected_state=expected)
        messages.success(request, _("The reply has been sent."))
    else:
        services.reply_return(
            assignment=assignment,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            expected_state=expected,
        )
        messages.success(request, _("The draft has been sent back."))
    return redirect("proposals:assignment", pk=assignment.pk)


@workspace_required(VIEW)
def reply_letter_file(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded reply letter, for the department, staff of the committee and, once
    sent, the proposers. Never under a public address."""
    reply = selectors.reply_get_for_letter(user=request.user, pk=pk)
    extension = reply.letter.name.rsplit(".", 1)[-1].lower()
    return file_response(
        reply.letter, filename=f"reply-{reply.pk}", as_attachment=extension in ("doc", "docx")
    )


def _rating_page(
    request: HttpRequest, pk: int, form: RatingForm | None = None, status: int = 200
) -> HttpResponse:
    proposal = selectors.proposal_get_for_rating(user=request.user, pk=pk)
    state = selectors.rating_state(proposal=proposal, user=request.user)
    return render(
        request,
        "proposals/handling/rate.html",
        {
            "proposal": proposal,
            "state": state,
            "grades": dict(selectors.grade_choices(committee_id=proposal.committee_id)),
            "form": form or RatingForm(),
            "timeline": PROPOSAL_WORKFLOW.timeline(proposal, public_only=True),
        },
        status=status,
    )


@workspace_required(VIEW)
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The replies to the user's proposal and their rating (满意 / 基本满意 / 不满意)."""
    if request.method != "POST":
        return _rating_page(request, pk)
    proposal = selectors.proposal_get_for_rating(user=request.user, pk=pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _rating_page(request, pk, form, status=400)
    services.proposal_rate(
        proposal=proposal,
        actor=request.user,
        value=form.cleaned_data["value"],
        comment=form.cleaned_data["comment"],
    )
    messages.success(request, _("Thank you: your rating has been recorded."))
    return redirect("proposals:rate", pk=proposal.pk)


urlpatterns: list[URLPattern] = [
    path("work/proposals/assigned/", inbox, name="assigned"),
    path("work/proposals/assigned/<int:pk>/", assignment_detail, name="assignment"),
    path("work/proposals/assigned/<int:pk>/act/", assignment_act, name="assignment_act"),
    path("work/proposals/assigned/<int:pk>/note/", assignment_note, name="assignment_note"),
    path(
        "work/proposals/assigned/<int:pk>/opinion/", assignment_opinion, name="assignment_opinion"
    ),
    path("work/proposals/assigned/<int:pk>/reply/", assignment_reply, name="assignment_reply"),
    path("work/proposals/assigned/<int:pk>/decide/", assignment_decide, name="assignment_decide"),
    path(
        "work/proposals/replies/<int:pk>/letter-file/",
        reply_letter_file,
        name="reply_letter_file",
    ),
    path("work/proposals/<int:pk>/rating/", rate, name="rate"),
]
