"""One test that walks every URL pattern of the project.

Each pattern is either marked `@public`, or refuses an anonymous user and the outsider
(staff of 海珠) on 天河's records — and changes nothing when they try. A new page cannot
forget its check: this test reaches it and fails. A pattern with parameters needs sample
values below; the test fails for one it does not know.

An app built later brings its own samples in `xieshang/<app>/tests/walk.py`: `SAMPLES`
(name → sample kwargs), and optionally `POST_ONLY`, `INSIDER`, `SENTINELS` and
`prepare(cast)`, which writes the app's 天河 records after the ones below.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from types import ModuleType
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.utils import timezone

from xieshang.activities.models import Activity, ActivityKind
from xieshang.activities.services import (
    ActivityInput,
    activity_kinds_install_defaults,
    activity_record,
)
from xieshang.conftest import Cast, make_user
from xieshang.core.decorators import is_public
from xieshang.core.models import CalendarDay, DayKind
from xieshang.core.photos import CleanPhoto
from xieshang.core.privacy import encrypt, lookup_hash, mask_mobile
from xieshang.duty.models import Booking, ClosedDate, DutyPattern, ShiftChange, Slot
from xieshang.duty.selectors.booking import booking_token
from xieshang.duty.services.roster import (
    PatternData,
    closed_date_add,
    pattern_create,
    rotation_set,
    shift_change_request,
    shifts_generate,
)
from xieshang.people.models import DepartmentClerk, LocalGroup, Member, SpecialCommittee
from xieshang.proposals.models import (
    CoSigner,
    GradeWording,
    KeyProposal,
    Proposal,
    ProposalPolicy,
    ProposalStatus,
    Reply,
    Session,
)
from xieshang.proposals.services.drafting import (
    ProposalData,
    category_install_defaults,
    cosigners_invite,
    proposal_create,
    proposal_submit,
)
from xieshang.proposals.services.handling import assignment_sign, reply_approve, reply_draft
from xieshang.proposals.services.office import key_nominate, proposal_accept, proposal_assign
from xieshang.search.models import SearchWord
from xieshang.suggestions.models import (
    Area,
    Campaign,
    Category,
    Escalation,
    Policy,
    Suggestion,
)
from xieshang.suggestions.selectors import follow_token
from xieshang.suggestions.services import (
    Intake,
    escalation_create,
    referral_create,
    suggestion_submit,
    suggestion_transition,
)
from xieshang.workrooms.models import (
    ChecklistEvidence,
    ChecklistItem,
    ServicePoint,
    Workroom,
)
from xieshang.workrooms.services import (
    checklist_install_defaults,
    evidence_record,
    workroom_transition,
)

# Sample keyword arguments for the project's own patterns: always 天河's records.
SAMPLE_KWARGS: dict[str, Callable[[Cast], dict[str, Any]]] = {
    "workspace:committee": lambda c: {"code": c.tianhe.code},
    "workrooms:detail": lambda c: {"pk": c.workroom.pk},
    "workrooms:transition": lambda c: {"pk": c.workroom.pk},
    "admin:auth_user_password_change": lambda c: {"id": c.member.pk},
    "suggestions:submit": lambda c: {"code": c.tianhe.code},
    "suggestions:results": lambda c: {"code": c.tianhe.code},
    "suggestions:submit_workroom": lambda c: {"code": c.workroom.code},
    "suggestions:submit_campaign": lambda c: {"code": "walk-campaign"},
    "suggestions:track": lambda c: {"code": _suggestion(c).tracking_code},
    "suggestions:track_qr": lambda c: {"code": _suggestion(c).tracking_code},
    "suggestions:detail": lambda c: {"pk": _suggestion(c).pk},
    "suggestions:act": lambda c: {"pk": _suggestion(c).pk},
    "suggestions:categorise": lambda c: {"pk": _suggestion(c).pk},
    "insights:similar_check": lambda c: {"code": c.tianhe.code},
    "suggestions:follow": lambda c: {
        "code": c.tianhe.code,
        "token": follow_token(_suggestion(c).pk),
    },
    "suggestions:reveal_contact": lambda c: {"pk": _suggestion(c).pk},
    "proposals:claim": lambda c: {"pk": _suggestion(c).pk},
    "suggestions:referral": lambda c: {"pk": _suggestion(c).referrals.get().pk},
    "suggestions:referral_act": lambda c: {"pk": _suggestion(c).referrals.get().pk},
    "suggestions:referral_contact": lambda c: {"pk": _suggestion(c).referrals.get().pk},
    "suggestions:workroom_poster": lambda c: {"code": c.workroom.code, "fmt": "png"},
    "suggestions:campaign_poster": lambda c: {"code": "walk-campaign", "fmt": "pdf"},
    "suggestions:photo": lambda c: {"pk": _suggestion(c).photos.get().pk},
    "suggestions:photo_preview": lambda c: {"pk": _suggestion(c).photos.get().pk},
    "suggestions:escalation": lambda c: {"pk": Escalation.objects.get().pk},
    "suggestions:escalation_act": lambda c: {"pk": Escalation.objects.get().pk},
    "workrooms:public": lambda c: {"code": c.workroom.code},
    "workrooms:evidence": lambda c: {"pk": c.workroom.pk},
    "workrooms:evidence_record": lambda c: {
        "pk": c.workroom.pk,
        "item": ChecklistItem.objects.filter(committee=c.tianhe).first().pk,  # type: ignore[union-attr]
    },
    "workrooms:evidence_confirm": lambda c: {"pk": ChecklistEvidence.objects.get().pk},
    "workrooms:evidence_photo": lambda c: {"pk": ChecklistEvidence.objects.get().pk},
    "activities:detail": lambda c: {"pk": _activity(c).pk},
    "activities:edit": lambda c: {"pk": _activity(c).pk},
    "activities:photo": lambda c: {"pk": _activity(c).photos.get().pk},
    "duty:book": lambda c: {"code": c.tianhe.code},
    "duty:book_workroom": lambda c: {"code": c.workroom.code},
    "duty:booking": lambda c: {"token": booking_token(_booking(c))},
    "duty:booking_ical": lambda c: {"token": booking_token(_booking(c))},
    "duty:booking_move": lambda c: {"token": booking_token(_booking(c))},
    "duty:booking_cancel": lambda c: {"token": booking_token(_booking(c))},
    "duty:appointment": lambda c: {"pk": _booking(c).pk},
    "duty:appointment_act": lambda c: {"pk": _booking(c).pk},
    "duty:talk_record": lambda c: {"pk": _booking(c).pk},
    "duty:roster": lambda c: {"pk": c.workroom.pk},
    "duty:pattern_create": lambda c: {"pk": c.workroom.pk},
    "duty:pattern_edit": lambda c: {"pk": DutyPattern.objects.get().pk},
    "duty:rotation": lambda c: {"pk": DutyPattern.objects.get().pk},
    "duty:generate": lambda c: {"pk": DutyPattern.objects.get().pk},
    "duty:closed_date_delete": lambda c: {"pk": ClosedDate.objects.get().pk},
    "duty:shift_change_new": lambda c: {"pk": ShiftChange.objects.get().shift_id},
    "duty:change_detail": lambda c: {"pk": ShiftChange.objects.get().pk},
    "duty:change_act": lambda c: {"pk": ShiftChange.objects.get().pk},
    "proposals:detail": lambda c: {"pk": _draft(c).pk},
    "proposals:edit": lambda c: {"pk": _draft(c).pk},
    "proposals:act": lambda c: {"pk": _draft(c).pk},
    "proposals:invite": lambda c: {"pk": _draft(c).pk},
    "proposals:cosign_answer": lambda c: {"pk": CoSigner.objects.get(proposal=_draft(c)).pk},
    "proposals:review_detail": lambda c: {"pk": _submitted(c).pk},
    "proposals:review_act": lambda c: {"pk": _submitted(c).pk},
    "proposals:return_decide": lambda c: {"pk": _replied(c).assignments.get().pk},
    "proposals:key_detail": lambda c: {"pk": KeyProposal.objects.get().pk},
    "proposals:key_decide": lambda c: {"pk": KeyProposal.objects.get().pk},
    "proposals:key_activity": lambda c: {"pk": KeyProposal.objects.get().pk},
    "proposals:assignment": lambda c: {"pk": _replied(c).assignments.get().pk},
    "proposals:assignment_act": lambda c: {"pk": _replied(c).assignments.get().pk},
    "proposals:assignment_note": lambda c: {"pk": _replied(c).assignments.get().pk},
    "proposals:assignment_opinion": lambda c: {"pk": _replied(c).assignments.get().pk},
    "proposals:assignment_reply": lambda c: {"pk": _replied(c).assignments.get().pk},
    "proposals:assignment_decide": lambda c: {"pk": _replied(c).assignments.get().pk},
    "proposals:reply_letter_file": lambda c: {"pk": Reply.objects.get().pk},
    "proposals:reply_letter": lambda c: {"pk": Reply.objects.get().pk},
    "proposals:proposal_docx": lambda c: {"pk": _replied(c).pk},
    "proposals:rate": lambda c: {"pk": _replied(c).pk},
    "search:dictionary_remove": lambda c: {"pk": SearchWord.objects.get(word="猎德大桥").pk},
    "proposals:public_replies": lambda c: {"code": c.tianhe.code},
}
# Pages whose 天河 record is worked by someone other than 天河's staff.
INSIDER = {
    "suggestions:escalation": "city_staff",
    "duty:shift_change_new": "member",
    "proposals:detail": "member",
    "proposals:edit": "member",
    "proposals:assignment": "clerk",
    "proposals:reply_letter_file": "clerk",
    "proposals:rate": "member",
}


def _draft(cast: Cast) -> Proposal:
    return Proposal.objects.get(committee=cast.tianhe, status=ProposalStatus.DRAFT)


def _submitted(cast: Cast) -> Proposal:
    return Proposal.objects.get(committee=cast.tianhe, status=ProposalStatus.SUBMITTED)


def _replied(cast: Cast) -> Proposal:
    return Proposal.objects.get(committee=cast.tianhe, status=ProposalStatus.REPLIED)


def _activity(cast: Cast) -> Activity:
    """The workroom's activity (apps' walks may record more, e.g. a research visit)."""
    return Activity.objects.filter(committee=cast.tianhe).order_by("pk").first()  # type: ignore[return-value]


def _booking(cast: Cast) -> Booking:
    return Booking.objects.get(committee=cast.tianhe)


def _suggestion(cast: Cast) -> Suggestion:
    return Suggestion.objects.get(committee=cast.tianhe, title="猎德大桥桥底积水")


# Patterns without a name, and the address to try for each.
UNNAMED = {"admin/(?P<url>.*)$": "/admin/no-such-page/"}
# Django's own login pages are public by nature.
PUBLIC_NAMES = {"admin:login", "admin:logout"}
# Views that only take POST: a GET answers 405 to everybody.
POST_ONLY = {
    "workrooms:transition",
    "logout",
    "admin:logout",
    "suggestions:act",
    "suggestions:categorise",
    "search:dictionary_remove",
    "suggestions:reveal_contact",
    "proposals:claim",
    "suggestions:referral_act",
    "suggestions:escalation_act",
    "suggestions:referral_contact",
    "workrooms:evidence_record",
    "workrooms:evidence_confirm",
    "workrooms:standard_install",
    "activities:kinds_install",
    "duty:booking_cancel",
    "duty:appointment_act",
    "duty:talk_record",
    "duty:rotation",
    "duty:generate",
    "duty:closed_date_delete",
    "duty:change_act",
    "proposals:act",
    "proposals:invite",
    "proposals:cosign_answer",
    "proposals:review_act",
    "proposals:return_decide",
    "proposals:key_decide",
    "proposals:key_activity",
    "proposals:assignment_act",
    "proposals:assignment_note",
    "proposals:assignment_opinion",
    "proposals:assignment_reply",
    "proposals:assignment_decide",
}


@dataclass
class Route:
    name: str | None
    route: str
    callback: Callable[..., Any]
    params: list[str]


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}{p.name}" if p.name else None
            params = list(p.pattern.regex.groupindex)
            yield Route(name, prefix + str(p.pattern), p.callback, params)


def all_routes() -> list[Route]:
    return list(walk(get_resolver().url_patterns))


def admin_model(name: str) -> type[Any] | None:
    """The model of an admin URL name like admin:workrooms_workroom_change."""
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model
    return None


def tianhe_instance(model: type[Any], cast: Cast) -> Any:
    lookup = getattr(admin.site._registry[model], "committee_lookup", None)
    if model is apps.get_model("people", "User"):
        return cast.member
    if lookup is None:  # not a committee's record (the login throttle's): any row will do
        return model._default_manager.first()
    obj = model._default_manager.filter(**{lookup: cast.tianhe.pk}).first()
    if obj is None:
        pytest.fail(f"Give the walk a 天河 instance of {model.__name__}")
    return obj


def url_for(route: Route, cast: Cast) -> str:
    if route.name is None:
        parts = route.route.split("/")
        if route.params == ["object_id"] and parts[0] == "admin":
            # The admin's redirect from <object_id>/ to <object_id>/change/.
            admin_of = apps.get_model(parts[1], parts[2])
            return f"/admin/{parts[1]}/{parts[2]}/{tianhe_instance(admin_of, cast).pk}/"
        if route.route not in UNNAMED:
            pytest.fail(f"Unnamed URL pattern {route.route!r}: add it to UNNAMED")
        return UNNAMED[route.route]
    if not route.params:
        return reverse(route.name)
    if route.name in SAMPLE_KWARGS:
        return reverse(route.name, kwargs=SAMPLE_KWARGS[route.name](cast))
    kwargs: dict[str, Any] = {}
    model = admin_model(route.name)
    for param in route.params:
        if param == "app_label":
            kwargs[param] = "workrooms"
        elif param in ("object_id", "id") and model is not None:
            kwargs[param] = tianhe_instance(model, cast).pk
        elif route.name == "admin:view_on_site":
            kwargs = {
                "content_type_id": ContentType.objects.get_for_model(cast.workroom).pk,
                "object_id": cast.workroom.pk,
            }
        else:
            pytest.fail(f"No sample value for {param!r} of {route.name}: add it to SAMPLE_KWARGS")
    return reverse(route.name, kwargs=kwargs)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of the project's own tables: what a refused request must leave as it was."""
    rows = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("xieshang."):
            continue
        for model in config.get_models():
            rows[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return rows


def is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and "login" in response["Location"]


@pytest.fixture
def walk_cast(cast: Cast) -> Cast:
    # A 天河 record of every kind the admin shows, and a timeline to read.
    SpecialCommittee.objects.create(committee=cast.tianhe, name="经济科技委员会")
    LocalGroup.objects.create(committee=cast.tianhe, name="猎德街地方组", area="猎德街")
    ServicePoint.objects.create(committee=cast.tianhe, name="猎德政务晓屋", address="猎德路1号")
    workroom_transition(
        workroom=cast.workroom, action="activate", actor=cast.staff, expected_state=None
    )
    attempt = {"user_agent": "x", "username": "nobody", "http_accept": "*/*", "path_info": "/"}
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt)
    # National data, no committee's: any row will do.
    CalendarDay.objects.create(date=date(2026, 10, 1), kind=DayKind.HOLIDAY, name="国庆节")
    now = timezone.now()
    Campaign.objects.create(
        committee=cast.tianhe,
        code="walk-campaign",
        title="征集",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
    )
    Category.objects.create(committee=cast.tianhe, name="交通运输")
    SearchWord.objects.create(committee=cast.tianhe, word="猎德大桥")
    Area.objects.create(committee=cast.tianhe, name="猎德街", kind="street")
    Policy.objects.create(committee=cast.tianhe)
    suggestion, _ = suggestion_submit(
        intake=Intake(
            committee=cast.tianhe,
            title="猎德大桥桥底积水",
            content="每逢下雨猎德大桥桥底积水严重。",
            idempotency_key="walk",
            phone="13900001111",
            photos=[CleanPhoto(b"\xff\xd8\xff\xd9", "image/jpeg", "jpg", 1, 1, "walk.jpg")],
        )
    )
    suggestion_transition(suggestion=suggestion, action="triage", actor=cast.staff)
    referral_create(
        suggestion=suggestion, department=cast.department, instructions="", actor=cast.staff
    )
    escalated, _ = suggestion_submit(
        intake=Intake(
            committee=cast.tianhe,
            title="猎德渔港经济区建设",
            content="建议市区联动推进渔港经济区建设。",
            idempotency_key="walk-up",
        )
    )
    suggestion_transition(suggestion=escalated, action="triage", actor=cast.staff)
    escalation_create(suggestion=escalated, note="需市层面统筹", actor=cast.staff)
    _walk_workrooms(cast)
    _walk_duty(cast)
    _walk_proposals(cast)
    for module in app_walks():
        if hasattr(module, "prepare"):
            module.prepare(cast)
    return cast


