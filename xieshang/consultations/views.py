"""Pages of the consultations app (协商议事): the committee's topics for the year, a topic
with its events, opinions and the departments' replies, and an opinion sent to a
department (the department's clerk replies there). Thin: forms check, services write."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from xieshang.consultations import services
from xieshang.consultations.documents import opinions_docx
from xieshang.consultations.forms import (
    AnswerForm,
    InviteeForm,
    InviteMembersForm,
    MeetingChangeForm,
    MeetingForm,
    OpinionForm,
    ReplyForm,
    SendForm,
    TopicForm,
)
from xieshang.consultations.models import (
    ConsultationAction,
    InvitationStatus,
    Meeting,
    Topic,
    TopicKind,
)
from xieshang.consultations.selectors import (
    TopicFilter,
    invitation_by_token,
    invitation_counts,
    invitation_get,
    invitations_of_member,
    meeting_attendances,
    meeting_get,
    meeting_history,
    meeting_invitations,
    opinion_get,
    sending_get,
    sending_inbox,
    sign_in_meeting,
    sign_in_token,
    topic_committees,
    topic_departments,
    topic_get,
    topic_list,
    topic_meetings,
    topic_opinions,
    topic_suggestions,
    topic_years,
    topics_issued_public,
)
from xieshang.consultations.workflow import (
    MEETING_WORKFLOW,
    SENDING_WORKFLOW,
    TOPIC_WORKFLOW,
)
from xieshang.core.decorators import public, workspace_required
from xieshang.core.errors import DomainError
from xieshang.core.http import int_param, year_param
from xieshang.core.models import ActorKind
from xieshang.core.selectors import committee_get_public
from xieshang.people.selectors import member_seats_of

A = ConsultationAction


@workspace_required("consultations.view_topic")
def topics(request: HttpRequest) -> HttpResponse:
    """The topics of the user's committees (and joint ones of the districts below), by
    year: the 年度协商计划."""
    years = topic_years(user=request.user)
    asked = request.GET.get("year")
    year = year_param(asked) if asked else (years[0] if years else None)
    if asked == "all":
        year = None
    filters = TopicFilter(
        year=year,
        committee_id=int_param(request.GET.get("committee")),
        kind=request.GET.get("kind", "")[:12],
        query=request.GET.get("q", "").strip()[:50],
    )
    return render(
        request,
        "consultations/topics.html",
        {
            "topics": topic_list(user=request.user, filters=filters),
            "years": years,
            "filters": filters,
            "kinds": TopicKind.choices,
            "can_add": request.user.has_perm("consultations.add_topic"),
        },
    )


@workspace_required("consultations.add_topic")
def topic_new(request: HttpRequest) -> HttpResponse:
    committees = list(topic_committees(user=request.user))
    chosen = int_param(request.POST.get("committee") or request.GET.get("committee"))
    committee = next((c for c in committees if c.pk == chosen), None) or (
        committees[0] if committees else None
    )
    if committee is None or not request.user.has_perm("consultations.add_topic", committee):
        raise PermissionDenied(_("You may not add topics for this committee."))
    form = TopicForm(
        request.POST or None,
        committee_id=committee.pk,
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        topic = services.topic_create(
            committee=committee, data=form.topic_input(), actor=request.user
        )
        messages.success(request, _("The topic has been added to the plan."))
        return redirect("consultations:detail", pk=topic.pk)
    return render(
        request,
        "consultations/topic_form.html",
        {"form": form, "committee": committee, "committees": committees, "topic": None},
        status=400 if request.method == "POST" else 200,
    )


@workspace_required("consultations.view_topic")
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = topic_get(user=request.user, pk=pk)
    if not request.user.has_perm("consultations.change_topic", topic):
        raise PermissionDenied(_("Only the committee's staff may change the topic."))
    form = TopicForm(
        request.POST or None,
        committee_id=topic.committee_id,
        initial=TopicForm.initial_for(topic),
    )
    if request.method == "POST" and form.is_valid():
        services.topic_update(
            topic=topic,
            data=form.topic_input(suggestions=list(topic.suggestions.all())),
            actor=request.user,
        )
        messages.success(request, _("The topic has been changed."))
        return redirect("consultations:detail", pk=topic.pk)
    return render(
        request,
        "consultations/topic_form.html",
        {"form": form, "committee": topic.committee, "committees": [], "topic": topic},
        status=400 if request.method == "POST" else 200,
    )


def _with_attendance(request: HttpRequest, meeting: Any, can_change: bool) -> Any:
    """The event with its sign-ins and, for staff on the day, its sign-in QR code."""
    meeting.signed_in = list(meeting_attendances(meeting=meeting))
    meeting.qr_svg = ""
    if can_change and meeting.date == timezone.localdate():
        url = request.build_absolute_uri(
            reverse("consultations:sign_in", args=[sign_in_token(meeting=meeting)])
        )
        meeting.sign_in_url = url
        # segno writes the SVG itself from the URL: no user text goes into it.
        meeting.qr_svg = mark_safe(segno.make(url, error="m").svg_inline(scale=4))  # noqa: S308
    return meeting


def _detail(request: HttpRequest, topic: Topic, status: int = 200, **forms: Any) -> HttpResponse:
    can_change = request.user.has_perm("consultations.change_topic", topic)
    can_send = request.user.has_perm("consultations.send_opinion", topic)
    return render(
        request,
        "consultations/topic.html",
        {
            "topic": topic,
            "meetings": [
                _with_attendance(request, m, can_change) for m in topic_meetings(topic=topic)
            ],
            "opinions": topic_opinions(topic=topic),
            "departments": topic_departments(topic=topic),
            "suggestions": topic_suggestions(topic=topic),
            "timeline": TOPIC_WORKFLOW.timeline(topic, public_only=False),
            "transitions": TOPIC_WORKFLOW.available_by_action(topic, request.user),
            "can_change": can_change,
            "can_send": can_send,
            "can_see_suggestions": request.user.has_perm(
                "suggestions.view_suggestion", topic.committee
            ),
            "meeting_form": forms.get("meeting_form")
            or (
                MeetingForm(topic=topic, initial={"date": timezone.localdate()})
                if can_change
                else None
            ),
            "opinion_form": forms.get("opinion_form")
            or (OpinionForm(topic=topic) if can_change else None),
            "send_form": forms.get("send_form")
            or (SendForm(committee_id=topic.committee_id) if can_send else None),
            "send_error_opinion": forms.get("send_error_opinion"),
        },
        status=status,
    )


@workspace_required("consultations.view_topic")
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, topic_get(user=request.user, pk=pk))


def _changeable(request: HttpRequest, pk: int) -> Topic:
    topic = topic_get(user=request.user, pk=pk)
    if not request.user.has_perm("consultations.change_topic", topic):
        raise PermissionDenied(_("Only the committee's staff may change the topic."))
    return topic


@require_POST
@workspace_required("consultations.view_topic")
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _changeable(request, pk)
    form = MeetingForm(request.POST, topic=topic)
    if not form.is_valid():
        return _detail(request, topic, status=400, meeting_form=form)
    services.meeting_record(topic=topic, data=form.meeting_input(), actor=request.user)
    messages.success(request, _("The event has been recorded."))
    return redirect("consultations:detail", pk=topic.pk)


@require_POST
@workspace_required("consultations.view_topic")
def opinion_add(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _changeable(request, pk)
    form = OpinionForm(request.POST, topic=topic)
    if not form.is_valid():
        return _detail(request, topic, status=400, opinion_form=form)
    opinion = services.opinion_record(topic=topic, data=form.opinion_input(), actor=request.user)
    messages.success(request, _("Opinion %(n)s has been recorded.") % {"n": opinion.number})
    return redirect("consultations:detail", pk=topic.pk)


@require_POST
@workspace_required("consultations.view_topic")
def opinion_send(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = opinion_get(user=request.user, pk=pk)
    topic = opinion.topic
    if not request.user.has_perm("consultations.send_opinion", topic):
        raise PermissionDenied(_("Only the committee's staff may send opinions to departments."))
    form = SendForm(request.POST, committee_id=topic.committee_id)
    if not form.is_valid():
        return _detail(request, topic, status=400, send_form=form, send_error_opinion=opinion.pk)
    services.opinion_send(
        opinion=opinion, department=form.cleaned_data["department"], actor=request.user
    )
    messages.success(request, _("The opinion has been sent to the department."))
    return redirect("consultations:detail", pk=topic.pk)


@require_POST
@workspace_required("consultations.view_topic")
def topic_act(request: HttpRequest, pk: int) -> HttpResponse:
    topic = topic_get(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    expected = request.POST.get("expected_state") or None
    if action == A.ISSUE:
        services.topic_issue(topic=topic, actor=request.user, expected_state=expected)
        messages.success(request, _("The opinions have been issued."))
    elif action == A.CLOSE:
        services.topic_close(topic=topic, actor=request.user, expected_state=expected)
        messages.success(request, _("The topic has been closed."))
    else:
        raise DomainError(_("The form is incomplete. Reload the page and try again."))
    return redirect("consultations:detail", pk=topic.pk)


@workspace_required("consultations.view_sending")
def sendings(request: HttpRequest) -> HttpResponse:
    """Opinions sent to departments: a clerk's inbox, the staff's follow-through list."""
    return render(
        request,
        "consultations/sendings.html",
        {"sendings": sending_inbox(user=request.user, open_only=request.GET.get("open") == "1")},
    )


def _sending_page(
    request: HttpRequest, pk: int, *, reply_form: ReplyForm | None = None, status: int = 200
) -> HttpResponse:
    sending = sending_get(user=request.user, pk=pk)
    transitions = SENDING_WORKFLOW.available_by_action(sending, request.user)
    return render(
        request,
        "consultations/sending.html",
        {
            "sending": sending,
            "opinion": sending.opinion,
            "topic": sending.opinion.topic,
            "timeline": SENDING_WORKFLOW.timeline(sending, public_only=False),
            "transitions": {k: t for k, t in transitions.items() if k != A.REPLY},
            "reply_form": reply_form or (ReplyForm() if A.REPLY in transitions else None),
            "can_see_topic": request.user.has_perm(
                "consultations.view_topic", sending.opinion.topic
            ),
        },
        status=status,
    )


@workspace_required("consultations.view_sending")
def sending_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _sending_page(request, pk)


@require_POST
@workspace_required("consultations.view_sending")
def sending_act(request: HttpRequest, pk: int) -> HttpResponse:
    sending = sending_get(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    expected = request.POST.get("expected_state") or None
    if action == A.REPLY:
        form = ReplyForm(request.POST)
        if not form.is_valid():
            return _sending_page(request, pk, reply_form=form, status=400)
        services.sending_reply(
            sending=sending,
            actor=request.user,
            adoption=form.cleaned_data["adoption"],
            text=form.cleaned_data["text"],
            expected_state=expected,
        )
    else:
        services.sending_transition(
            sending=sending,
            action=action,
            actor=request.user,
            note=request.POST.get("note", "")[:2000],
            expected_state=expected,
        )
    messages.success(request, _("Done."))
    return redirect("consultations:sending", pk=sending.pk)


@require_safe
@workspace_required("consultations.view_topic")
def topic_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The opinions as one Word document (协商意见书), numbered once issued."""
    topic = topic_get(user=request.user, pk=pk)
    response = HttpResponse(
        opinions_docx(topic),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    filename = f"{_('Letter of consultation opinions')}-{topic.title}.docx"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


@public
@require_safe
def topics_public(request: HttpRequest, code: str) -> HttpResponse:
    """协商成果公开: the committee's consultations whose opinions are issued, with what the
    departments did about them (replies staff approved), without personal data."""
    committee = committee_get_public(code=code)
    year = year_param(request.GET.get("year"))
    return render(
        request,
        "consultations/public.html",
        {
            "committee": committee,
            "topics": topics_issued_public(committee=committee, year=year)[:50],
            "year": year,
        },
    )


@workspace_required("consultations.sign_in")
def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """The page a member's phone opens from the event's QR code: the event, and a button
    to sign in (once, on the day, members of the event's committee only)."""
    meeting = sign_in_meeting(token=token)
    topic = meeting.topic
    committees = {topic.committee_id}
    if topic.is_joint and topic.committee.parent_id:
        committees.add(topic.committee.parent_id)
    if not any(m.committee_id in committees for m in member_seats_of(user=request.user)):
        raise PermissionDenied(_("This sign-in code is for an event of another committee."))
    if request.method == "POST":
        services.meeting_sign_in(token=token, user=request.user)
        messages.success(request, _("You have signed in. Thank you for taking part."))
        return redirect("consultations:sign_in", token=token)
    signed = any(a.member.user_id == request.user.pk for a in meeting_attendances(meeting=meeting))
    return render(
        request,
        "consultations/sign_in.html",
        {"meeting": meeting, "topic": topic, "signed": signed},
    )


# --- Invitations ---------------------------------------------------------------------------


def _link_base(request: HttpRequest) -> str:
    """The site's address as this request reached it, for the invitee's link when
    BOOKING_LINK_BASE_URL (the public address) is not set."""
    return request.build_absolute_uri("/")


def _meeting_page(
    request: HttpRequest, meeting: Meeting, status: int = 200, **forms: Any
) -> HttpResponse:
    can_invite = request.user.has_perm("consultations.invite", meeting)
    is_open = not meeting.is_cancelled and timezone.now() < meeting.starts_at
    invitations = meeting_invitations(meeting=meeting)
    groups = [
        (value, label, [i for i in invitations if i.status == value])
        for value, label in InvitationStatus.choices
    ]
    return render(
        request,
        "consultations/meeting.html",
        {
            "meeting": meeting,
            "topic": meeting.topic,
            "counts": invitation_counts(meeting=meeting),
            "groups": groups,
            "history": _history(meeting, invitations),
            "can_invite": can_invite and is_open,
            "is_open": is_open,
            "can_cancel": bool(MEETING_WORKFLOW.available_by_action(meeting, request.user))
            and is_open,
            "members_form": forms.get("members_form")
            or (InviteMembersForm(meeting=meeting) if can_invite and is_open else None),
            "invitee_form": forms.get("invitee_form")
            or (InviteeForm() if can_invite and is_open else None),
            "change_form": forms.get("change_form")
            or (
                MeetingChangeForm(
                    initial={"date": meeting.date, "time": meeting.time, "place": meeting.place}
                )
                if can_invite and is_open
                else None
            ),
        },
        status=status,
    )


def _history(meeting: Meeting, invitations: list[Any]) -> list[tuple[Any, str]]:
    """The event's steps in words, each with who took it: an answer by the link is the
    invitee's own (named, "by the link"), not an anonymous citizen's."""
    names = {i.pk: i.name for i in invitations}
    rows = []
    for event in meeting_history(meeting=meeting):
        who = event.actor_display
        if event.actor_kind == ActorKind.CITIZEN and event.object_id in names:
            who = _("%(name)s (by the link)") % {"name": names[event.object_id]}
        rows.append((MEETING_WORKFLOW.describe(event), who))
    return rows


@workspace_required("consultations.view_topic")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An event and its invitations: who was invited, accepted, declined, has not answered;
    invite more, send again, move or cancel the event."""
    return _meeting_page(request, meeting_get(user=request.user, pk=pk))


def _invitable(request: HttpRequest, pk: int) -> Meeting:
    meeting = meeting_get(user=request.user, pk=pk)
    if not request.user.has_perm("consultations.invite", meeting):
        raise PermissionDenied(_("Only the committee's staff may invite people to its events."))
    return meeting


@require_POST
@workspace_required("consultations.view_topic")
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _invitable(request, pk)
    if request.POST.get("form") == "members":
        members_form = InviteMembersForm(request.POST, meeting=meeting)
        if not members_form.is_valid():
            return _meeting_page(request, meeting, status=400, members_form=members_form)
        n = len(
            services.members_invite(
                meeting=meeting,
                members=list(members_form.cleaned_data["members"]),
                actor=request.user,
                link_base=_link_base(request),
            )
        )
    else:
        invitee_form = InviteeForm(request.POST)
        if not invitee_form.is_valid():
            return _meeting_page(request, meeting, status=400, invitee_form=invitee_form)
        services.invitation_create(
            meeting=meeting,
            data=invitee_form.invitee_input(),
            actor=request.user,
            link_base=_link_base(request),
        )
        n = 1
    messages.success(request, _("Invitations sent: %(n)s.") % {"n": n})
    return redirect("consultations:meeting", pk=meeting.pk)


@require_POST
@workspace_required("consultations.view_topic")
def meeting_change(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _invitable(request, pk)
    form = MeetingChangeForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, meeting, status=400, change_form=form)
    services.meeting_change(
        meeting=meeting,
        day=form.cleaned_data["date"],
        at=form.cleaned_data["time"],
        place=form.cleaned_data["place"],
        actor=request.user,
        link_base=_link_base(request),
    )
    messages.success(request, _("The event has been changed; its invitees have been told."))
    return redirect("consultations:meeting", pk=meeting.pk)


@require_POST
@workspace_required("consultations.view_topic")
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_get(user=request.user, pk=pk)
    services.meeting_cancel(
        meeting=meeting,
        actor=request.user,
        note=request.POST.get("note", "")[:200],
        expected_state=request.POST.get("expected_state") or None,
    )
    messages.success(request, _("The event has been cancelled; its invitees have been told."))
    return redirect("consultations:meeting", pk=meeting.pk)


@require_POST
@workspace_required("consultations.view_topic")
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = invitation_get(user=request.user, pk=pk)
    services.invitation_resend(
        invitation=invitation, actor=request.user, link_base=_link_base(request)
    )
    messages.success(request, _("The invitation has been sent again."))
    return redirect("consultations:meeting", pk=invitation.meeting_id)


@require_POST
@login_required
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A member answers their invitation in the workspace, or staff record an answer
    given by phone."""
    invitation = invitation_get(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.invitation_answer(
        invitation=invitation,
        action=request.POST.get("action", ""),
        actor=request.user,
        reason=reason,
        expected_state=request.POST.get("expected_state") or None,
    )
    messages.success(request, _("The answer has been recorded."))
    if request.POST.get("back") == "meeting" and request.user.has_perm(
        "consultations.view_topic", invitation.meeting.topic
    ):
        return redirect("consultations:meeting", pk=invitation.meeting_id)
    return redirect("consultations:my_invitations")


@workspace_required("consultations.view_own_invitations")
def my_invitations(request: HttpRequest) -> HttpResponse:
    """A member's invitations to consultation events ahead, to accept or decline."""
    rows = list(invitations_of_member(user=request.user))
    for row in rows:
        row.can_answer = timezone.now() < row.meeting.starts_at  # type: ignore[attr-defined]
    return render(
        request,
        "consultations/my_invitations.html",
        {"invitations": rows},
    )


@public
@never_cache
def invitation_public(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's page, from the link in their SMS or email: the event, and accept or
    decline (a reason optional) until it begins. A forged link answers 404; an answer to
    a cancelled or begun event is refused with nothing changed."""
    invitation = invitation_by_token(token=token)
    meeting = invitation.meeting
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.invitation_answer(invitation=invitation, action=action, reason=reason)
        messages.success(
            request,
            _("Thank you: you have accepted. See you there.")
            if action == A.ACCEPT
            else _("Thank you for letting us know that you cannot come."),
        )
        return redirect("consultations:invitation", token=token)
    return render(
        request,
        "consultations/invitation.html",
        {
            "invitation": invitation,
            "meeting": meeting,
            "topic": meeting.topic,
            "committee": meeting.topic.committee,
            "is_cancelled": meeting.is_cancelled,
            "has_begun": timezone.now() >= meeting.starts_at,
            "form": form,
        },
    )
