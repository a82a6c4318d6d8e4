"""Proposal documents: the Word file of a proposal and of a reply letter, the Excel list
and per-department summary, and the public page of the replies a committee publishes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from xieshang.core.decorators import public, workspace_required
from xieshang.core.http import int_param
from xieshang.core.selectors import committee_get_public
from xieshang.people.access import access_for
from xieshang.proposals.documents import (
    department_summary_workbook,
    proposal_docx,
    proposals_workbook,
    reply_letter_docx,
)
from xieshang.proposals.models import ProposalKind, ProposalStatus
from xieshang.proposals.selectors.documents import (
    department_summary,
    proposal_get_for_documents,
    proposals_for_export,
    public_categories,
    public_replies,
    published_items,
    reply_get_for_letter,
    summary_committee_get,
    summary_committees,
)
from xieshang.proposals.selectors.office import (
    ProposalFilter,
    categories_of,
    committees_in_lists,
    departments_for_assignment,
    sessions_of,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


def _require_staff(request: HttpRequest) -> None:
    access = access_for(request.user)
    if not (access.is_superuser or access.staff):
        raise PermissionDenied(_("Only staff of the committee export its proposals."))


def _filters(request: HttpRequest) -> ProposalFilter:
    return ProposalFilter.from_query(request.GET, sort="number")


@require_safe
@workspace_required("proposals.view_proposal")
def proposal_word(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal as a Word file, for whoever may see it."""
    proposal = proposal_get_for_documents(user=request.user, pk=pk)
    name = proposal.number or f"{_('draft')}-{proposal.pk}"
    return _download(proposal_docx(proposal), DOCX, f"{_('proposal')}-{name}.docx")


@require_safe
@workspace_required("proposals.view_proposal")
def reply_letter_word(request: HttpRequest, pk: int) -> HttpResponse:
    """A reply letter (答复函) as a Word file: the department at any time, the committee's
    staff and the proposers once it is sent."""
    reply = reply_get_for_letter(user=request.user, pk=pk)
    proposal = reply.assignment.proposal
    name = proposal.number or str(proposal.pk)
    return _download(
        reply_letter_docx(reply), DOCX, f"{_('reply')}-{name}-{reply.assignment.department}.docx"
    )


@require_safe
@workspace_required("proposals.view_proposal")
def exports(request: HttpRequest) -> HttpResponse:
    """The staff's page for the two workbooks: the list with its filters, and the
    per-department summary of a committee's year."""
    _require_staff(request)
    ids = committees_in_lists(user=request.user)
    return render(
        request,
        "proposals/documents/exports.html",
        {
            "filters": _filters(request),
            "statuses": ProposalStatus.choices,
            "kinds": ProposalKind.choices,
            "categories": [c for cid in ids for c in categories_of(cid)],
            "sessions": [s for cid in ids for s in sessions_of(cid)],
            "departments": [d for cid in ids for d in departments_for_assignment(cid)],
            "committees": summary_committees(user=request.user),
            "year": timezone.localdate().year,
        },
    )


@require_safe
@workspace_required("proposals.view_proposal")
def export_list(request: HttpRequest) -> HttpResponse:
    """The staff's proposal list with handling status, with any of its filters."""
    _require_staff(request)
    rows = proposals_for_export(user=request.user, filters=_filters(request))
    stamp = timezone.localdate().isoformat()
    return _download(proposals_workbook(rows), XLSX, f"{_('proposals')}-{stamp}.xlsx")


@require_safe
@workspace_required("proposals.view_proposal")
def export_summary(request: HttpRequest) -> HttpResponse:
    """The per-department summary of one committee (`?committee=`, the user's first by
    default) and year (`?year=`, this year by default)."""
    _require_staff(request)
    committee_id = int_param(request.GET.get("committee"))
    if committee_id is None:
        first = summary_committees(user=request.user).first()
        if first is None:
            raise PermissionDenied(_("Only staff of the committee export its proposals."))
        committee_id = first.pk
    committee = summary_committee_get(user=request.user, pk=committee_id)
    year = int_param(request.GET.get("year")) or timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    content = department_summary_workbook(
        committee=committee, year=year, rows=department_summary(committee=committee, year=year)
    )
    return _download(content, XLSX, f"{committee.short_name}-{year}-{_('departments')}.xlsx")


@public
@require_safe
def replies_public(request: HttpRequest, code: str) -> HttpResponse:
    """提案答复公开: the replies the committee chose to publish, searchable, by category."""
    committee = committee_get_public(code=code)
    query = request.GET.get("q", "").strip()[:50]
    category = int_param(request.GET.get("category"))
    page = Paginator(
        public_replies(committee=committee, query=query, category_id=category), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/documents/public_replies.html",
        {
            "committee": committee,
            "page": page,
            "items": published_items(page.object_list, committee.pk),
            "q": query,
            "category": category,
            "categories": public_categories(committee.pk),
        },
    )


urlpatterns: list[URLPattern] = [
    path("c/<slug:code>/proposals/replies/", replies_public, name="public_replies"),
    path("work/proposals/<int:pk>/proposal.docx", proposal_word, name="proposal_docx"),
    path("work/proposals/replies/<int:pk>/letter.docx", reply_letter_word, name="reply_letter"),
    path("work/proposals/documents/", exports, name="exports"),
    path("work/proposals/export.xlsx", export_list, name="export_list"),
    path("work/proposals/departments.xlsx", export_summary, name="export_summary"),
]
