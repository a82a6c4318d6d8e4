"""Pages of the proposal office: the review inbox (立案, 不立案, 并案), the staff's list of
all proposals, a proposal's office page (交办, return requests, 重办, 办结, key and excellent
nominations), the overdue list, the supervision board of key proposals (督办) and the
excellent proposals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.decorators import workspace_required
from xieshang.core.errors import DomainError
from xieshang.core.http import year_param
from xieshang.people.access import access_for
from xieshang.proposals import hooks
from xieshang.proposals.forms.office import (
    AssignForm,
    ExcellentForm,
    KeyDecisionForm,
    MergeForm,
    NominateForm,
    RehandleForm,
    RejectForm,
    ReturnDecisionForm,
    StepForm,
    SupervisionForm,
    first_error,
)
from xieshang.proposals.models import (
    AssignmentStatus,
    KeyProposal,
    KeyStatus,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from xieshang.proposals.selectors import office as selectors
from xieshang.proposals.selectors.office import ProposalFilter
from xieshang.proposals.services import office as services
from xieshang.proposals.services.handling import coopinion_waive
from xieshang.proposals.workflow import KEY_WORKFLOW, PROPOSAL_WORKFLOW

REVIEW = "proposals.review_proposal"
VIEW = "proposals.view_proposal"
VIEW_KEY = "proposals.view_key"
READ = "proposals.read_proposal"


def _require_staff(request: HttpRequest) -> None:
    access = access_for(request.user)
    if not (access.is_superuser or access.staff):
        raise PermissionDenied(_("Only staff of the committee see all its proposals."))


def _filters(request: HttpRequest) -> ProposalFilter:
    return ProposalFilter.from_query(request.GET, sort="-submitted_at")


def _list_context(request: HttpRequest, rows: Any, filters: ProposalFilter) -> dict[str, Any]:
    ids = selectors.committees_in_lists(user=request.user)
    return {
        "page": Paginator(rows, 30).get_page(request.GET.get("page")),
        "filters": filters,
        "statuses": ProposalStatus.choices,
        "kinds": ProposalKind.choices,
        "categories": [c for cid in ids for c in selectors.categories_of(cid)],
        "sessions": [s for cid in ids for s in selectors.sessions_of(cid)],
        "departments": [d for cid in ids for d in selectors.departments_for_assignment(cid)],
        "query_string": request.GET.urlencode(),
    }


@workspace_required(REVIEW)
def review(request: HttpRequest) -> HttpResponse:
    """立案审查: proposals awaiting review (or of another status, by the filter)."""
    filters = _filters(request)
    context = _list_context(
        request, selectors.review_inbox(user=request.user, filters=filters), filters
    )
    context["return_requests"] = selectors.return_requests(user=request.user)[:50]
    return render(request, "proposals/office/review.html", context)


@workspace_required(READ)
def staff_list(request: HttpRequest) -> HttpResponse:
    """Every submitted proposal of the committees the user staffs or leads, with filters."""
    filters = _filters(request)
    rows = selectors.proposal_list_for_readers(user=request.user, filters=filters)
    return render(request, "proposals/office/list.html", _list_context(request, rows, filters))


@workspace_required(READ)
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_reader(user=request.user, pk=pk)
    if not request.user.has_perm(READ, proposal):
        raise PermissionDenied(_("Only staff and leaders of the committee read its proposals."))
    office = request.user.has_perm("proposals.review_proposal", proposal)
    transitions = PROPOSAL_WORKFLOW.available_by_action(proposal, request.user)
    initial = {"expected_state": proposal.status}
    key = KeyProposal.objects.filter(proposal=proposal).first()
    context: dict[str, Any] = {
        "proposal": proposal,
        "main": selectors.merged_into_main(proposal=proposal),
        "merged": proposal.merged.all(),
        "cosigners": proposal.cosigners.select_related("member__user"),
        "assignments": selectors.proposal_assignments(proposal=proposal),
        "ratings": proposal.ratings.select_related("member__user").order_by("round", "id"),
        "key": key,
        "awards": proposal.awards.all(),
        "timeline": PROPOSAL_WORKFLOW.timeline(proposal, public_only=False),
        "transitions": transitions,
        "office": office,
        "reject_form": RejectForm(initial=initial),
        "merge_form": MergeForm(initial=initial, proposal=proposal),
        "assign_form": AssignForm(initial=initial, committee_id=proposal.committee_id),
        "rehandle_form": RehandleForm(initial=initial),
        "step_form": StepForm(initial=initial),
        "nominate_form": NominateForm(),
        "excellent_form": ExcellentForm(initial={"year": timezone.localdate().year}),
        "return_form": ReturnDecisionForm(committee_id=proposal.committee_id),
        "can_nominate": office and key is None and proposal.status in services.NUMBERED,
        "can_select_excellent": office and bool(proposal.number),
        "RETURN_REQUESTED": AssignmentStatus.RETURN_REQUESTED,
        "RETURNED": AssignmentStatus.RETURNED,
        "sections": sorted(hooks.page_sections(request.user, proposal), key=lambda s: s.order),
    }
    return render(request, "proposals/office/detail.html", context)


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise DomainError(first_error(form))
    data: dict[str, Any] = form.cleaned_data
    return data


def _act(request: HttpRequest, proposal: Proposal, action: str) -> str:
    """Carry out one office step; returns the message to show."""
    user, post, committee_id = request.user, request.POST, proposal.committee_id
    if action == "accept":
        d = _valid(StepForm(post))
        services.proposal_accept(
            proposal=proposal, actor=user, expected_state=d["expected_state"], note=d["note"]
        )
        return _("Accepted as number %(number)s.") % {"number": proposal.number}
    if action == "reject":
        d = _valid(RejectForm(post))
        services.proposal_reject(
            proposal=proposal,
            actor=user,
            reason=d["reason"],
            note=d["note"],
            conversion=d["conversion"],
            expected_state=d["expected_state"],
        )
        return _("Not accepted.")
    if action == "merge":
        d = _valid(MergeForm(post, proposal=proposal))
        services.proposal_merge(proposals=[proposal], into=d["into"], actor=user)
        return _("Merged.")
    if action == "assign":
        d = _valid(AssignForm(post, committee_id=committee_id))
        services.proposal_assign(
            proposal=proposal,
            actor=user,
            lead=d["lead"],
            co_handlers=list(d["co_handlers"]),
            split_handlers=list(d["split_handlers"]),
            urgent=d["urgent"],
            instructions=d["note"],
            expected_state=d["expected_state"],
        )
        return _("Assigned.")
    if action == "rehandle":
        d = _valid(RehandleForm(post))
        services.proposal_rehandle(
            proposal=proposal, actor=user, note=d["note"], expected_state=d["expected_state"]
        )
        return _("Re-handling ordered.")
    if action == "close":
        d = _valid(StepForm(post))
        services.proposal_close(
            proposal=proposal, actor=user, note=d["note"], expected_state=d["expected_state"]
        )
        return _("Closed.")
    if action == "nominate_key":
        d = _valid(NominateForm(post))
        services.key_nominate(proposal=proposal, actor=user, reason=d["reason"])
        return _("Nominated as a key proposal; the chairs' meeting decides.")
    if action == "excellent":
        d = _valid(ExcellentForm(post))
        services.excellent_select(proposal=proposal, actor=user, year=d["year"], reason=d["reason"])
        return _("Selected as an excellent proposal.")
    raise DomainError(_("Unknown action “%(action)s”.") % {"action": action[:40]})


@require_POST
@workspace_required(REVIEW)
def review_act(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_staff(user=request.user, pk=pk)
    messages.success(request, _act(request, proposal, request.POST.get("action", "")))
    return redirect("proposals:review_detail", pk=proposal.pk)


@require_POST
@workspace_required(REVIEW)
def return_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Decide a department's request to return an assignment, and give a returned one to
    another department."""
    assignment = selectors.assignment_get_for_office(user=request.user, pk=pk)
    d = _valid(ReturnDecisionForm(request.POST, committee_id=assignment.committee_id))
    if d["action"] == "accept_return":
        services.assignment_accept_return(
            assignment=assignment,
            actor=request.user,
            note=d["note"],
            expected_state=d["expected_state"],
        )
        message = _("Taken back. Give it to another department.")
    elif d["action"] == "refuse_return":
        services.assignment_refuse_return(
            assignment=assignment,
            actor=request.user,
            reason=d["note"],
            expected_state=d["expected_state"],
        )
        message = _("The return is refused; the department keeps it.")
    elif d["action"] == "waive_opinion":
        coopinion_waive(
            assignment=assignment,
            actor=request.user,
            reason=d["note"],
            expected_state=d["expected_state"],
        )
        message = _("The opinion is recorded as waived; the lead department's reply goes on.")
    else:
        if d["expected_state"] != assignment.status:
            raise DomainError(_("The page is out of date. Reload it and try again."))
        services.assignment_reassign(
            assignment=assignment, department=d["department"], actor=request.user
        )
        message = _("Given to %(name)s.") % {"name": d["department"].name}
    messages.success(request, message)
    return redirect("proposals:review_detail", pk=assignment.proposal_id)


