"""Pages of the duty record and points: a member's own record; the committee's staff's
rankings (Excel), a member's record (Word), the point rules and the records they enter."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xieshang.activities.selectors import activity_get
from xieshang.core.decorators import public, workspace_required
from xieshang.core.errors import DomainError
from xieshang.core.http import file_response, int_param, year_param
from xieshang.core.models import Committee
from xieshang.core.replica import replica_reads
from xieshang.core.selectors import committee_get_public
from xieshang.core.workflow import event_timeline
from xieshang.performance import selectors, services
from xieshang.performance.documents import member_year_docx, ranking_workbook
from xieshang.performance.forms import (
    AttendanceChangeForm,
    BaselineForm,
    ItemForm,
    PlanForm,
    ResultForm,
    RuleForm,
    SessionForm,
)
from xieshang.performance.models import AttendanceStatus, RecordKind, ResultStatus
from xieshang.proposals.selectors.records import proposal_find
from xieshang.suggestions.selectors import suggestion_get_by_code
from xieshang.workrooms.selectors import workroom_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _year(request: HttpRequest) -> int:
    year = year_param(request.GET.get("year") or request.POST.get("year"))
    return year if year and 2000 <= year <= 2100 else timezone.localdate().year


def _committee(request: HttpRequest) -> Committee | None:
    chosen = int_param(request.GET.get("committee") or request.POST.get("committee"))
    return selectors.staff_committee_get(user=request.user, committee_id=chosen)


def _staff_context(request: HttpRequest, committee: Committee | None, year: int) -> dict:  # type: ignore[type-arg]
    return {
        "committee": committee,
        "committees": selectors.staff_committees(user=request.user),
        "year": year,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
    }


def _back(name: str, committee: Committee, year: int) -> HttpResponse:
    query = urlencode({"committee": committee.pk, "year": year})
    return redirect(f"{reverse(name)}?{query}")


@workspace_required("performance.view_own")
def mine(request: HttpRequest) -> HttpResponse:
    """The member's own record and points of the year, and their groups' medians."""
    year = _year(request)
    return render(
        request,
        "performance/mine.html",
        {
            "own": selectors.own_years(user=request.user, year=year),
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        },
    )


@workspace_required("performance.view_record")
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's year (the member, or the committee's staff)."""
    my = selectors.member_year_get(user=request.user, pk=pk)
    scheme = selectors.scheme_in_force(committee_id=my.committee_id, year=my.year)
    return render(
        request,
        "performance/record.html",
        {"my": my, "lines": selectors.member_year_lines(my), "scheme": scheme},
    )


@workspace_required("performance.view_record")
def record_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The 履职档案 of a member's year as a Word file."""
    my = selectors.member_year_get(user=request.user, pk=pk)
    scheme = selectors.scheme_in_force(committee_id=my.committee_id, year=my.year)
    content = member_year_docx(
        my, selectors.member_year_lines(my), scheme.baseline if scheme else None
    )
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="record-{my.year}-{my.pk}.docx"'
    return response


@workspace_required("performance.view_ranking")
def ranking(request: HttpRequest) -> HttpResponse:
    """Rankings within the chosen grouping, members below the baseline flagged."""
    year = _year(request)
    committee = _committee(request)
    grouping = request.GET.get("group", "all")
    grouping = grouping if grouping in selectors.GROUPINGS else "all"
    context = _staff_context(request, committee, year)
    if committee is not None:
        context |= {
            "groups": selectors.ranking(
                user=request.user, committee=committee, year=year, grouping=grouping
            ),
            "below": selectors.below_baseline(user=request.user, committee=committee, year=year),
            "flags": selectors.baseline_flags(user=request.user, committee=committee)
            if year == timezone.localdate().year
            else [],
            "scheme": selectors.scheme_in_force(committee_id=committee.pk, year=year),
        }
    context |= {"grouping": grouping, "groupings": selectors.GROUPINGS}
    return render(request, "performance/ranking.html", context)


@workspace_required("performance.view_ranking")
@replica_reads
def ranking_export(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    committee = _committee(request)
    if committee is None:
        raise DomainError(_("Choose a committee. Reload the page and try again."))
    grouping = request.GET.get("group", "all")
    grouping = grouping if grouping in selectors.GROUPINGS else "all"
    groups = selectors.ranking(user=request.user, committee=committee, year=year, grouping=grouping)
    scheme = selectors.scheme_in_force(committee_id=committee.pk, year=year)
    response = HttpResponse(
        ranking_workbook(groups, year=year, baseline=scheme.baseline if scheme else 0),
        content_type=XLSX,
    )
    response["Content-Disposition"] = f'attachment; filename="ranking-{year}-{grouping}.xlsx"'
    return response


@workspace_required("performance.manage_rules")
def rules(request: HttpRequest) -> HttpResponse:
    """The year's point rules and baseline, their history; create the scheme, change a
    rule (points are recomputed), recompute now."""
    year = _year(request)
    committee = _committee(request)
    scheme = (
        selectors.scheme_of(user=request.user, committee=committee, year=year)
        if committee
        else None
    )
    rule_form = RuleForm()
    baseline_form = BaselineForm(initial={"baseline": scheme.baseline if scheme else 0})
    if request.method == "POST":
        if committee is None:
            raise DomainError(_("Choose a committee. Reload the page and try again."))
        action = request.POST.get("action", "")
        if action == "create":
            services.scheme_create(committee=committee, year=year, actor=request.user)
            messages.success(request, _("The point scheme has been created."))
            return _back("performance:rules", committee, year)
        if action == "recompute":
            services.points_recompute_for(committee=committee, year=year, actor=request.user)
            messages.success(request, _("The points have been recomputed."))
            return _back("performance:rules", committee, year)
        if scheme is None:
            raise DomainError(_("Create the year's point scheme first."))
        if action == "rule":
            rule_form = RuleForm(request.POST)
            if rule_form.is_valid():
                d = rule_form.cleaned_data
                services.rule_set(
                    scheme=scheme,
                    data=services.RuleInput(d["kind"], d["points"], d["cap"], d["point_class"]),
                    actor=request.user,
                )
                messages.success(request, _("The rule has been saved; points recomputed."))
                return _back("performance:rules", committee, year)
        elif action == "remove":
            services.rule_remove(
                scheme=scheme, kind=request.POST.get("kind", ""), actor=request.user
            )
            messages.success(request, _("The rule has been removed; points recomputed."))
            return _back("performance:rules", committee, year)
        elif action == "baseline":
            baseline_form = BaselineForm(request.POST)
            if baseline_form.is_valid():
                services.baseline_set(
                    scheme=scheme,
                    baseline=baseline_form.cleaned_data["baseline"],
                    actor=request.user,
                )
                messages.success(request, _("The baseline has been saved."))
                return _back("performance:rules", committee, year)
        else:
            raise DomainError(_("Unknown action. Reload the page and try again."))
    context = _staff_context(request, committee, year)
    context |= {
        "scheme": scheme,
        "rules": list(scheme.rules.all()) if scheme else [],
        "missing": [
            k for k in RecordKind if scheme and not scheme.rules.filter(kind=k.value).exists()
        ],
        "history": selectors.scheme_history(scheme)[:50] if scheme else [],
        "rule_form": rule_form,
        "baseline_form": baseline_form,
    }
    return render(request, "performance/rules.html", context)


@workspace_required("performance.enter_item")
def items(request: HttpRequest) -> HttpResponse:
    """Records staff enter (outside work with evidence, leave, absence), and the form."""
    year = _year(request)
    committee = _committee(request)
    members = selectors.members_of(committee=committee) if committee else []
    member_qs = (
        committee.member_set.filter(pk__in=[m.pk for m in members]).select_related("user")
        if committee
        else None
    )
    form = ItemForm(members=member_qs)
    if request.method == "POST":
        if committee is None:
            raise DomainError(_("Choose a committee. Reload the page and try again."))
        form = ItemForm(request.POST, request.FILES, members=member_qs)
        if form.is_valid():
            d = form.cleaned_data
            upload = d.get("evidence")
            item = services.item_record(
                committee=committee,
                data=services.ItemInput(
                    member=d["member"],
                    kind=d["kind"],
                    title=d["title"],
                    date=d["date"],
                    note=d["note"],
                    evidence=upload.read() if upload else None,
                    evidence_name=upload.name if upload else "",
                ),
                actor=request.user,
            )
            messages.success(request, _("The record has been entered; points recomputed."))
            return _back("performance:items", committee, item.date.year)
    context = _staff_context(request, committee, year)
    context |= {
        "items": selectors.items_of(user=request.user, committee=committee, year=year)
        if committee
        else [],
        "form": form,
    }
    return render(request, "performance/items.html", context)


@require_POST
@workspace_required("performance.enter_item")
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    committee, year = item.committee, item.date.year
    services.item_remove(item=item, actor=request.user)
    messages.success(request, _("The record has been withdrawn; points recomputed."))
    return _back("performance:items", committee, year)


# --- Plenary, standing and chairs' meetings ---------------------------------------------


@workspace_required("performance.record_sessions")
def sessions(request: HttpRequest) -> HttpResponse:
    """The committee's plenary, standing and chairs' meetings of the year, and the form
    that records one."""
    year = _year(request)
    committee = _committee(request)
    form = SessionForm()
    if request.method == "POST":
        if committee is None:
            raise DomainError(_("Choose a committee. Reload the page and try again."))
        form = SessionForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            session = services.session_create(
                committee=committee,
                data=services.SessionInput(kind=d["kind"], date=d["date"], title=d["title"]),
                actor=request.user,
            )
            messages.success(request, _("The meeting has been recorded: now its attendance."))
            return redirect("performance:session", pk=session.pk)
    context = _staff_context(request, committee, year)
    context |= {
        "sessions": selectors.sessions_of(user=request.user, committee=committee, year=year)
        if committee
        else [],
        "form": form,
    }
    return render(request, "performance/sessions.html", context)


@workspace_required("performance.record_sessions")
def session(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's attendance: who was present, on leave (with the reason), excused or
    absent; the members not yet recorded, to record at once."""
    found = selectors.session_get(user=request.user, pk=pk)
    if request.method == "POST":
        ids = [int_param(x) for x in request.POST.getlist("member")]
        statuses = request.POST.getlist("status")
        reasons = request.POST.getlist("reason")
        if None in ids or not len(ids) == len(statuses) == len(reasons):
            raise DomainError(_("The form was incomplete. Reload the page and try again."))
        members = selectors.session_members(session=found, ids=[i for i in ids if i])
        entries = []
        for member_id, status, reason in zip(ids, statuses, reasons, strict=True):
            if not status:  # not recorded now
                continue
            if member_id not in members:
                raise DomainError(_("Only the committee's own members can be named."))
            entries.append(services.AttendanceInput(members[member_id], status, reason))
        made = services.attendance_record(session=found, entries=entries, actor=request.user)
        messages.success(
            request,
            _("Attendance of %(count)d members recorded; points recomputed.")
            % {"count": len(made)},
        )
        return redirect("performance:session", pk=found.pk)
    context = _staff_context(request, found.committee, found.date.year)
    context |= {
        "session": found,
        "attendances": selectors.session_attendances(found),
        "unrecorded": selectors.session_unrecorded(found),
        "statuses": AttendanceStatus.choices,
        "timeline": event_timeline(found),
    }
    return render(request, "performance/session.html", context)


@require_POST
@workspace_required("performance.record_sessions")
def attendance_change(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = selectors.attendance_get(user=request.user, pk=pk)
    form = AttendanceChangeForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Choose present, on leave, excused or absent."))
    services.attendance_change(
        attendance=attendance,
        status=form.cleaned_data["status"],
        reason=form.cleaned_data["reason"],
        actor=request.user,
    )
    messages.success(request, _("The attendance has been changed; points recomputed."))
    return redirect("performance:session", pk=attendance.session_id)


@workspace_required("performance.view_ranking")
def below(request: HttpRequest) -> HttpResponse:
    """Members below the pro-rata baseline at the latest checkpoint of the year, and their
    points now (staff; the list 我的工作 links to)."""
    chosen = request.GET.get("committee")
    committee = _committee(request)
    year = timezone.localdate().year
    context = _staff_context(request, committee, year)
    # From 我的工作 (no committee chosen): every committee of the user's that has some.
    context["flags"] = (
        selectors.baseline_flags(user=request.user, committee=committee if chosen else None)
        if committee
        else []
    )
    return render(request, "performance/below.html", context)


# --- Livelihood results (民生实事) and 三个一 ----------------------------------------------


@workspace_required("performance.manage_results")
def results(request: HttpRequest) -> HttpResponse:
    """The committee's livelihood results, and the form to record one."""
    committee = _committee(request)
    workrooms = workroom_list(user=request.user, committee_id=committee.pk) if committee else None
    form = ResultForm(workrooms=workrooms)
    if request.method == "POST":
        if committee is None:
            raise DomainError(_("Choose a committee. Reload the page and try again."))
        form = ResultForm(request.POST, workrooms=workrooms)
        if form.is_valid():
            d = form.cleaned_data
            result = services.result_create(
                committee=committee,
                data=services.ResultInput(
                    title=d["title"],
                    place=d["place"],
                    department=d["department"],
                    figures=d["figures"],
                    description=d["description"],
                    workroom=d["workroom"],
                ),
                actor=request.user,
            )
            messages.success(request, _("The livelihood result has been recorded."))
            return redirect("performance:result", pk=result.pk)
    context = _staff_context(request, committee, _year(request))
    context |= {
        "results": selectors.results_of(user=request.user, committee=committee)
        if committee
        else [],
        "form": form,
    }
    return render(request, "performance/results.html", context)


@workspace_required("performance.manage_results")
def result(request: HttpRequest, pk: int) -> HttpResponse:
    """A livelihood result: its status, and the suggestions and proposals behind it."""
    item = selectors.result_get(user=request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "status":
            services.result_set_status(
                result=item, status=request.POST.get("status", ""), actor=request.user
            )
            messages.success(request, _("The status has been changed."))
        elif action == "link":
            codes = [c for c in request.POST.get("codes", "").replace("，", ",").split(",") if c]
            numbers = [
                n for n in request.POST.get("proposals", "").replace("，", ",").split(",") if n
            ]
            found_suggestions = []
            for code in codes[:20]:
                try:
                    found_suggestions.append(suggestion_get_by_code(code=code))
                except Http404:
                    raise DomainError(
                        _("No suggestion has the tracking code %(code)s.") % {"code": code.strip()}
                    ) from None
            found_proposals = []
            for number in numbers[:20]:
                proposal = proposal_find(committee_id=item.committee_id, number_or_id=number)
                if proposal is None:
                    raise DomainError(
                        _("The committee has no filed proposal %(number)s.")
                        % {"number": number.strip()}
                    )
                found_proposals.append(proposal)
            services.result_link(
                result=item,
                suggestions=found_suggestions,
                proposals=found_proposals,
                actor=request.user,
            )
            messages.success(request, _("The causes have been linked."))
        else:
            raise DomainError(_("Unknown action. Reload the page and try again."))
        return redirect("performance:result", pk=item.pk)
    return render(
        request,
        "performance/result.html",
        {
            "result": item,
            "statuses": ResultStatus.choices,
            "suggestions": item.suggestions.all(),
            "proposals": item.proposals.all(),
        },
    )


@workspace_required("performance.manage_results")
def plans(request: HttpRequest) -> HttpResponse:
    """三个一 of the committee's workrooms for the year: who is done, late or missing."""
    year = _year(request)
    committee = _committee(request)
    form = PlanForm()
    if request.method == "POST":
        if committee is None:
            raise DomainError(_("Choose a committee. Reload the page and try again."))
        workroom = (
            workroom_list(user=request.user, committee_id=committee.pk)
            .filter(pk=int_param(request.POST.get("workroom")) or 0)
            .first()
        )
        if workroom is None:
            raise DomainError(_("Choose one of the committee's workrooms."))
        action = request.POST.get("action", "")
        if action == "plan":
            form = PlanForm(request.POST)
            if form.is_valid():
                services.plan_set(
                    workroom=workroom,
                    year=year,
                    data=services.PlanInput(**form.cleaned_data),
                    actor=request.user,
                )
                messages.success(request, _("The 三个一 plan has been saved."))
                return _back("performance:plans", committee, year)
        elif action == "fulfil":
            plan = selectors.plan_get(workroom=workroom, year=year)
            if plan is None:
                raise DomainError(_("Set the workroom's 三个一 plan first."))
            research = None
            activity_id = int_param(request.POST.get("activity"))
            if activity_id is not None:
                research = activity_get(user=request.user, pk=activity_id)
            proposal = None
            if request.POST.get("proposal", "").strip():
                proposal = proposal_find(
                    committee_id=committee.pk, number_or_id=request.POST["proposal"]
                )
                if proposal is None:
                    raise DomainError(
                        _("The committee has no filed proposal %(number)s.")
                        % {"number": request.POST["proposal"].strip()[:40]}
                    )
            livelihood = None
            result_id = int_param(request.POST.get("result"))
            if result_id is not None:
                livelihood = selectors.result_get(user=request.user, pk=result_id)
            services.plan_fulfil(
                plan=plan,
                research=research,
                proposal=proposal,
                livelihood=livelihood,
                actor=request.user,
            )
            messages.success(request, _("The 三个一 plan has been updated."))
            return _back("performance:plans", committee, year)
        else:
            raise DomainError(_("Unknown action. Reload the page and try again."))
    context = _staff_context(request, committee, year)
    context |= {
        "rows": selectors.plans_of(
            user=request.user, committee=committee, year=year, today=timezone.localdate()
        )
        if committee
        else [],
        "results": selectors.results_of(user=request.user, committee=committee)
        if committee
        else [],
        "form": form,
    }
    return render(request, "performance/plans.html", context)


@public
@require_safe
@replica_reads
def results_public(request: HttpRequest, code: str) -> HttpResponse:
    """民生实事: what the committee's work got fixed or built, and the voices behind it."""
    committee = committee_get_public(code=code)
    return render(
        request,
        "performance/results_public.html",
        {"committee": committee, "results": selectors.results_public(committee=committee)},
    )


@workspace_required("performance.enter_item")
def item_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence of an entered record, for the committee's staff; always a download
    (never shown inline), privately cached."""
    item = selectors.item_get(user=request.user, pk=pk)
    if not item.evidence:
        raise Http404(_("This record has no evidence."))
    return file_response(item.evidence, filename=f"evidence-{item.pk}")
