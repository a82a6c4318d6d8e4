"""Reads of the suggestions app, each scoped to who is asking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import RateLimited
from xieshang.core.memo import ProcessMemo
from xieshang.core.models import ActorKind, Committee, Event
from xieshang.core.selectors import committee_get_public
from xieshang.core.throttle import AddressThrottle
from xieshang.people.access import access_for
from xieshang.people.models import Department
from xieshang.suggestions.models import (
    OPEN_STATES,
    Area,
    Campaign,
    Category,
    Disposition,
    DispositionKind,
    Escalation,
    EscalationStatus,
    Policy,
    Referral,
    ReferralStatus,
    Suggestion,
    SuggestionAction,
    SuggestionPhoto,
    SuggestionStatus,
)
from xieshang.suggestions.workflow import SUGGESTION_WORKFLOW

OPEN_REFERRAL = (ReferralStatus.SENT, ReferralStatus.SIGNED, ReferralStatus.RETURN_REQUESTED)


@dataclass(frozen=True)
class InboxFilter:
    status: str = ""
    category_id: int | None = None
    area_id: int | None = None
    source: str = ""
    campaign_id: int | None = None
    since: date | None = None
    until: date | None = None
    query: str = ""
    overdue: bool = False
    sort: str = "-created_at"


SORTS = {"-created_at", "created_at", "status", "-updated_at"}


def _staff_ids(user: Any) -> frozenset[int] | None:
    access = access_for(user)
    return None if access.is_superuser else access.staff_committee_ids


def suggestion_inbox(*, user: Any, filters: InboxFilter = InboxFilter()) -> QuerySet[Suggestion]:
    """The triage inbox: suggestions of the committees the user staffs."""
    return _inbox(_staff_ids(user), filters)


def _reader_ids(user: Any) -> frozenset[int] | None:
    access = access_for(user)
    return None if access.is_superuser else access.staff_committee_ids | access.leader_of


def suggestion_reading_list(
    *, user: Any, filters: InboxFilter = InboxFilter()
) -> QuerySet[Suggestion]:
    """The inbox as a leader (主席, 副主席) reads it too: suggestions of the committees the
    user staffs or leads."""
    return _inbox(_reader_ids(user), filters)


def suggestions_for_export(
    *, user: Any, filters: InboxFilter = InboxFilter()
) -> QuerySet[Suggestion]:
    """The reading list with what the Excel export shows of each row: its dispositions
    and its referrals with their departments, fetched in two queries, not one per row."""
    return suggestion_reading_list(user=user, filters=filters).prefetch_related(
        "dispositions",
        Prefetch("referrals", queryset=Referral.objects.select_related("department")),
    )


def suggestion_read_get(*, user: Any, pk: int) -> Suggestion:
    try:
        return suggestion_reading_list(user=user).select_related("workroom", "campaign").get(pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404(_("No such suggestion, or it is not yours to see.")) from None


def _inbox(ids: frozenset[int] | None, filters: InboxFilter) -> QuerySet[Suggestion]:
    qs = (
        Suggestion.objects.all() if ids is None else Suggestion.objects.filter(committee_id__in=ids)
    )
    f = filters
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category_id:
        qs = qs.filter(category_id=f.category_id)
    if f.area_id:
        qs = qs.filter(Q(area_id=f.area_id) | Q(area__parent_id=f.area_id))
    if f.source:
        qs = qs.filter(source=f.source)
    if f.campaign_id:
        qs = qs.filter(campaign_id=f.campaign_id)
    if f.since:
        qs = qs.filter(created_at__date__gte=f.since)
    if f.until:
        qs = qs.filter(created_at__date__lte=f.until)
    if f.query:
        qs = qs.filter(
            Q(title__icontains=f.query)
            | Q(content__icontains=f.query)
            | Q(tracking_code=f.query.upper())
        )
    overdue = Referral.objects.filter(
        suggestion=OuterRef("pk"), status__in=OPEN_REFERRAL, deadline__lt=timezone.now()
    )
    qs = qs.annotate(overdue=Exists(overdue))
    if f.overdue:
        qs = qs.filter(overdue=True)
    sort = f.sort if f.sort in SORTS else "-created_at"
    return qs.select_related("committee", "category", "area", "handler").order_by(sort, "-id")


def suggestion_get(*, user: Any, pk: int) -> Suggestion:
    try:
        return suggestion_inbox(user=user).select_related("workroom", "campaign").get(pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404(_("No such suggestion, or it is not yours to see.")) from None


def suggestion_get_by_code(*, code: str) -> Suggestion:
    """The citizen's view: by tracking code only; a merged suggestion leads to its main one."""
    try:
        return Suggestion.objects.select_related("committee", "merged_into", "category").get(
            tracking_code=code.strip().upper()
        )
    except Suggestion.DoesNotExist:
        raise Http404(_("No suggestion has this tracking code.")) from None