@workspace_required(VIEW)
def overdue(request: HttpRequest) -> HttpResponse:
    """Assignments past their deadline without a reply, the longest overdue first."""
    _require_staff(request)
    page = Paginator(selectors.overdue_list(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "proposals/office/overdue.html", {"page": page, "now": timezone.now()})


@workspace_required(VIEW_KEY)
def key_board(request: HttpRequest) -> HttpResponse:
    """督办: each key proposal's status, departments, deadline and activities."""
    status = request.GET.get("status", "")
    keys = selectors.key_board(
        user=request.user, status=status if status in KeyStatus.values else ""
    )
    return render(
        request,
        "proposals/office/key_board.html",
        {"keys": keys, "status": status, "statuses": KeyStatus.choices},
    )


@workspace_required(VIEW_KEY)
def key_detail(request: HttpRequest, pk: int) -> HttpResponse:
    key = selectors.key_get(user=request.user, pk=pk)
    proposal = key.proposal
    return render(
        request,
        "proposals/office/key_detail.html",
        {
            "key": key,
            "proposal": proposal,
            "assignments": selectors.proposal_assignments(proposal=proposal),
            "activities": key.activities.select_related("created_by"),
            "may_decide": key.status == KeyStatus.NOMINATED
            and request.user.has_perm("proposals.choose_keyproposal", key),
            "may_supervise": key.status == KeyStatus.CHOSEN
            and request.user.has_perm("proposals.supervise_keyproposal", key),
            "is_staff": access_for(request.user).is_staff_of(proposal.committee_id)
            or access_for(request.user).is_superuser,
            "decision_form": KeyDecisionForm(
                initial={"expected_state": key.status}, committee_id=key.committee_id
            ),
            "supervision_form": SupervisionForm(initial={"happened_on": timezone.localdate()}),
            "timeline": KEY_WORKFLOW.timeline(key, public_only=False),
        },
    )


@require_POST
@workspace_required(VIEW_KEY)
def key_decide(request: HttpRequest, pk: int) -> HttpResponse:
    key = selectors.key_get(user=request.user, pk=pk)
    d = _valid(KeyDecisionForm(request.POST, committee_id=key.committee_id))
    services.key_decide(
        key=key,
        actor=request.user,
        chosen=d["decision"] == "choose",
        supervisors=list(d["supervisors"]),
        note=d["note"],
        expected_state=d["expected_state"],
    )
    messages.success(request, _("Decided."))
    return redirect("proposals:key_detail", pk=key.pk)


@require_POST
@workspace_required(VIEW_KEY)
def key_activity(request: HttpRequest, pk: int) -> HttpResponse:
    key = selectors.key_get(user=request.user, pk=pk)
    d = _valid(SupervisionForm(request.POST))
    services.supervision_record(key=key, actor=request.user, **d)
    messages.success(request, _("The activity is recorded."))
    return redirect("proposals:key_detail", pk=key.pk)


@workspace_required(VIEW)
def excellent(request: HttpRequest) -> HttpResponse:
    """优秀提案 by year."""
    _require_staff(request)
    year = year_param(request.GET.get("year"))
    return render(
        request,
        "proposals/office/excellent.html",
        {"awards": selectors.excellent_list(user=request.user, year=year), "year": year},
    )


urlpatterns: list[URLPattern] = [
    path("work/proposals/review/", review, name="review"),
    path("work/proposals/review/<int:pk>/", review_detail, name="review_detail"),
    path("work/proposals/review/<int:pk>/act/", review_act, name="review_act"),
    path(
        "work/proposals/review/assignments/<int:pk>/return/",
        return_decide,
        name="return_decide",
    ),
    path("work/proposals/all/", staff_list, name="staff_list"),
    path("work/proposals/overdue/", overdue, name="overdue"),
    path("work/proposals/key/", key_board, name="key_board"),
    path("work/proposals/key/<int:pk>/", key_detail, name="key_detail"),
    path("work/proposals/key/<int:pk>/decide/", key_decide, name="key_decide"),
    path("work/proposals/key/<int:pk>/activity/", key_activity, name="key_activity"),
    path("work/proposals/excellent/", excellent, name="excellent"),
]
