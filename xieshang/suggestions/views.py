"""Pages of the suggestions app: the citizen's submit, tracking and results pages (public),
the staff triage inbox, and the department's referral inbox."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xieshang.core.decorators import public, workspace_required
from xieshang.core.errors import DomainError
from xieshang.core.http import client_ip, date_param, image_response, int_param, with_toast
from xieshang.core.posters import poster_pdf, poster_png, poster_svg
from xieshang.core.replica import replica_reads
from xieshang.core.selectors import committee_get_public
from xieshang.people.selectors import committee_list_for_user
from xieshang.suggestions import hooks, services
from xieshang.suggestions.exports import suggestions_workbook
from xieshang.suggestions.forms import (
    ActionForm,
    AddInformationForm,
    EntryForm,
    FollowForm,
    RatingForm,
    SuggestionForm,
)
from xieshang.suggestions.models import (
    Campaign,
    ReferralStatus,
    RejectReason,
    ReplyResult,
    Source,
    Suggestion,
    SuggestionStatus,
)
from xieshang.suggestions.selectors import (
    InboxFilter,
    IntakeSetup,
    areas_of,
    campaign_get_public,
    categories_of,
    departments_of,
    escalation_get,
    escalation_inbox,
    follow_token_read,
    intake_setup,
    intake_setup_public,
    photo_get,
    public_stages_ahead,
    public_timeline,
    referral_get,
    referral_inbox,
    suggestion_get,
    suggestion_get_followable,
    suggestion_get_tracked,
    suggestion_inbox,
    suggestion_read_get,
    suggestion_reading_list,
    suggestion_results_public,
    suggestions_for_export,
    suggestions_offered_to,
)
from xieshang.suggestions.workflow import (
    ESCALATION_WORKFLOW,
    REFERRAL_WORKFLOW,
    SUGGESTION_WORKFLOW,
)
from xieshang.workrooms.models import Workroom
from xieshang.workrooms.selectors import workroom_get_public


def _submit(
    request: HttpRequest,
    setup: IntakeSetup,
    *,
    workroom: Workroom | None = None,
    campaign: Campaign | None = None,
) -> HttpResponse:
    if campaign is not None and not campaign.is_open():
        return render(
            request,
            "suggestions/campaign_closed.html",
            {
                "campaign": campaign,
                "committee": setup.committee,
                "not_yet": campaign.starts_at > timezone.now(),
            },
            status=410,
        )
    form = SuggestionForm(request.POST or None, request.FILES or None, setup=setup)
    if request.method == "POST" and form.is_valid():
        try:
            suggestion, _created = services.suggestion_submit(
                intake=form.intake(
                    workroom=workroom or (campaign.workroom if campaign else None),
                    campaign=campaign,
                    client_ip=client_ip(request),
                )
            )
        except services.PhotoRefused as refusal:
            form.add_error("photos", str(refusal.message))
        else:
            url = reverse("suggestions:track", args=[suggestion.tracking_code])
            return redirect(url + "?new=1")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "suggestions/submit.html",
        {"form": form, "committee": setup.committee, "workroom": workroom, "campaign": campaign},
        status=status,
    )


@public
def submit(request: HttpRequest, code: str) -> HttpResponse:
    return _submit(request, intake_setup_public(code=code))


@public
def submit_at_workroom(request: HttpRequest, code: str) -> HttpResponse:
    workroom = workroom_get_public(code=code)
    return _submit(request, intake_setup(committee=workroom.committee), workroom=workroom)


@public
def submit_in_campaign(request: HttpRequest, code: str) -> HttpResponse:
    campaign = campaign_get_public(code=code)
    return _submit(request, intake_setup(committee=campaign.committee), campaign=campaign)


def _tracked(request: HttpRequest, code: str) -> Suggestion:
    return suggestion_get_tracked(address=client_ip(request), code=code)


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    """An unknown code: the look-up page again, with the code in the box to correct it."""
    return render(
        request,
        "suggestions/track_lookup.html",
        {"error": _("No record matches this tracking code."), "code": code[:16]},
        status=404,
    )


@public
def track_lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip().upper().replace("-", "").replace(" ", "")
    if code and code.isascii() and code.isalnum() and len(code) <= 16:
        try:
            suggestion = _tracked(request, code)
        except Http404:
            return _not_found(request, code)
        return redirect("suggestions:track", code=suggestion.tracking_code)
    if code:
        return render(
            request,
            "suggestions/track_lookup.html",
            {"error": _("A tracking code has only letters and digits, like 7KQ2M9XH4P.")},
            status=400,
        )
    return render(request, "suggestions/track_lookup.html")


@public
@never_cache
def track(request: HttpRequest, code: str) -> HttpResponse:
    try:
        suggestion = _tracked(request, code)
    except Http404:
        if request.method == "POST":
            raise
        return _not_found(request, code)
    followed = suggestion.merged_into or suggestion
    add_form = AddInformationForm()
    if request.method == "POST":
        if request.POST.get("form") == "rate":
            rate_form = RatingForm(request.POST)
            if not rate_form.is_valid():
                raise DomainError(_("Choose how satisfied you are."))
            services.suggestion_rate(
                suggestion=suggestion,
                rating=rate_form.cleaned_data["rating"],
                comment=rate_form.cleaned_data["comment"],
                expected_state=rate_form.cleaned_data["expected_state"],
            )
            messages.success(request, _("Thank you for your rating."))
            return redirect("suggestions:track", code=suggestion.tracking_code)
        add_form = AddInformationForm(request.POST)
        if add_form.is_valid():
            services.suggestion_add_information(
                suggestion=suggestion, text=add_form.cleaned_data["text"]
            )
            messages.success(request, _("Your information has been added."))
            return redirect("suggestions:track", code=suggestion.tracking_code)
        # Otherwise the page again, with what was typed and what is wrong with it.
    return render(
        request,
        "suggestions/track.html",
        {
            "add_form": add_form,
            "suggestion": suggestion,
            "followed": followed,
            "timeline": public_timeline(followed),
            "ahead": public_stages_ahead(followed),
            "is_new": request.GET.get("new") == "1",
            "rate_form": RatingForm(initial={"expected_state": followed.status}),
            "can_rate": followed.status == SuggestionStatus.ANSWERED and followed is suggestion,
            "sections": sorted(hooks.tracking_sections(followed), key=lambda s: s.order),
        },
        status=400 if add_form.errors else 200,
    )


@public
def track_qr(request: HttpRequest, code: str) -> HttpResponse:
    suggestion = _tracked(request, code)
    url = request.build_absolute_uri(reverse("suggestions:track", args=[suggestion.tracking_code]))
    # A file served as an image: it names the SVG namespace (browsers refuse to draw it
    # otherwise) and has a viewBox so that the <img> scales it to any width.
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=4, title=suggestion.tracking_code, xmldecl=False,
        svgns=True, omitsize=True,
    )  # fmt: skip
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@public
@replica_reads
def results(request: HttpRequest, code: str) -> HttpResponse:
    committee = committee_get_public(code=code)
    query = request.GET.get("q", "").strip()[:50]
    category = int_param(request.GET.get("category"))
    page = Paginator(
        suggestion_results_public(committee=committee, query=query, category_id=category), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/results.html",
        {
            "committee": committee,
            "page": page,
            "q": query,
            "category": category,
            "categories": categories_of(committee.pk),
        },
    )


def _inbox_filter(request: HttpRequest) -> InboxFilter:
    g = request.GET
    return InboxFilter(
        status=g.get("status", "") if g.get("status") in SuggestionStatus.values else "",
        category_id=int_param(g.get("category")),
        area_id=int_param(g.get("area")),
        source=g.get("source", "") if g.get("source") in Source.values else "",
        campaign_id=int_param(g.get("campaign")),
        since=date_param(g.get("since")),
        until=date_param(g.get("until")),
        query=g.get("q", "").strip()[:50],
        overdue=g.get("overdue") == "1",
        sort=g.get("sort", "-created_at"),
    )


@workspace_required("suggestions.read_suggestion")
def inbox(request: HttpRequest) -> HttpResponse:
    filters = _inbox_filter(request)
    page = Paginator(suggestion_reading_list(user=request.user, filters=filters), 30).get_page(
        request.GET.get("page")
    )
    committee_ids = {s.committee_id for s in page}
    return render(
        request,
        "suggestions/inbox.html",
        {
            "page": page,
            "filters": filters,
            "statuses": SuggestionStatus.choices,
            "sources": Source.choices,
            "categories": [c for cid in committee_ids for c in categories_of(cid)],
            "areas": [a for cid in committee_ids for a in areas_of(cid) if a.parent_id is None],
        },
    )


def _merged(parts: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        merged.update(part)
    return merged


@workspace_required("suggestions.read_suggestion")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_read_get(user=request.user, pk=pk)
    if not request.user.has_perm("suggestions.read_suggestion", suggestion):
        raise PermissionDenied(_("Only staff and leaders of the committee read its suggestions."))
    return render(
        request,
        "suggestions/detail.html",
        {
            "suggestion": suggestion,
            "timeline": SUGGESTION_WORKFLOW.timeline(suggestion, public_only=False),
            "transitions": SUGGESTION_WORKFLOW.available_by_action(suggestion, request.user),
            "referrals": suggestion.referrals.select_related("department"),
            "escalations": suggestion.escalations.select_related("committee"),
            "dispositions": suggestion.dispositions.select_related("member__user", "created_by"),
            "departments": departments_of(suggestion.committee_id),
            "reject_reasons": RejectReason.choices,
            "can_reveal": request.user.has_perm("suggestions.reveal_contact", suggestion),
            "can_categorise": suggestion.is_open
            and request.user.has_perm("suggestions.triage_suggestion", suggestion),
            "categories": categories_of(suggestion.committee_id),
            "sections": sorted(
                hooks.staff_sections(request.user, suggestion), key=lambda s: s.order
            ),
            **_merged(hooks.staff_context(request.user, suggestion)),
        },
    )


@require_POST
@workspace_required("suggestions.triage_suggestion")
def categorise(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the category in triage (a hint's button, or the list)."""
    suggestion = suggestion_get(user=request.user, pk=pk)
    category = (
        categories_of(suggestion.committee_id)
        .filter(pk=int_param(request.POST.get("category")) or 0)
        .first()
    )
    if category is None:
        raise DomainError(_("Choose a category of this committee."))
    services.suggestion_categorise(suggestion=suggestion, category=category, actor=request.user)
    messages.success(request, _("Category set: %(name)s.") % {"name": category.name})
    return redirect("suggestions:detail", pk=suggestion.pk)