# A tracking code is 10 of 31 characters: guessing one is hopeless, but every look-up is a
# query, and one address once made 234 a second. Each address may look up this many codes
# in ten minutes, and miss this many (a citizen mistyping now and then is far below both).
TRACK_LOOKUPS = AddressThrottle(scope="track", limit=120, window=600)
TRACK_MISSES = AddressThrottle(scope="track-miss", limit=20, window=600)


def suggestion_get_tracked(*, address: str, code: str) -> Suggestion:
    """The suggestion of a tracking code, counted against the sender's address: RateLimited
    (429) when it has looked up or missed too many codes lately, 404 for a code that names
    nothing. The tracking page and the API's 查进度 both read through here."""
    if TRACK_MISSES.reached(address) or TRACK_LOOKUPS.count(address) > TRACK_LOOKUPS.limit:
        raise RateLimited(
            _(
                "Too many tracking codes have been looked up from your network. Please try "
                "again in %(minutes)d minutes."
            )
            % {"minutes": max(1, TRACK_LOOKUPS.seconds_left() // 60)}
        )
    try:
        return suggestion_get_by_code(code=code)
    except Http404:
        TRACK_MISSES.count(address)
        raise


def suggestion_results_public(
    *, committee: Committee, query: str = "", category_id: int | None = None
) -> QuerySet[Suggestion]:
    """百姓提案·看结果: answered suggestions whose citizens allowed publication."""
    qs = Suggestion.objects.filter(
        committee=committee,
        status__in=[SuggestionStatus.ANSWERED, SuggestionStatus.CLOSED],
        allow_publication=True,
    ).exclude(public_answer="")
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(content__icontains=query))
    if category_id:
        qs = qs.filter(category_id=category_id)
    return qs.select_related("category", "area").order_by("-answered_at", "-id")


def suggestions_offered_to(*, user: Any) -> QuerySet[Suggestion]:
    """Suggestions staff offered to members of the user's committees (to claim)."""
    access = access_for(user)
    offered = Disposition.objects.filter(
        suggestion=OuterRef("pk"), kind=DispositionKind.OFFER_TO_MEMBERS
    )
    claimed = Disposition.objects.filter(
        suggestion=OuterRef("pk"), kind=DispositionKind.MEMBER_CLAIM, released_at__isnull=True
    )
    return (
        Suggestion.objects.filter(committee_id__in=access.member_of, status=SuggestionStatus.TRIAGE)
        .filter(Exists(offered))
        .exclude(Exists(claimed))
        .select_related("committee", "category")
        .order_by("-created_at")
    )


def photo_get(*, user: Any, pk: int) -> SuggestionPhoto:
    """A citizen's photo, for staff of the suggestion's committee and the departments it
    was referred to; 404 for everyone else (photos may show people and homes)."""
    suggestions = suggestion_inbox(user=user).values("pk")
    referred = referral_inbox(user=user).values("suggestion_id")
    photo = (
        SuggestionPhoto.objects.filter(pk=pk)
        .filter(Q(suggestion__in=suggestions) | Q(suggestion__in=referred))
        .first()
    )
    if photo is None:
        raise Http404(_("No such photo, or it is not yours to see."))
    return photo


def referral_inbox(*, user: Any, open_only: bool = False, status: str = "") -> QuerySet[Referral]:
    """A department clerk's referrals; staff see their committees' referrals. `status`
    keeps one state (the replies awaiting approval: "replied")."""
    access = access_for(user)
    if access.is_superuser:
        qs = Referral.objects.all()
    else:
        qs = Referral.objects.filter(
            Q(department_id__in=list(access.clerk_of))
            | Q(committee_id__in=access.staff_committee_ids)
        )
    if status in ReferralStatus.values:
        qs = qs.filter(status=status)
    elif open_only:
        qs = qs.filter(status__in=[*OPEN_REFERRAL, ReferralStatus.REPLIED])
    return qs.select_related("suggestion", "department", "committee").order_by("deadline", "id")


def referral_get(*, user: Any, pk: int) -> Referral:
    try:
        return referral_inbox(user=user).get(pk=pk)
    except Referral.DoesNotExist:
        raise Http404(_("No such referral, or it is not yours to see.")) from None


def categories_of(committee_id: int) -> QuerySet[Category]:
    return Category.objects.filter(committee_id=committee_id, is_active=True)


def departments_of(committee_id: int) -> QuerySet[Department]:
    """The departments a suggestion of this committee may be referred to."""
    return Department.objects.filter(committee_id=committee_id, is_active=True)


def areas_of(committee_id: int) -> QuerySet[Area]:
    return Area.objects.filter(committee_id=committee_id).select_related("parent")


@dataclass(frozen=True)
class IntakeSetup:
    """What the submit form of a committee needs on every request: the committee, its
    active categories, its streets and communities, and its hourly limit per sender."""

    committee: Committee
    categories: tuple[Category, ...]
    areas: tuple[Area, ...]
    hourly_limit: int


# The public submit page is the busiest of all; its setup changes a few times a year.
INTAKE_SETUP_SECONDS = 30
_intake_setups: ProcessMemo[IntakeSetup] = ProcessMemo(seconds=INTAKE_SETUP_SECONDS)


def _intake_setup_read(committee: Committee) -> IntakeSetup:
    return IntakeSetup(
        committee=committee,
        categories=tuple(categories_of(committee.pk)),
        areas=tuple(areas_of(committee.pk)),
        hourly_limit=Policy.for_committee(committee.pk).hourly_limit,
    )


def intake_setup(*, committee: Committee, fresh: bool = False) -> IntakeSetup:
    """The setup of a committee's submit form, read at most every 30 s per process; or
    read now (`fresh`), for staff who may have just changed it."""
    if fresh:
        return _intake_setup_read(committee)
    return _intake_setups.get(("pk", committee.pk), lambda: _intake_setup_read(committee))


def intake_setup_public(*, code: str) -> IntakeSetup:
    """The setup of the public submit form at /c/<code>/suggest/; 404 for a committee that
    does not exist or is not public (never remembered)."""
    return _intake_setups.get(
        ("code", code), lambda: _intake_setup_read(committee_get_public(code=code))
    )


SENDER_COLUMNS = frozenset({"phone_lookup", "client_lookup"})  # columns of Suggestion


def sent_recently(*, since: datetime, up_to: int, senders: dict[str, str]) -> dict[str, int]:
    """How many suggestions each sender handed in since `since`, counted up to `up_to`
    (the check costs the same however busy the sender): `senders` maps a look-up column
    of Suggestion (`phone_lookup`, `client_lookup`) to its value. One statement for all;
    each count walks its composite (column, created_at) index."""
    if not senders:
        return {}
    if not set(senders) <= SENDER_COLUMNS:
        raise ValueError(f"senders are counted by {sorted(SENDER_COLUMNS)}")
    quote = connection.ops.quote_name
    table = quote(Suggestion._meta.db_table)
    since_value = connection.ops.adapt_datetimefield_value(since)
    # Names come from the model and are quoted; every value is a parameter.
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {quote(column)} = %s"  # noqa: S608
        f" AND {quote('created_at')} >= %s LIMIT %s) AS sent_{i})"
        for i, column in enumerate(senders)
    )
    params: list[Any] = []
    for value in senders.values():
        params += [value, since_value, up_to]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}", params)
        row = cursor.fetchone()
    return dict(zip(senders, row, strict=True))


def campaign_get_public(*, code: str) -> Campaign:
    try:
        return Campaign.objects.select_related("committee", "workroom").get(code=code)
    except Campaign.DoesNotExist:
        raise Http404(_("No such campaign.")) from None


def campaign_list_open(*, committee: Committee) -> QuerySet[Campaign]:
    now = timezone.now()
    return Campaign.objects.filter(committee=committee, starts_at__lte=now, ends_at__gt=now)


def suggestion_new_count(*, user: Any) -> int:
    """Suggestions awaiting triage in the user's committees (the sidebar's count)."""
    return suggestion_inbox(user=user).filter(status=SuggestionStatus.NEW).count()


def suggestion_counts_for_staff(*, user: Any) -> dict[str, int]:
    """What waits for staff: new suggestions, overdue referrals, departments' replies to
    approve, and what committees below sent up (the upper committee's inbox)."""
    qs = suggestion_inbox(user=user)
    ids = _staff_ids(user)
    replies = Referral.objects.filter(status=ReferralStatus.REPLIED)
    escalations = Escalation.objects.filter(status=EscalationStatus.SENT)
    if ids is not None:
        replies = replies.filter(committee_id__in=ids)
        escalations = escalations.filter(committee_id__in=ids)
    return {
        "new": qs.filter(status=SuggestionStatus.NEW).count(),
        "overdue": qs.filter(overdue=True).count(),  # type: ignore[misc]
        "replies_to_approve": replies.count(),
        "escalations_waiting": escalations.count(),
    }


def escalation_inbox(*, user: Any) -> QuerySet[Escalation]:
    """Escalations sent up to the committees the user staffs (the upper committee's
    inbox). The district sees its own through the suggestion."""
    ids = _staff_ids(user)
    qs = (
        Escalation.objects.all() if ids is None else Escalation.objects.filter(committee_id__in=ids)
    )
    return qs.select_related("suggestion__committee", "committee").order_by("-created_at")


def escalation_get(*, user: Any, pk: int) -> Escalation:
    try:
        return escalation_inbox(user=user).get(pk=pk)
    except Escalation.DoesNotExist:
        raise Http404(_("No such escalation, or it is not yours to see.")) from None


def suggestion_get_followable(*, committee: Committee, pk: int) -> Suggestion:
    """An open suggestion of the committee that its citizen lets be published: what a
    citizen may follow instead of handing in the same issue."""
    try:
        return Suggestion.objects.select_related("area", "category").get(
            pk=pk,
            committee=committee,
            status__in=OPEN_STATES,
            allow_publication=True,
        )
    except Suggestion.DoesNotExist:
        raise Http404(_("This suggestion can no longer be followed.")) from None


FOLLOW_SALT = "suggestions.follow"
FOLLOW_LINK_DAYS = 30


def follow_token(suggestion_id: int) -> str:
    """The public address of a suggestion to follow: signed, so ids cannot be walked."""
    return signing.dumps(suggestion_id, salt=FOLLOW_SALT)


def follow_token_read(token: str) -> int:
    """The suggestion id a follow link names; 404 when it is forged or older than 30 days."""
    try:
        return int(signing.loads(token, salt=FOLLOW_SALT, max_age=60 * 60 * 24 * FOLLOW_LINK_DAYS))
    except (signing.BadSignature, TypeError, ValueError):
        raise Http404(_("This link is not valid or has expired.")) from None


# --- Facts for the duty record (履职档案, the performance app) ---------------------------


def suggestion_claims(*, committee_id: int, year: int) -> list[tuple[int, int, str, date]]:
    """Citizen suggestions members claimed to develop into proposals in the year: rows
    `(member_id, suggestion_id, title, date)`. Not scoped to a user: the point
    computation shows them only to whom may see them."""
    rows = (
        Disposition.objects.filter(
            suggestion__committee_id=committee_id,
            kind=DispositionKind.MEMBER_CLAIM,
            member__isnull=False,
            created_at__year=year,
        )
        .order_by("created_at", "id")
        .values_list("member_id", "suggestion_id", "suggestion__title", "created_at")
    )
    return [(m, pk, t, timezone.localdate(at)) for m, pk, t, at in rows]


# --- For the figures (履职成效): records of committees, read-only --------------------------
# The figures app has checked that the user may see these committees' figures.


def suggestions_of_committees(ids: Sequence[int]) -> QuerySet[Suggestion]:
    """Suggestions handed in to the committees, every status."""
    return Suggestion.objects.filter(committee_id__in=list(ids))


def dispositions_of_committees(ids: Sequence[int]) -> QuerySet[Disposition]:
    """What the committees' staff decided to do with their suggestions."""
    return Disposition.objects.filter(suggestion__committee_id__in=list(ids))


def referrals_of_committees(ids: Sequence[int]) -> QuerySet[Referral]:
    """Referrals (转办) the committees sent to departments."""
    return Referral.objects.filter(committee_id__in=list(ids))


def escalations_to_committees(ids: Sequence[int]) -> QuerySet[Escalation]:
    """Suggestions districts sent up to these committees (the upper committee's records)."""
    return Escalation.objects.filter(committee_id__in=list(ids))


# --- The citizen's timeline -------------------------------------------------------------

# What the public timeline shows of each step's note, decided per kind of step: "note" (it
# was written for the citizen: an answer, a reason, their own information), "department"
# (only the department's name, before "：", never the instructions to it), or "" (internal:
# nothing). A kind not listed shows nothing.
PUBLIC_NOTE: dict[str, str] = {
    SuggestionAction.SUBMIT: "",
    SuggestionAction.TRIAGE: "",
    SuggestionAction.OFFER: "",
    SuggestionAction.REFER: "department",
    SuggestionAction.ESCALATE: "",
    SuggestionAction.UPPER_ANSWERED: "note",
    SuggestionAction.ANSWER: "note",
    SuggestionAction.REJECT: "note",
    SuggestionAction.MERGE: "note",
    SuggestionAction.RATE_OK: "",
    SuggestionAction.RATE_BAD: "",
    SuggestionAction.CLOSE: "",
    SuggestionAction.ADD_INFORMATION: "note",
    SuggestionAction.ANSWER_ADDED: "note",
}


@dataclass(frozen=True)
class PublicStep:
    created_at: datetime
    action: str
    from_state: str
    to_state: str
    who: str  # the committee for its staff, never a person's name
    note: str


def public_timeline(suggestion: Suggestion) -> list[PublicStep]:
    """The public steps of a suggestion as a citizen may read them: who acted is the
    committee (or the system, or the citizen), and each note only as `PUBLIC_NOTE` says."""
    steps = []
    for entry in SUGGESTION_WORKFLOW.timeline(suggestion, public_only=True):
        event = entry.event
        shown = PUBLIC_NOTE.get(event.action, "")
        note = event.note if shown == "note" else ""
        if shown == "department":
            note = event.note.split("：", 1)[0]
        who = (
            suggestion.committee.short_name
            if event.actor_kind == ActorKind.USER
            else event.actor_display
        )
        steps.append(
            PublicStep(
                created_at=event.created_at,
                action=entry.action,
                from_state=entry.from_state,
                to_state=entry.to_state,
                who=who,
                note=note,
            )
        )
    return steps


def referrals_for_rates(ids: Sequence[int], start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The referrals the committees sent in [start, end), one row each, with what the
    three hotline rates need: when it was first signed for (from its timeline), how the
    reply came out and how the citizen rated the answer; the department, workroom and
    street it counts for."""
    first_signed = (
        Event.objects.filter(
            content_type=ContentType.objects.get_for_model(Referral),
            object_id=OuterRef("pk"),
            action=SuggestionAction.SIGN,
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return list(
        Referral.objects.filter(
            committee_id__in=list(ids), created_at__gte=start, created_at__lt=end
        )
        .annotate(signed_at=Subquery(first_signed))
        .values(
            "pk",
            "created_at",
            "signed_at",
            "status",
            "reply_result",
            "department_id",
            "department__name",
            "committee__short_name",
            "suggestion__rating",
            "suggestion__workroom_id",
            "suggestion__workroom__name",
            "suggestion__area__kind",
            "suggestion__area__name",
            "suggestion__area__parent__name",
        )
        .order_by("pk")
    )


# The stages a citizen's suggestion passes through, in order; a refused or merged one ends
# where it stopped.
PUBLIC_STAGES = (
    SuggestionStatus.NEW,
    SuggestionStatus.TRIAGE,
    SuggestionStatus.HANDLING,
    SuggestionStatus.ANSWERED,
    SuggestionStatus.CLOSED,
)


def public_stages_ahead(suggestion: Suggestion) -> list[str]:
    """The names of the stages still ahead of a suggestion (none once it has ended):
    the tracking page shows them, greyed, after the steps taken."""
    if suggestion.status not in PUBLIC_STAGES:
        return []
    index = PUBLIC_STAGES.index(SuggestionStatus(suggestion.status))
    return [str(stage.label) for stage in PUBLIC_STAGES[index + 1 :]]
