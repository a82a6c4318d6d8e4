"""Research topic pages: the year's list, setting a topic, a topic with its report (and
the report as Word), the report's steps, leaders' instructions with their scans, visits
and meetings, material attached. Thin: input through forms, reads through selectors,
writes through services; files are served only to who may see the topic."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.activities.services import ActivityInput
from xieshang.core.decorators import workspace_required
from xieshang.core.errors import DomainError
from xieshang.core.forms import TransitionForm
from xieshang.core.http import file_response, int_param
from xieshang.research import selectors, services
from xieshang.research.documents import report_docx
from xieshang.research.forms import (
    InstructionForm,
    MaterialForm,
    OutcomeForm,
    ReportForm,
    ScanForm,
    TopicForm,
    VisitForm,
    first_error,
)
from xieshang.research.models import LeaderLevel, OutcomeKind, Report, ReportStatus
from xieshang.research.workflow import REPORT_WORKFLOW

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
VIEW = "research.view_topic"
MANAGE = "research.manage_topic"
ATTACH = "research.attach_material"


@workspace_required(VIEW)
def topics(request: HttpRequest) -> HttpResponse:
    year = int_param(request.GET.get("year"))
    return render(
        request,
        "research/topics.html",
        {
            "topics": selectors.topics_visible(user=request.user, year=year),
            "year": year,
            "may_manage": request.user.has_perm(MANAGE),
        },
    )


@workspace_required(MANAGE)
def topic_new(request: HttpRequest) -> HttpResponse:
    committees = list(selectors.staff_committees(request.user))
    chosen = int_param(request.POST.get("committee") or request.GET.get("committee"))
    committee = next(
        (c for c in committees if c.pk == chosen), committees[0] if committees else None
    )
    if committee is None:
        raise DomainError(_("Only staff set research topics."))
    form = TopicForm(request.POST or None, committee_id=committee.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            topic = services.topic_create(
                actor=request.user,
                committee=committee,
                data=services.TopicData(
                    title=d["title"],
                    lead=d["lead"],
                    year=d["year"],
                    is_key=d["is_key"],
                    joint_with_upper=d["joint_with_upper"],
                    plan=d["plan"],
                    member_ids=[m.pk for m in d["members"]],
                ),
            )
        except DomainError as refused:
            form.add_error(None, str(refused.message))
        else:
            messages.success(request, _("Research topic set."))
            return redirect("research:topic", pk=topic.pk)
    return render(request, "research/topic_form.html", {"committee": committee, "form": form})


def _open(report: Report | None) -> bool:
    """Whether the topic still takes material and visits (its report not yet approved)."""
    return report is None or report.status != ReportStatus.ADOPTED


@workspace_required(VIEW)
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_get(user=request.user, pk=pk)
    report: Report | None = selectors.report_of(topic=topic)
    user = request.user
    visits = selectors.visits_of(topic=topic)
    may_attach = _open(report) and user.has_perm(ATTACH, topic)
    return render(
        request,
        "research/topic.html",
        {
            "topic": topic,
            "report": report,
            "members": topic.members.select_related("user"),
            "may_write": user.has_perm("research.write_report", topic)
            and (report is None or report.status == ReportStatus.DRAFT),
            "transitions": REPORT_WORKFLOW.available_by_action(report, user) if report else {},
            "may_instruct": report is not None
            and report.status == ReportStatus.ADOPTED
            and user.has_perm("research.instruct_report", report),
            "instructions": report.instructions.all() if report else [],
            "levels": LeaderLevel.choices,
            "outcomes": topic.outcomes.all(),
            "outcome_kinds": OutcomeKind.choices,
            "may_record_outcome": user.has_perm(MANAGE, topic),
            "materials": selectors.materials_of(topic=topic),
            "visits": visits,
            "may_attach": may_attach,
            "material_form": MaterialForm(activities=visits) if may_attach else None,
            # A visit is a duty activity of the topic's committee: recorded by its own
            # staff and members (not by the upper committee's staff of a joint topic).
            "visit_form": VisitForm(committee_id=topic.committee_id)
            if may_attach and user.has_perm("activities.record_activity", topic.committee)
            else None,
            "instruction_form": InstructionForm(),
            "timeline": [
                REPORT_WORKFLOW.describe(e)
                for e in selectors.topic_events(topic=topic, report=report)
            ],
        },
    )


@require_POST
@workspace_required(VIEW)
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_get(user=request.user, pk=pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        raise DomainError(first_error(form) or _("Give the report a title and its text."))
    services.report_save(
        actor=request.user,
        topic=topic,
        title=form.cleaned_data["title"],
        text=form.cleaned_data["text"],
    )
    messages.success(request, _("Saved."))
    return redirect("research:topic", pk=topic.pk)


@require_POST
@workspace_required(VIEW)
def report_act(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_get(user=request.user, pk=pk)
    report = selectors.report_of(topic=topic)
    form = TransitionForm(request.POST)
    if report is None or not form.is_valid():
        raise DomainError(_("The form is incomplete. Reload the page and try again."))
    d = form.cleaned_data
    services.report_transition(
        actor=request.user,
        report=report,
        action=d["action"],
        note=d["note"],
        expected_state=d["expected_state"],
    )
    messages.success(request, _("Done."))
    return redirect("research:topic", pk=topic.pk)


@require_POST
@workspace_required(VIEW)
def instruct(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_get(user=request.user, pk=pk)
    report = selectors.report_of(topic=topic)
    form = InstructionForm(request.POST, request.FILES)
    if report is None:
        raise DomainError(_("Only an approved report receives instructions."))
    if not form.is_valid():
        if "scan" in form.errors:
            raise DomainError(str(form.errors["scan"][0]))
        raise DomainError(_("Give the leader's level, name, the date and the instruction."))
    d = form.cleaned_data
    services.instruction_add(
        actor=request.user,
        report=report,
        level=d["level"],
        leader=d["leader"],
        text=d["text"],
        on=d["date"],
        scan=d["scan"],
    )
    messages.success(request, _("Instruction recorded."))
    return redirect("research:topic", pk=topic.pk)


@require_POST
@workspace_required(VIEW)
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_get(user=request.user, pk=pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Say what the research led to, and when."))
    d = form.cleaned_data
    services.outcome_add(
        actor=request.user, topic=topic, kind=d["kind"], text=d["text"], on=d["date"]
    )
    messages.success(request, _("Saved."))
    return redirect("research:topic", pk=topic.pk)


@require_POST
@workspace_required(VIEW)
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_get(user=request.user, pk=pk)
    form = MaterialForm(request.POST, request.FILES, activities=selectors.visits_of(topic=topic))
    if not form.is_valid():
        raise DomainError(first_error(form))
    d = form.cleaned_data
    services.material_add(
        actor=request.user,
        topic=topic,
        title=d["title"],
        note=d["note"] or "",
        file=d["file"],
        activity=d["activity"],
    )
    messages.success(request, _("Material attached."))
    return redirect("research:topic", pk=topic.pk)


@workspace_required(VIEW)
def material_file(request: HttpRequest, pk: int) -> FileResponse:
    """A material's file, for those who may see its topic (both committees of a joint
    topic); always a download."""
    material = selectors.material_get(user=request.user, pk=pk)
    if not material.file:
        raise Http404(_("This material has no file."))
    return file_response(material.file, filename=f"material-{material.pk}")


@require_POST
@workspace_required(VIEW)
def visit_add(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_get(user=request.user, pk=pk)
    form = VisitForm(request.POST, committee_id=topic.committee_id)
    if not form.is_valid():
        raise DomainError(first_error(form))
    d = form.cleaned_data
    services.visit_record(
        actor=request.user,
        topic=topic,
        data=ActivityInput(
            kind=d["kind"],
            title=d["title"],
            date=d["date"],
            members=list(d["members"]),
            note=d["note"],
        ),
    )
    messages.success(request, _("Visit recorded."))
    return redirect("research:topic", pk=topic.pk)


@workspace_required(VIEW)
def instruction_scan(request: HttpRequest, pk: int) -> FileResponse:
    """The scan of a leader's instruction on a report, for those who may see its topic."""
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
    return redirect("research:topic", pk=instruction.report.topic_id)


@workspace_required(VIEW)
def report_word(request: HttpRequest, pk: int) -> HttpResponse:
    """The research report (调研报告) as a Word document in the official layout."""
    topic = selectors.topic_get(user=request.user, pk=pk)
    report = selectors.report_of(topic=topic)
    if report is None:
        raise Http404(_("This topic has no report yet."))
    content = report_docx(
        report,
        members=[str(m.user) for m in topic.members.select_related("user")],
        decision=selectors.report_decision(report=report),
    )
    response = HttpResponse(content, content_type=DOCX)
    name = f"{report.title}.docx"
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response