LETTER = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _walk_proposals(cast: Cast) -> None:
    seat = Member.objects.get(user=cast.member)
    other = Member.objects.get(user__username="t.member2")
    DepartmentClerk.objects.filter(user=cast.clerk).update(is_head=True)
    ProposalPolicy.objects.create(committee=cast.tianhe)
    GradeWording.objects.create(committee=cast.tianhe, grade="A", wording="已解决")
    Session.objects.create(
        committee=cast.tianhe,
        term=15,
        meeting=5,
        filing_opens=date(2026, 1, 1),
        plenary_starts=date(2026, 1, 10),
        plenary_ends=date(2026, 1, 13),
    )
    category = category_install_defaults(committee=cast.tianhe)[0]

    def write(title: str) -> Proposal:
        data = ProposalData(
            title=title,
            analysis="天河路段早晚高峰拥堵。",
            recommendations="建议优化信号灯配时。",
            category=category,
        )
        return proposal_create(lead=seat, data=data, actor=cast.member)

    draft = write("关于珠江新城慢行系统的提案")
    cosigners_invite(proposal=draft, members=[other], actor=cast.member)
    proposal_submit(proposal=write("关于猎德涌治理的提案"), actor=cast.member)
    replied = write("关于天河路交通优化的提案")
    proposal_submit(proposal=replied, actor=cast.member)
    proposal_accept(proposal=replied, actor=cast.staff)
    (assignment,) = proposal_assign(proposal=replied, actor=cast.staff, lead=cast.department)
    key_nominate(proposal=replied, actor=cast.staff, reason="群众关注度高")
    assignment_sign(assignment=assignment, actor=cast.clerk)
    reply_draft(
        assignment=assignment,
        actor=cast.clerk,
        text="已优化信号灯配时。",
        grade="A",
        letter=SimpleUploadedFile("letter.pdf", LETTER, content_type="application/pdf"),
    )
    reply_approve(assignment=assignment, actor=cast.clerk)


