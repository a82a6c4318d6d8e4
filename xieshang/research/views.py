"""Research topic pages: the year's list, setting a topic, a topic with its report, the
report's steps and leaders' instructions. Thin: reads through selectors, writes through
services."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.core.decorators import workspace_required
from xieshang.core.errors import DomainError
from xieshang.core.forms import TransitionForm
from xieshang.core.http import int_param
from xieshang.research import selectors, services
from xieshang.research.models import LeaderLevel, OutcomeKind, Report, ReportStatus
from xieshang.research.workflow import REPORT_WORKFLOW

VIEW = "research.view_topic"
MANAGE = "research.manage_topic"


class InstructionForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=LeaderLevel.choices)
    leader = forms.CharField(label=gettext_lazy("Leader"), max_length=60)
    date = forms.DateField(label=gettext_lazy("Date"))
    text = forms.CharField(label=gettext_lazy("Instruction"))


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
    error = ""
    if request.method == "POST":
        try:
            topic = services.topic_create(
                actor=request.user,
                committee=committee,
                data=services.TopicData(
                    title=request.POST.get("title", "")[:100],
                    lead=request.POST.get("lead", "")[:60],
                    year=int_param(request.POST.get("year")) or timezone.localdate().year,
                    is_key=bool(request.POST.get("is_key")),
                    joint_with_upper=bool(request.POST.get("joint_with_upper")),
                    plan=request.POST.get("plan", ""),
                    member_ids=[
                        i for i in map(int_param, request.POST.getlist("members")) if i is not None
                    ],
                ),
            )
        except DomainError as refused:
            error = str(refused.message)
        else:
            messages.success(request, _("Research topic set."))
            return redirect("research:topic", pk=topic.pk)
    return render(
        request,
        "research/topic_form.html",
        {
            "committee": committee,
            "members": selectors.members_of(committee.pk),
            "error": error,
            "data": request.POST,
            "this_year": timezone.localdate().year,
        },
    )


@workspace_required(VIEW)
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_get(user=request.user, pk=pk)
    report: Report | None = selectors.report_of(topic=topic)
    user = request.user
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
            "timeline": REPORT_WORKFLOW.timeline(report, public_only=False) if report else [],
        },
    )


@require_POST
@workspace_required(VIEW)
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_get(user=request.user, pk=pk)
    services.report_save(
        actor=request.user,
        topic=topic,
        title=request.POST.get("title", "")[:100],
        text=request.POST.get("text", ""),
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
    form = InstructionForm(request.POST)
    if report is None or not form.is_valid():
        raise DomainError(_("Give the leader's level, name, the date and the instruction."))
    d = form.cleaned_data
    services.instruction_add(
        actor=request.user,
        report=report,
        level=d["level"],
        leader=d["leader"],
        text=d["text"],
        on=d["date"],
    )
    messages.success(request, _("Instruction recorded."))
    return redirect("research:topic", pk=topic.pk)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(choices=OutcomeKind.choices)
    text = forms.CharField(max_length=300)
    date = forms.DateField()


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