@require_POST
@workspace_required("suggestions.triage_suggestion")
def act(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_get(user=request.user, pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("The form is incomplete. Reload the page and try again."))
    d = form.cleaned_data
    user, expected, note = request.user, d["expected_state"], d["note"]
    action = d["action"]
    if action == "answer":
        services.suggestion_answer(
            suggestion=suggestion, actor=user, answer=note, expected_state=expected
        )
    elif action == "reject":
        services.suggestion_reject(
            suggestion=suggestion,
            actor=user,
            reason=d["reason"],
            note=note,
            expected_state=expected,
        )
    elif action == "merge":
        into = suggestion_inbox(user=user).filter(tracking_code=d["into"].strip().upper()).first()
        if into is None:
            raise DomainError(_("No suggestion of yours has that tracking code."))
        services.suggestion_merge(
            suggestion=suggestion, into=into, actor=user, expected_state=expected
        )
    elif action == "escalate":
        services.escalation_create(
            suggestion=suggestion, note=note, actor=user, expected_state=expected
        )
    elif action == "refer":
        department = departments_of(suggestion.committee_id).filter(pk=d["department"]).first()
        if department is None:
            raise DomainError(_("Choose a department of this committee."))
        services.referral_create(
            suggestion=suggestion,
            department=department,
            instructions=note,
            actor=user,
            share_contact=d["share_contact"],
            working_days=d["working_days"],
            expected_state=expected,
        )
    else:
        services.suggestion_transition(
            suggestion=suggestion,
            action=action,
            actor=user,
            note=note,
            expected_state=expected,
            member_id=int_param(request.POST.get("member")) if action == "opinion" else None,
        )
    messages.success(request, _("Done."))
    return redirect("suggestions:detail", pk=suggestion.pk)


@require_POST
@workspace_required("suggestions.view_suggestion")
def reveal_contact(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_get(user=request.user, pk=pk)
    if not request.user.has_perm("suggestions.reveal_contact", suggestion):
        raise PermissionDenied(_("You may not see citizens' contact details."))
    phone = services.suggestion_reveal_contact(
        suggestion=suggestion, actor=request.user, why=request.POST.get("why", "")[:200]
    )
    response = render(
        request, "suggestions/_contact.html", {"phone": phone, "suggestion": suggestion}
    )
    return with_toast(response, _("Seeing the number is recorded on the timeline."))


@workspace_required("suggestions.claim_suggestion")
def offered(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "suggestions/offered.html",
        {"suggestions": suggestions_offered_to(user=request.user)},
    )


@workspace_required("suggestions.view_referral")
def referrals(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    referrals = referral_inbox(
        user=request.user, open_only=request.GET.get("all") != "1", status=status
    )
    page = Paginator(referrals, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/referrals.html",
        {"page": page, "status": status if status in ReferralStatus.values else ""},
    )


@workspace_required("suggestions.view_referral")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_get(user=request.user, pk=pk)
    suggestion = referral.suggestion
    return render(
        request,
        "suggestions/referral_detail.html",
        {
            "referral": referral,
            "suggestion": suggestion,
            "transitions": REFERRAL_WORKFLOW.available_by_action(referral, request.user),
            "timeline": REFERRAL_WORKFLOW.timeline(referral, public_only=False),
            "results": ReplyResult.choices,
            "show_contact": referral.share_contact,
        },
    )


@require_POST
@workspace_required("suggestions.view_referral")
def referral_act(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_get(user=request.user, pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("The form is incomplete. Reload the page and try again."))
    d = form.cleaned_data
    if d["action"] == "reply":
        if d["result"] not in ReplyResult.values or len(d["note"].strip()) < 10:
            raise DomainError(_("Write the reply (at least 10 characters) and choose a result."))
        services.referral_reply(
            referral=referral,
            actor=request.user,
            text=d["note"],
            result=d["result"],
            expected_state=d["expected_state"],
        )
    elif d["action"] == "approve":
        services.referral_approve(
            referral=referral, actor=request.user, expected_state=d["expected_state"]
        )
    else:
        services.referral_transition(
            referral=referral,
            action=d["action"],
            actor=request.user,
            note=d["note"],
            expected_state=d["expected_state"],
        )
    messages.success(request, _("Done."))
    return redirect("suggestions:referral", pk=referral.pk)


@workspace_required("suggestions.view_suggestion")
def escalations(request: HttpRequest) -> HttpResponse:
    page = Paginator(escalation_inbox(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "suggestions/escalations.html", {"page": page})


@workspace_required("suggestions.view_suggestion")
def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = escalation_get(user=request.user, pk=pk)
    return render(
        request,
        "suggestions/escalation_detail.html",
        {
            "escalation": escalation,
            "suggestion": escalation.suggestion,
            "transitions": ESCALATION_WORKFLOW.available_by_action(escalation, request.user),
            "timeline": ESCALATION_WORKFLOW.timeline(escalation, public_only=False),
        },
    )


@require_POST
@workspace_required("suggestions.view_suggestion")
def escalation_act(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = escalation_get(user=request.user, pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("The form is incomplete. Reload the page and try again."))
    services.escalation_transition(
        escalation=escalation,
        action=form.cleaned_data["action"],
        actor=request.user,
        note=form.cleaned_data["note"],
        expected_state=form.cleaned_data["expected_state"],
    )
    messages.success(request, _("Done."))
    return redirect("suggestions:escalation", pk=escalation.pk)


@workspace_required("suggestions.read_suggestion")
@replica_reads
def export(request: HttpRequest) -> HttpResponse:
    """The inbox as an Excel file, with the same filters."""
    rows = suggestions_for_export(user=request.user, filters=_inbox_filter(request))
    response = HttpResponse(
        suggestions_workbook(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="suggestions-{stamp}.xlsx"'
    return response


@workspace_required("suggestions.enter_suggestion")
def enter(request: HttpRequest) -> HttpResponse:
    """Enter a suggestion for a citizen, in one of the user's committees."""
    committees = list(committee_list_for_user(user=request.user))
    chosen = int_param(request.POST.get("committee") or request.GET.get("committee"))
    committee = next((c for c in committees if c.pk == chosen), None) or (
        committees[0] if committees else None
    )
    if committee is None or not request.user.has_perm("suggestions.enter_suggestion", committee):
        raise PermissionDenied(_("You may not enter suggestions for this committee."))
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        setup=intake_setup(committee=committee, fresh=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            suggestion, _created = services.suggestion_submit(
                intake=form.intake(
                    workroom=form.cleaned_data["workroom"],
                    channel=form.cleaned_data["channel"],
                ),
                entered_by=request.user,
            )
        except services.PhotoRefused as refusal:
            form.add_error("photos", str(refusal.message))
        else:
            messages.success(
                request,
                _("Entered. Give the citizen the tracking code %(code)s.")
                % {"code": suggestion.tracking_code},
            )
            return redirect(reverse("suggestions:enter") + f"?committee={committee.pk}")
    return render(
        request,
        "suggestions/enter.html",
        {"form": form, "committee": committee, "committees": committees},
        status=400 if request.method == "POST" else 200,
    )


POSTERS = {
    "png": (poster_png, "image/png"),
    "svg": (poster_svg, "image/svg+xml"),
    "pdf": (poster_pdf, "application/pdf"),
}


def _poster(
    request: HttpRequest, *, path: str, subtitle: str, footer: str, fmt: str
) -> HttpResponse:
    render_poster, content_type = POSTERS[fmt]
    body = render_poster(
        url=request.build_absolute_uri(path),
        title=_("Scan to hand in a suggestion"),
        subtitle=subtitle,
        footer=footer,
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="poster.{fmt}"'
    return response


@public
def workroom_poster(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """A printable poster with the workroom's own QR code (it records the workroom)."""
    workroom = workroom_get_public(code=code)
    path = reverse("suggestions:submit_workroom", args=[workroom.code])
    return _poster(
        request, path=path, subtitle=workroom.name, footer=workroom.committee.name, fmt=fmt
    )


@public
def campaign_poster(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    campaign = campaign_get_public(code=code)
    path = reverse("suggestions:submit_campaign", args=[campaign.code])
    return _poster(
        request, path=path, subtitle=campaign.title, footer=campaign.committee.name, fmt=fmt
    )


@require_POST
@workspace_required("suggestions.view_referral")
def referral_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The citizen's number for the department, when staff shared it for this referral."""
    referral = referral_get(user=request.user, pk=pk)
    phone = services.referral_reveal_contact(referral=referral, actor=request.user)
    response = render(
        request, "suggestions/_contact.html", {"phone": phone, "suggestion": referral.suggestion}
    )
    return with_toast(response, _("Seeing the number is recorded on the timeline."))


@workspace_required("suggestions.view_referral")
def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A citizen's photo, served only to those who may see the suggestion: photos are
    never published under a public address."""
    record = photo_get(user=request.user, pk=pk)
    return image_response(record.image)


@workspace_required("suggestions.view_referral")
def photo_preview(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The photo at most 480 pixels on its longer side, to the same people: what the pages
    show, linking to the photo itself."""
    record = services.photo_preview_ensure(photo=photo_get(user=request.user, pk=pk))
    return image_response(record.preview or record.image)


# --- Following a similar open suggestion (the insights app finds them while one writes) ---


@public
def follow(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """A similar suggestion's public status, and the form to follow it."""
    committee = committee_get_public(code=code)
    pk = follow_token_read(token)
    suggestion = suggestion_get_followable(committee=committee, pk=pk)
    form = FollowForm(request.POST or None)
    followed = False
    if request.method == "POST" and form.is_valid():
        _follower, _created = services.suggestion_follow(
            suggestion=suggestion,
            phone=form.cleaned_data["phone"],
            email=form.cleaned_data["email"],
            client_ip=client_ip(request),
        )
        followed = True
    return render(
        request,
        "suggestions/follow.html",
        {
            "committee": committee,
            "suggestion": suggestion,
            "form": form,
            "followed": followed,
            "followers": suggestion.followers.count(),
            "timeline": public_timeline(suggestion),
        },
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )
