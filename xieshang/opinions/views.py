"""社情民意 pages: the member's (my items, write, edit, submit) and the liaison office's
(inbox, edit, decide, instructions, compile and close an issue). Views are thin: reads
through selectors, writes through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.decorators import workspace_required
from xieshang.core.errors import DomainError
from xieshang.core.forms import TransitionForm
from xieshang.core.http import file_response, int_param
from xieshang.core.replica import replica_reads
from xieshang.opinions import selectors, services
from xieshang.opinions.documents import issue_docx, items_workbook
from xieshang.opinions.forms import InstructionForm, IssueForm, ItemForm, ScanForm
from xieshang.opinions.models import Item, ItemStatus
from xieshang.opinions.workflow import ITEM_WORKFLOW

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VIEW = "opinions.view_item"
WRITE = "opinions.write_item"
OFFICE = "opinions.manage_issue"


def _data(form: ItemForm) -> services.ItemData:
    d = form.cleaned_data
    return services.ItemData(
        title=d["title"],
        situation=d["situation"],
        suggestion=d["suggestion"],
        author_unit=d.get("author_unit", ""),
        coauthor_ids=[m.pk for m in d.get("coauthors", [])],
    )


@workspace_required(VIEW)
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opinions/mine.html",
        {
            "items": selectors.items_mine(user=request.user),
            "may_write": request.user.has_perm(WRITE),
        },
    )


@workspace_required(WRITE)
def new(request: HttpRequest) -> HttpResponse:
    """A member writes in their seat; the liaison office writes for a sector, workroom or
    office (or for a member it names as author)."""
    seats = list(selectors.member_seats(user=request.user))
    offices = list(selectors.office_committees(request.user))
    chosen = int_param(request.GET.get("committee") or request.POST.get("committee"))
    seat = next((s for s in seats if s.committee_id == chosen), seats[0] if seats else None)
    committee = next((c for c in offices if c.pk == chosen), None)
    if committee is None and seat is not None:
        committee = seat.committee
    elif committee is None and offices:
        committee = offices[0]
    if committee is None:
        raise PermissionDenied(_("Only a serving member or the liaison office may write."))
    as_office = committee.pk in {c.pk for c in offices}
    author = seat if seat is not None and seat.committee_id == committee.pk else None
    form = ItemForm(request.POST or None, committee_id=committee.pk)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                actor=request.user,
                committee=committee,
                data=_data(form),
                author=None if as_office and form.cleaned_data["author_unit"] else author,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Draft saved."))
            return redirect("opinions:detail", pk=item.pk)
    return render(
        request,
        "opinions/form.html",
        {"form": form, "committee": committee, "as_office": as_office, "item": None},
    )


@workspace_required(VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "opinions/detail.html",
        {
            "item": item,
            "transitions": {
                k: t
                for k, t in ITEM_WORKFLOW.available_by_action(item, user).items()
                if k != "issue"
            },
            "may_edit": user.has_perm("opinions.change_item", item),
            "may_take_up": item.issue is not None
            and item.issue.sent_upward
            and item.committee.parent_id in selectors.office_committee_ids(user)
            and not selectors.item_taken_up(item=item),
            "may_instruct": user.has_perm("opinions.instruct_item", item)
            and item.status in (ItemStatus.ADOPTED, ItemStatus.ISSUED),
            "instruction_form": InstructionForm(),
            "revisions": item.revisions.select_related("editor"),
            "instructions": item.instructions.all(),
            "coauthors": item.coauthors.select_related("user"),
            "timeline": ITEM_WORKFLOW.timeline(item, public_only=False),
        },
    )


@workspace_required(VIEW)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    if not request.user.has_perm("opinions.change_item", item):
        raise PermissionDenied(_("This item cannot be edited now."))
    initial: dict[str, Any] = {
        "title": item.title,
        "situation": item.situation,
        "suggestion": item.suggestion,
        "author_unit": item.author_unit,
        "coauthors": list(item.coauthors.all()),
    }
    form = ItemForm(request.POST or None, initial=initial, committee_id=item.committee_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                actor=request.user,
                item=item,
                data=_data(form),
                expected_state=request.POST.get("expected_state", ""),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("opinions:detail", pk=item.pk)
    return render(
        request,
        "opinions/form.html",
        {"form": form, "committee": item.committee, "as_office": False, "item": item},
    )


@require_POST
@workspace_required(VIEW)
def act(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("The form is incomplete. Reload the page and try again."))
    d = form.cleaned_data
    services.item_transition(
        actor=request.user,
        item=item,
        action=d["action"],
        note=d["note"],
        expected_state=d["expected_state"],
    )
    messages.success(request, _("Done."))
    return redirect("opinions:detail", pk=item.pk)


@require_POST
@workspace_required(OFFICE)
def take_up(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    copy = services.item_take_up(actor=request.user, item=item)
    messages.success(request, _("Taken up; it waits in your inbox for a decision."))
    return redirect("opinions:detail", pk=copy.pk)


@require_POST
@workspace_required(VIEW)
def instruct(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    form = InstructionForm(request.POST, request.FILES)
    if not form.is_valid():
        if "scan" in form.errors:
            raise DomainError(str(form.errors["scan"][0]))
        raise DomainError(_("Give the leader's level, name, the date and the instruction."))
    d = form.cleaned_data
    services.instruction_add(
        actor=request.user,
        item=item,
        level=d["level"],
        leader=d["leader"],
        text=d["text"],
        on=d["date"],
        scan=d["scan"],
    )
    messages.success(request, _("Instruction recorded."))
    return redirect("opinions:detail", pk=item.pk)


@workspace_required(VIEW)
def instruction_scan(request: HttpRequest, pk: int) -> FileResponse:
    """The scan of a leader's instruction, for those who may see its item; a download."""
    instruction = selectors.instruction_get(user=request.user, pk=pk)
    if not instruction.scan:
        raise Http404(_("This instruction has no scan."))
    return file_response(instruction.scan, filename=f"instruction-{instruction.pk}")


@require_POST
@workspace_required(VIEW)
def instruction_scan_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the scan of an instruction recorded without one."""
    instruction = selectors.instruction_get(user=request.user, pk=pk)
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        raise DomainError(str(form.errors["scan"][0]))
    services.instruction_scan_attach(
        actor=request.user, instruction=instruction, scan=form.cleaned_data["scan"]
    )
    messages.success(request, _("Scan attached."))
    return redirect("opinions:detail", pk=instruction.item_id)


@workspace_required(OFFICE)
def inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    return render(
        request,
        "opinions/inbox.html",
        {
            "items": selectors.items_inbox(user=request.user, status=status),
            "from_below": selectors.items_from_below(user=request.user),
            "statuses": [(v, label) for v, label in ItemStatus.choices if v != ItemStatus.DRAFT],
            "status": status,
        },
    )


@workspace_required(OFFICE)
@replica_reads
def export(request: HttpRequest) -> HttpResponse:
    items = selectors.items_inbox(
        user=request.user, status=request.GET.get("status", "")
    ).prefetch_related("instructions")
    response = HttpResponse(items_workbook(items), content_type=XLSX)
    name = f"{_('Public-opinion information')}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


@workspace_required(OFFICE)
def issues(request: HttpRequest) -> HttpResponse:
    committees = selectors.office_committees(request.user)
    adopted: list[Item] = []
    for committee in committees:
        adopted.extend(selectors.adopted_items(committee_id=committee.pk))
    return render(
        request,
        "opinions/issues.html",
        {
            "issues": selectors.issues_of(user=request.user),
            "adopted": adopted,
            "form": IssueForm(),
        },
    )


@require_POST
@workspace_required(OFFICE)
def issue_new(request: HttpRequest) -> HttpResponse:
    form = IssueForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Choose the series."))
    ids = [int_param(v) for v in request.POST.getlist("items")]
    items = list(
        selectors.items_inbox(user=request.user, status=ItemStatus.ADOPTED).filter(pk__in=ids)
    )
    if not items:
        raise DomainError(_("Choose the adopted items for the issue."))
    if len({i.committee_id for i in items}) > 1:
        raise DomainError(_("An issue holds the items of one committee."))
    issue = services.issue_create(
        actor=request.user,
        committee=items[0].committee,
        items=items,
        series=form.cleaned_data["series"],
        recipients=form.cleaned_data["recipients"],
        sent_upward=form.cleaned_data["sent_upward"],
    )
    messages.success(request, _("Issue compiled: %(issue)s.") % {"issue": issue})
    return redirect("opinions:issue", pk=issue.pk)


@workspace_required(OFFICE)
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.issue_get(user=request.user, pk=pk)
    if request.method == "POST":
        item = selectors.items_inbox(user=request.user, status=ItemStatus.ADOPTED).filter(
            pk=int_param(request.POST.get("item")) or 0
        )
        if not item:
            raise DomainError(_("Choose an adopted item."))
        services.issue_add(actor=request.user, issue=issue, item=item[0])
        messages.success(request, _("Added to the issue."))
        return redirect("opinions:issue", pk=issue.pk)
    return render(
        request,
        "opinions/issue.html",
        {
            "issue": issue,
            "items": issue.items.select_related("author__user"),
            "adopted": selectors.adopted_items(committee_id=issue.committee_id),
        },
    )


@workspace_required(OFFICE)
def issue_word(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.issue_get(user=request.user, pk=pk)
    response = HttpResponse(issue_docx(issue), content_type=DOCX)
    name = f"{issue.get_series_display().strip('《》')}-{issue.year}-{issue.number}.docx"
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@workspace_required(OFFICE)
def issue_close(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.issue_get(user=request.user, pk=pk)
    services.issue_close(actor=request.user, issue=issue)
    messages.success(request, _("Issue closed."))
    return redirect("opinions:issue", pk=issue.pk)