JPEG = CleanPhoto(b"\xff\xd8\xff\xd9", "image/jpeg", "jpg", 1, 1, "walk.jpg")


def _walk_workrooms(cast: Cast) -> None:
    checklist_install_defaults(committee=cast.tianhe, actor=cast.staff)
    activity_kinds_install_defaults(committee=cast.tianhe)
    evidence_record(
        workroom=cast.workroom,
        item=ChecklistItem.objects.filter(committee=cast.tianhe).first(),  # type: ignore[arg-type]
        text="挂牌照片",
        photo=JPEG,
        actor=cast.staff,
    )
    activity_record(
        committee=cast.tianhe,
        data=ActivityInput(
            kind=ActivityKind.objects.filter(committee=cast.tianhe).first(),  # type: ignore[arg-type]
            title="猎德社区接待日",
            date=timezone.localdate(),
            members=[Member.objects.get(user=cast.member)],
            workroom=cast.workroom,
            photos=[JPEG],
        ),
        actor=cast.member,
    )


def _walk_duty(cast: Cast) -> None:
    seat = Member.objects.get(user=cast.member)
    other = Member.objects.create(committee=cast.tianhe, user=make_user("t.member2", "天河委员乙"))
    pattern = pattern_create(
        workroom=cast.workroom,
        data=PatternData(weekday=2, start_time=time(14, 30), end_time=time(17, 30)),
        actor=cast.staff,
    )
    rotation_set(pattern=pattern, members=[seat, other], actor=cast.staff)
    shifts = shifts_generate(pattern=pattern, weeks=3, actor=cast.staff)
    mine = next(s for s in shifts if s.member_id == seat.pk)
    shift_change_request(
        shift=mine, kind="cover", colleague=other, reason="出差", actor=cast.member
    )
    closed_date_add(
        committee=cast.tianhe,
        day=shifts[-1].date + timedelta(days=1),
        reason="场地维修",
        actor=cast.staff,
    )
    slot = Slot.objects.filter(shift=shifts[-1]).first()
    assert slot is not None
    Slot.objects.filter(pk=slot.pk).update(booked=1)
    Booking.objects.create(
        committee=cast.tianhe,
        slot=slot,
        workroom=cast.workroom,
        member=slot.shift.member,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        mode="in_person",
        citizen_name="陈先生",
        phone_encrypted=encrypt("13900002222"),
        phone_lookup=lookup_hash("13900002222"),
        phone_masked=mask_mobile("13900002222"),
        topic="加装电梯",
        idempotency_key="walk-booking",
    )


