"""Pages of the figures: the staff and leaders' dashboard with drill-down and Excel, and
the public figures page of a committee."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.decorators import public, workspace_required
from xieshang.core.http import int_param
from xieshang.core.models import Committee
from xieshang.core.periods import Period
from xieshang.core.replica import replica_reads
from xieshang.core.selectors import committee_get_public
from xieshang.figures.definitions import BASES, FIGURES
from xieshang.figures.exports import figures_workbook
from xieshang.figures.monthly import DAYS, monthly_topics
from xieshang.figures.rates import hotline_rates
from xieshang.figures.report import yearly_report
from xieshang.figures.selectors import (
    MemberGroup,
    Scope,
    figure_committee_get,
    figure_committees,
    figure_group_get,
    figure_records,
    figure_workroom_get,
    member_groups_for_picker,
    public_keys,
    workrooms_for_picker,
)
from xieshang.figures.views_data import Table, figure_table
from xieshang.workrooms.models import Workroom
from xieshang.workrooms.selectors import workroom_get_public

PAGE = 50


def _choice(request: HttpRequest) -> tuple[Committee, Any, Period, list[Committee]]:
    """The committee (default: the first the user may see), workroom — or group of
    members (`group=sector:12`), which wins — and period the query string names."""
    committees = list(figure_committees(user=request.user))
    if not committees:
        raise Http404(_("No such committee, or its figures are not yours to see."))
    code = request.GET.get("committee", "")
    committee = figure_committee_get(user=request.user, code=code) if code else committees[0]
    workroom_id = int_param(request.GET.get("workroom"))
    workroom: Any = (
        figure_workroom_get(committee=committee, pk=workroom_id) if workroom_id else None
    )
    group = request.GET.get("group", "")
    if group:
        workroom = figure_group_get(committee=committee, value=group)
    return committee, workroom, Period.from_query(request.GET), committees


def _query(committee: Committee, workroom: Any, period: Period, **extra: str) -> str:
    params = {"committee": committee.code, **period.as_query(), **extra}
    if isinstance(workroom, MemberGroup):
        params["group"] = workroom.value
    elif workroom is not None:
        params["workroom"] = str(workroom.pk)
    return urlencode(params)


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 6, -1))


@workspace_required("figures.view_figures")
@replica_reads
def dashboard(request: HttpRequest) -> HttpResponse:
    committee, workroom, period, committees = _choice(request)
    table = figure_table(committee, period, workroom=workroom)
    return render(
        request,
        "figures/dashboard.html",
        {
            "table": table,
            "committee": committee,
            "workroom": workroom,
            "period": period,
            "committees": committees,
            "workrooms": workrooms_for_picker(committee=committee),
            "groups": member_groups_for_picker(committee=committee),
            "group": workroom if isinstance(workroom, MemberGroup) else None,
            "years": _years(),
            "query": _query(committee, workroom, period),
            "chart": table.chart(),
        },
    )


def _choices(model: Any, lookup: str) -> dict[Any, str]:
    """The labels of a looked-up field's choices (a status in words), or {}."""
    parts = lookup.split("__")
    try:
        for part in parts[:-1]:
            model = model._meta.get_field(part).related_model
        field = model._meta.get_field(parts[-1])
    except (FieldDoesNotExist, AttributeError):  # not a plain field
        return {}
    return {value: str(label) for value, label in getattr(field, "flatchoices", None) or ()}


@workspace_required("figures.view_figures")
@replica_reads
def records(request: HttpRequest) -> HttpResponse:
    """The records a figure counts: its drill-down list."""
    committee, workroom, period, _committees = _choice(request)
    key = request.GET.get("figure", "")
    if key not in FIGURES:
        raise Http404(_("No such figure."))
    fig = FIGURES[key]
    counted = FIGURES[fig.numerator] if fig.how == "ratio" else fig
    base = BASES[counted.base]
    qs = figure_records(key, Scope.of(committee, workroom), period)
    lookups = [lookup for _label, lookup in base.columns]
    committee_name = base.committee_field.removesuffix("_id") + "__short_name"
    rows = qs.order_by("pk").values_list("pk", committee_name, *lookups)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    labels = [_choices(qs.model, lookup) for lookup in lookups]
    page.object_list = [
        (
            row[0],
            row[1],
            *(lab.get(v, v) if lab else v for lab, v in zip(labels, row[2:], strict=True)),
        )
        for row in page.object_list
    ]
    return render(
        request,
        "figures/records.html",
        {
            "figure": fig,
            "counted": counted,
            "base": base,
            "page": page,
            "committee": committee,
            "workroom": workroom,
            "period": period,
            "query": _query(committee, workroom, period, figure=key),
            "back": _query(committee, workroom, period),
        },
    )


@workspace_required("figures.view_figures")
@replica_reads
def export(request: HttpRequest) -> HttpResponse:
    committee, workroom, period, _committees = _choice(request)
    table = figure_table(committee, period, workroom=workroom)
    response = HttpResponse(
        figures_workbook(table),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"figures-{committee.code}-{period.start.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _last_month() -> Period:
    first = timezone.localdate().replace(day=1)
    return Period.month(first.year - (first.month == 1), (first.month - 2) % 12 + 1)


@workspace_required("figures.view_figures")
@replica_reads
def rates(request: HttpRequest) -> HttpResponse:
    """The three hotline rates (响应率, 解决率, 满意率) by department, committee, workroom
    and street, ranked; last month unless the query names a period."""
    committee, _workroom, period, committees = _choice(request)
    if period.kind != "month":  # none named, or a month that does not exist: last month
        period = _last_month()
    return render(
        request,
        "figures/rates.html",
        {
            "rates": hotline_rates(committee, period),
            "committee": committee,
            "committees": committees,
            "period": period,
            "years": _years(),
            "months": range(1, 13),
        },
    )


@workspace_required("figures.view_figures")
@replica_reads
def monthly(request: HttpRequest) -> HttpResponse:
    """每月一题: the top hotspots of the last 30 days, or of a past month the query names
    (`month=2025-11`, one of the last twelve), and what came of each."""
    committee, _workroom, _period, committees = _choice(request)
    months = _past_months(timezone.localdate(), 12)
    chosen = next(
        (m for m in months if m.start.strftime("%Y-%m") == request.GET.get("month")), None
    )
    return render(
        request,
        "figures/monthly.html",
        {
            "followed": monthly_topics(committee, month=chosen),
            "committee": committee,
            "committees": committees,
            "days": DAYS,
            "month": chosen,
            "months": [(m.start.strftime("%Y-%m"), m) for m in months],
        },
    )


def _past_months(today: Any, count: int) -> list[Period]:
    """The `count` calendar months before this one, the latest first."""
    found: list[Period] = []
    year, month = today.year, today.month
    while len(found) < count:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        found.append(Period.month(year, month))
    return found


@workspace_required("figures.view_figures")
@replica_reads
def report(request: HttpRequest) -> HttpResponse:
    """The yearly report (Word) of the committee or workroom: the year the query names."""
    committee, workroom, period, _committees = _choice(request)
    year = Period.year(period.start.year)
    table = figure_table(committee, year, workroom=workroom)
    response = HttpResponse(
        yearly_report(table),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    code = committee.code if workroom is None else workroom.code
    name = f"figures-{code}-{year.start.year}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _public_year(request: HttpRequest) -> Period:
    this_year = timezone.localdate().year
    year = int_param(request.GET.get("year")) or this_year
    if not this_year - 10 <= year <= this_year:
        year = this_year
    return Period.year(year)


def _public_table(
    committee: Committee, workroom: Workroom | None, period: Period, *, rollup: bool = True
) -> Table:
    """The published figures of a committee or an open workroom (no ratios for a
    workroom), only those that apply."""
    keys = [k for k in public_keys() if workroom is None or FIGURES[k].how != "ratio"]
    table = figure_table(committee, period, workroom=workroom, keys=keys, rollup=rollup)
    table.rows = [r for r in table.rows if r.value is not None]
    return table


def _public_page(
    request: HttpRequest, committee: Committee, workroom: Workroom | None
) -> HttpResponse:
    period = _public_year(request)
    table = _public_table(committee, workroom, period)
    return render(
        request,
        "figures/public.html",
        {
            "table": table,
            "committee": committee,
            "workroom": workroom,
            "period": period,
            "years": _years(),
            "chart": table.chart(),
        },
    )


# The wall screen counts afresh this often (a meta refresh: no script needed).
SCREEN_REFRESH_SECONDS = 300


def _screen(request: HttpRequest, committee: Committee, workroom: Workroom | None) -> HttpResponse:
    """The published figures full-screen, for the office's wall screen (数据大屏)."""
    period = _public_year(request)
    table = _public_table(committee, workroom, period, rollup=False)
    return render(
        request,
        "figures/screen.html",
        {
            "table": table,
            "period": period,
            "chart": table.chart(),
            "updated": timezone.localtime(),
            "refresh_seconds": SCREEN_REFRESH_SECONDS,
        },
    )


@public
@replica_reads
def public_screen(request: HttpRequest, code: str) -> HttpResponse:
    return _screen(request, committee_get_public(code=code), None)


@public
@replica_reads
def public_workroom_screen(request: HttpRequest, code: str) -> HttpResponse:
    workroom = workroom_get_public(code=code)
    return _screen(request, workroom.committee, workroom)


@public
@replica_reads
def public_figures(request: HttpRequest, code: str) -> HttpResponse:
    """The committee's published figures for a year: no personal data, no drill-down."""
    return _public_page(request, committee_get_public(code=code), None)


@public
@replica_reads
def public_workroom_figures(request: HttpRequest, code: str) -> HttpResponse:
    """An open workroom's published figures for a year."""
    workroom = workroom_get_public(code=code)
    return _public_page(request, workroom.committee, workroom)