SENTINELS = (
    "天河珠江新城东塔委员工作室",
    "天河委员",
    "天河区住房和城乡建设局",
    "经济科技委员会",
    "猎德大桥桥底积水",
    "猎德渔港经济区建设",
    "猎德社区接待日",
    "挂牌照片",
    "加装电梯",
    "场地维修",
    "珠江新城慢行系统",
    "猎德涌治理",
    "天河路交通优化",
)


def app_walks() -> list[ModuleType]:
    """The `tests/walk.py` of every app that has one: its samples join the walk."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.walk"
        if config.name.startswith("xieshang.") and importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return found


for _module in app_walks():
    SAMPLE_KWARGS.update(_module.SAMPLES)
    POST_ONLY.update(getattr(_module, "POST_ONLY", ()))
    INSIDER.update(getattr(_module, "INSIDER", {}))
    SENTINELS += tuple(getattr(_module, "SENTINELS", ()))


def find_problems(cast: Cast, only: set[str] | None = None) -> list[str]:
    routes = [r for r in all_routes() if only is None or r.name in only]
    anonymous, outsider = Client(), Client()
    outsider.force_login(cast.outsider)
    insiders = {who: Client() for who in {"staff", *INSIDER.values()}}
    for who, client in insiders.items():
        client.force_login(getattr(cast, who))
    before = snapshot()
    problems: list[str] = []

    for route in routes:
        url = url_for(route, cast)
        label = route.name or route.route
        if is_public(route.callback) or route.name in PUBLIC_NAMES:
            status = anonymous.get(url).status_code
            if status >= 500:
                problems.append(f"{label}: public page answers {status}")
            continue
        post_only = route.name in POST_ONLY

        # Anonymous: sent to log in (or 405 for a POST-only view), for GET and POST alike.
        response = anonymous.get(url)
        if not (is_login_redirect(response) or (post_only and response.status_code == 405)):
            problems.append(f"{label}: anonymous GET answers {response.status_code}")
        # The admin answers a POST with the same permission check as the GET (and its
        # scoped querysets): its pages are tried by GET only, which halves the walk.
        is_admin = route.route.startswith("admin/")
        if not is_admin:
            response = anonymous.post(url, {})
            if not (is_login_redirect(response) or response.status_code in (403, 405)):
                problems.append(f"{label}: anonymous POST answers {response.status_code}")

        # The outsider: refused on 天河's records; on pages of their own, sees none of 天河.
        for method in ("get",) if is_admin else ("get", "post"):
            response = getattr(outsider, method)(url, {})
            body = response.content.decode(errors="replace")
            names_a_record = [p for p in route.params if p != "app_label"]
            if names_a_record and response.status_code == 200:
                problems.append(f"{label}: outsider {method.upper()} answers 200")
            if response.status_code >= 500:
                problems.append(f"{label}: outsider {method.upper()} answers 500")
            leaked = [s for s in SENTINELS if s in body]
            if leaked:
                problems.append(f"{label}: outsider {method.upper()} sees {leaked}")

        # The insider reaches what the outsider could not, so the refusals above are real.
        if route.params and not post_only:
            name = route.name or ""
            model = admin_model(name)
            scoped = model is not None and hasattr(admin.site._registry[model], "committee_lookup")
            if name in SAMPLE_KWARGS or (scoped and name.endswith(("_change", "_history"))):
                status = insiders[INSIDER.get(name, "staff")].get(url).status_code
                if status != 200:
                    problems.append(f"{label}: 天河 staff GET answers {status}")

    after = snapshot()
    changed = [label for label in before if before[label] != after[label]]
    if changed:
        problems.append(f"a refused request changed data: {changed}")
    return problems


def test_every_url_is_public_or_refuses_anonymous_users_and_outsiders(walk_cast: Cast) -> None:
    assert len(all_routes()) > 40  # the admin's patterns are included
    problems = find_problems(walk_cast)
    assert not problems, "\n".join(problems)


def leaky_view(request: Any, pk: int) -> HttpResponse:
    """What a careless new page looks like: no login, no scoping."""
    return HttpResponse(Workroom.objects.get(pk=pk).name)


urlpatterns = [
    *get_resolver("xieshang.urls").url_patterns,
    path("leaky/<int:pk>/", leaky_view, name="leaky"),
]


@override_settings(ROOT_URLCONF=__name__)
def test_the_walk_catches_a_page_that_forgot_its_check(walk_cast: Cast) -> None:
    SAMPLE_KWARGS["leaky"] = lambda c: {"pk": c.workroom.pk}
    try:
        problems = find_problems(walk_cast, only={"leaky"})
    finally:
        del SAMPLE_KWARGS["leaky"]
    assert "leaky: anonymous GET answers 200" in problems
    assert "leaky: outsider GET answers 200" in problems
