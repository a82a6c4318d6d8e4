"""Writes of the suggestions app: intake, triage dispositions, referrals, the citizen's
replies. Each service is atomic, leaves an event, and sends messages only after commit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from xieshang.core.errors import Conflict, DomainError, RateLimited
from xieshang.core.jobs import send
from xieshang.core.models import ActorKind, Committee, Event
from xieshang.core.photos import MAX_PHOTOS, CleanPhoto, PhotoUpload, clean_photo, preview_of
from xieshang.core.privacy import decrypt, encrypt, lookup_hash, mask_mobile
from xieshang.core.rules import require
from xieshang.core.services import event_record
from xieshang.core.workdays import add_working_days
from xieshang.people.models import Department, Member
from xieshang.suggestions import hooks
from xieshang.suggestions.models import (
    OPEN_STATES,
    Area,
    Campaign,
    Category,
    Channel,
    Disposition,
    DispositionKind,
    Escalation,
    EscalationStatus,
    Follower,
    Policy,
    Rating,
    Referral,
    RejectReason,
    Source,
    Suggestion,
    SuggestionAction,
    SuggestionPhoto,
    SuggestionStatus,
)
from xieshang.suggestions.notifications import citizen_message_send, public_step_tell
from xieshang.suggestions.selectors import intake_setup, sent_recently
from xieshang.suggestions.workflow import (
    ESCALATION_WORKFLOW,
    REFERRAL_WORKFLOW,
    SUGGESTION_WORKFLOW,
)
from xieshang.workrooms.models import Workroom

A = SuggestionAction


class PhotoRefused(DomainError):
    """A photo whose header passed but whose pixels do not decode (truncated, corrupt)."""


@dataclass(frozen=True)
class Intake:
    """A suggestion as validated by the form, ready to store."""

    committee: Committee
    title: str
    content: str
    idempotency_key: str
    category: Category | None = None
    area: Area | None = None
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    workroom: Workroom | None = None
    campaign: Campaign | None = None
    channel: str = Channel.ONLINE
    citizen_name: str = ""
    phone: str = ""  # normalised mainland mobile number, or empty
    email: str = ""
    show_name: bool = False
    # Cleaned already, or inspected by their headers only (the form's): the latter are
    # decoded by `suggestion_submit` once the sender's rate limit is checked.
    photos: Sequence[CleanPhoto | PhotoUpload] = field(default_factory=tuple)
    client_ip: str = ""


def _check_intake(intake: Intake) -> None:
    committee_id = intake.committee.pk
    for related in (intake.category, intake.area, intake.workroom, intake.campaign):
        if related is not None and related.committee_id != committee_id:
            raise DomainError(_("The form refers to another committee. Reload the page."))
    if intake.campaign is not None and not intake.campaign.is_open():
        raise DomainError(_("This campaign is closed and no longer takes suggestions."))
    if intake.workroom is not None and not intake.workroom.is_active:
        raise DomainError(_("This workroom is not open at the moment."))
    if len(intake.photos) > MAX_PHOTOS:
        raise DomainError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})


def _check_rate(intake: Intake, phone_lookup: str, client_lookup: str) -> None:
    limit = intake_setup(committee=intake.committee).hourly_limit
    senders = {"phone_lookup": phone_lookup, "client_lookup": client_lookup}
    counts = sent_recently(
        since=timezone.now() - timedelta(hours=1),
        up_to=limit,
        senders={column: value for column, value in senders.items() if value},
    )
    if counts.get("phone_lookup", 0) >= limit:
        raise RateLimited(
            _("This phone number has sent %(n)d suggestions in the last hour. Please try later.")
            % {"n": limit}
        )
    if counts.get("client_lookup", 0) >= limit:
        raise RateLimited(
            _("Too many suggestions from this network in the last hour. Please try later.")
        )


def _stored_under(idempotency_key: str, refusal: Exception) -> Suggestion:
    """The suggestion a repeated submission already stored; when there is none, the
    refusal of the submission stands."""
    existing = Suggestion.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        raise refusal
    return existing


def _photos_decoded(photos: Sequence[CleanPhoto | PhotoUpload]) -> list[CleanPhoto]:
    try:
        return [
            photo if isinstance(photo, CleanPhoto) else clean_photo(photo, with_preview=True)
            for photo in photos
        ]
    except ValidationError as exc:
        raise PhotoRefused(exc.messages[0]) from exc


def suggestion_submit(*, intake: Intake, entered_by: Any = None) -> tuple[Suggestion, bool]:
    """Store a citizen's suggestion, or return the one already stored for this
    idempotency key (a double click, a retried request). Returns (suggestion, created).

    Cheap checks come first: the committee's choices, then the sender's rate limit; the
    photos (inspected by their headers only) are decoded after that, so a sender over
    the limit costs no decoding (issue 20). A photo that does not decode refuses the whole
    submission (PhotoRefused, 400).
    The row, its photos and its first event are written in one transaction; the
    fingerprint, the search entry, the notification and the analysis follow within a
    second (`intake.services.suggestions_dispatch`, decision 28).
    Entries made for a citizen by a member or staff (`entered_by`) are not rate-limited.
    """
    if entered_by is not None:
        require(entered_by, "suggestions.enter_suggestion", intake.committee)
    _check_intake(intake)
    phone_lookup = lookup_hash(intake.phone) if intake.phone else ""
    client_lookup = lookup_hash("ip:" + intake.client_ip) if intake.client_ip else ""
    if entered_by is None:
        try:
            _check_rate(intake, phone_lookup, client_lookup)
        except RateLimited as refusal:
            # The retry of a submission that reached the limit is still answered.
            return _stored_under(intake.idempotency_key, refusal), False
        source = (
            Source.CAMPAIGN
            if intake.campaign
            else Source.WORKROOM
            if intake.workroom
            else Source.WEB
        )
    else:
        source = Source.ON_BEHALF
    photos = _photos_decoded(intake.photos)
    try:
        with transaction.atomic():
            suggestion = Suggestion.objects.create(
                committee=intake.committee,
                title=intake.title,
                content=intake.content,
                category=intake.category,
                area=intake.area,
                address=intake.address,
                latitude=intake.latitude,
                longitude=intake.longitude,
                source=source,
                channel=intake.channel,
                workroom=intake.workroom,
                campaign=intake.campaign,
                entered_by=entered_by,
                citizen_name=intake.citizen_name,
                phone_encrypted=encrypt(intake.phone) if intake.phone else "",
                phone_lookup=phone_lookup,
                phone_masked=mask_mobile(intake.phone) if intake.phone else "",
                email_encrypted=encrypt(intake.email) if intake.email else "",
                show_name=intake.show_name,
                consented_at=timezone.now(),
                client_lookup=client_lookup,
                idempotency_key=intake.idempotency_key,
            )
            for photo in photos:
                record = SuggestionPhoto(
                    suggestion=suggestion, width=photo.width, height=photo.height
                )
                record.image.save(photo.name, ContentFile(photo.content), save=False)
                if photo.preview is not None:
                    record.preview.save(
                        photo.preview.name, ContentFile(photo.preview.content), save=False
                    )
                record.save()
            event_record(
                obj=suggestion,
                committee_id=intake.committee.pk,
                actor=entered_by or ActorKind.CITIZEN,
                action=A.SUBMIT,
                to_state=SuggestionStatus.NEW,
                is_public=True,
            )
    except IntegrityError as refusal:
        # Stored already under this key: a double click, a retried request, or two
        # identical requests racing. The unique key decides; no look-up first.
        return _stored_under(intake.idempotency_key, refusal), False
    # The request writes nothing else: the beat's `intake.dispatch` starts what follows
    # (fingerprint, search entry, acknowledgement, analysis) within a second (decision 28).
    return suggestion, True


ACKNOWLEDGE_FIELDS = ("pk", "tracking_code", "phone_encrypted", "email_encrypted")


def suggestion_acknowledge(*, suggestion_id: int) -> list[str]:
    """Send the citizen the acknowledgement of receipt, unless it was sent already: a job
    that comes twice (the dispatch's and the sweep's, or one delivered again) sends once,
    unless both run at the same moment. Sent first, marked after: a worker that dies in
    between makes it go out twice rather than never. Returns the channels used (none when
    it was sent already or the citizen left no contact details)."""
    suggestion = (
        Suggestion.objects.filter(pk=suggestion_id, acknowledged_at__isnull=True)
        .only(*ACKNOWLEDGE_FIELDS)
        .first()
    )
    if suggestion is None:
        return []
    text = _("Your suggestion %(code)s: %(text)s") % {
        "code": suggestion.tracking_code,
        "text": _("We have received your suggestion."),
    }
    sent = citizen_message_send(suggestion=suggestion, text=text)
    if sent:
        Suggestion.objects.filter(pk=suggestion_id).update(acknowledged_at=timezone.now())
    return sent


def suggestions_acknowledge_missed(
    *, hours: int = 24, settle_minutes: int = 10, limit: int = 500
) -> list[int]:
    """Acknowledgements whose job was lost (the broker keeps nothing on disk, or a worker
    died): started again for the suggestions of the last `hours` that have contact details,
    were dispatched more than `settle_minutes` ago and are not yet acknowledged. Older ones
    are left: a receipt a day late is no longer news, and the tracking code was on the
    citizen's screen. Returns their ids, oldest first."""
    now = timezone.now()
    missed = list(
        Suggestion.objects.filter(
            Q(phone_encrypted__gt="") | Q(email_encrypted__gt=""),
            acknowledged_at__isnull=True,
            created_at__gte=now - timedelta(hours=hours),
            dispatched_at__lt=now - timedelta(minutes=settle_minutes),
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for suggestion_id in missed:
        send("suggestions.acknowledge", suggestion_id=suggestion_id)
    return missed


def photo_preview_ensure(*, photo: SuggestionPhoto) -> SuggestionPhoto:
    """The photo with its preview, made and stored now for a photo stored before previews
    were. Once: of two requests making it at the same time, the one that loses keeps the
    other's and removes its own file. A stored file Pillow cannot read keeps no preview
    (the page then shows the photo itself)."""
    if photo.preview:
        return photo
    try:
        with photo.image.open("rb") as stored:
            preview = preview_of(stored.read())
    except (OSError, ValueError, Image.DecompressionBombError):
        return photo
    photo.preview.save(preview.name, ContentFile(preview.content), save=False)
    made = photo.preview.name
    if SuggestionPhoto.objects.filter(pk=photo.pk, preview="").update(preview=made) == 0:
        photo.preview.storage.delete(made)
        photo.refresh_from_db(fields=["preview"])
    return photo


def suggestion_categorise(*, suggestion: Suggestion, category: Category, actor: Any) -> Event:
    """Staff set (or correct) the category in triage. Recorded on the timeline, and on the
    category hints: taken or not."""
    require(actor, "suggestions.categorise_suggestion", suggestion)
    if category.committee_id != suggestion.committee_id or not category.is_active:
        raise DomainError(_("Choose a category of this committee."))
    with transaction.atomic():
        locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if locked.status not in OPEN_STATES:
            raise Conflict(
                _("The suggestion is “%(state)s”; its category can no longer be changed.")
                % {"state": locked.get_status_display()}
            )
        before = locked.category.name if locked.category is not None else "—"
        locked.category = category
        locked.save(update_fields=["category", "updated_at"])
        hooks.category_chosen(locked, category.pk)
        event = event_record(
            obj=locked,
            committee_id=locked.committee_id,
            actor=actor,
            action=A.CATEGORISE,
            note=f"{before} → {category.name}",
        )
    suggestion.category = category
    return event


FOLLOWS_PER_HOUR = 10


def suggestion_follow(
    *, suggestion: Suggestion, phone: str = "", email: str = "", client_ip: str = ""
) -> tuple[Follower, bool]:
    """A citizen follows an open suggestion that their committee may publish, instead of
    handing in the same issue again. Following twice with the same contact keeps one
    follower; at most 10 follows an hour from one address."""
    if not (phone or email):
        raise DomainError(_("Leave a mobile number or an email address to be told of progress."))
    if suggestion.status not in OPEN_STATES or not suggestion.allow_publication:
        raise Conflict(_("This suggestion can no longer be followed."))
    phone_lookup = lookup_hash(phone) if phone else ""
    email_lookup = lookup_hash(email.lower()) if email else ""
    client_lookup = lookup_hash(client_ip) if client_ip else ""
    existing = Follower.objects.filter(
        suggestion=suggestion, phone_lookup=phone_lookup, email_lookup=email_lookup
    ).first()
    if existing is not None:
        return existing, False
    if client_lookup:
        since = timezone.now() - timedelta(hours=1)
        recent = Follower.objects.filter(client_lookup=client_lookup, created_at__gte=since)
        if recent.order_by()[:FOLLOWS_PER_HOUR].count() >= FOLLOWS_PER_HOUR:
            raise RateLimited(_("Too many follows from this network in the last hour."))
    try:
        with transaction.atomic():
            follower = Follower.objects.create(
                suggestion=suggestion,
                phone_encrypted=encrypt(phone) if phone else "",
                phone_lookup=phone_lookup,
                email_encrypted=encrypt(email) if email else "",
                email_lookup=email_lookup,
                client_lookup=client_lookup,
            )
            event_record(
                obj=suggestion,
                committee_id=suggestion.committee_id,
                actor=ActorKind.CITIZEN,
                action=A.FOLLOW,
            )
    except IntegrityError:  # a double click: the other request stored it
        follower = Follower.objects.get(
            suggestion=suggestion, phone_lookup=phone_lookup, email_lookup=email_lookup
        )
        return follower, False
    return follower, True


def suggestion_transition(
    *,
    suggestion: Suggestion,
    action: str,
    actor: Any,
    note: str = "",
    expected_state: str | None = None,
    member_id: int | None = None,
) -> Event:
    """A step that needs nothing but a note: start triage, offer to members, forward as
    opinion, make a topic, close. Dispositions are recorded with it. Forwarded as opinion,
    the 社情民意 draft is written (the `forwarded_as_opinion` hook) for the member
    `member_id` of the suggestion's committee, or for the liaison office."""
    serving = Member.objects.filter(committee_id=suggestion.committee_id, is_active=True)
    if action == A.OPINION and member_id is not None and not serving.filter(pk=member_id):
        raise DomainError(_("Choose a serving member of this committee."))

    def take_it(locked: Suggestion, _t: object) -> None:
        if action == "triage" and locked.handler_id is None:
            locked.handler = actor

    with transaction.atomic():
        event = SUGGESTION_WORKFLOW.apply(
            suggestion,
            action=action,
            actor=actor,
            note=note,
            expected_state=expected_state,
            on_apply=take_it,
        )
        kind = {
            "offer": DispositionKind.OFFER_TO_MEMBERS,
            "opinion": DispositionKind.OPINION,
            "topic": DispositionKind.TOPIC,
        }.get(action)
        if kind is not None:
            Disposition.objects.create(
                suggestion=suggestion,
                kind=kind,
                note=note,
                created_by=actor,
                member_id=member_id if action == A.OPINION else None,
            )
        if action == "topic":
            hooks.topic_made(suggestion, actor, note)
        if action == A.OPINION:
            hooks.forwarded_as_opinion(suggestion, actor, member_id)
        if event.is_public:
            public_step_tell(
                suggestion=suggestion, text=SUGGESTION_WORKFLOW.describe(event).to_state
            )
    return event


def _answering(text: str) -> Callable[[Suggestion, object], None]:
    """The workflow hook that records the public answer as the state moves to 已答复."""

    def set_answer(locked: Suggestion, _t: object) -> None:
        locked.public_answer = text
        locked.answered_at = timezone.now()

    return set_answer


def suggestion_answer(
    *, suggestion: Suggestion, actor: Any, answer: str, expected_state: str | None = None
) -> Event:
    """Answer directly: the text becomes the public answer the citizen reads, and the
    suggestion's disposition is 直接答复."""
    with transaction.atomic():
        event = _answer_publicly(suggestion, actor, answer, expected_state)
        Disposition.objects.create(
            suggestion=suggestion, kind=DispositionKind.ANSWER, note=answer, created_by=actor
        )
    return event


def _answer_publicly(
    suggestion: Suggestion, actor: Any, answer: str, expected_state: str | None = None
) -> Event:
    """The answer step the citizen sees, whoever wrote the answer: staff directly, or a
    department whose reply staff approved (then the disposition stays 转交职能部门办理)."""
    event = SUGGESTION_WORKFLOW.apply(
        suggestion,
        action=A.ANSWER,
        actor=actor,
        note=answer,
        expected_state=expected_state,
        on_apply=_answering(answer.strip()),
    )
    public_step_tell(suggestion=suggestion, text=_("it has been answered."))
    suggestion.refresh_from_db()
    return event


def suggestion_reject(
    *, suggestion: Suggestion, actor: Any, reason: str, note: str, expected_state: str | None
) -> Event:
    """Not accepted, with a reason from the list and an explanation the citizen reads."""
    if reason not in RejectReason.values:
        raise DomainError(_("Choose a reason."))
    text = f"{RejectReason(reason).label}：{note.strip()}" if note.strip() else ""
    with transaction.atomic():
        event = SUGGESTION_WORKFLOW.apply(
            suggestion, action=A.REJECT, actor=actor, note=text, expected_state=expected_state
        )
        Disposition.objects.create(
            suggestion=suggestion, kind=DispositionKind.REJECT, note=text, created_by=actor
        )
        public_step_tell(suggestion=suggestion, text=_("it was not accepted."))
    return event


def suggestion_merge(
    *, suggestion: Suggestion, into: Suggestion, actor: Any, expected_state: str | None
) -> Event:
    """Merge a duplicate into the main suggestion; its citizen follows the main one."""
    if into.pk == suggestion.pk or into.committee_id != suggestion.committee_id:
        raise DomainError(_("Choose another suggestion of the same committee."))
    if into.status == SuggestionStatus.MERGED:
        raise DomainError(_("That suggestion was itself merged; choose the main one."))

    def link(locked: Suggestion, _t: object) -> None:
        locked.merged_into = into

    with transaction.atomic():
        event = SUGGESTION_WORKFLOW.apply(
            suggestion,
            action=A.MERGE,
            actor=actor,
            note=_("Merged into %(code)s") % {"code": into.tracking_code},
            expected_state=expected_state,
            on_apply=link,
        )
        Disposition.objects.create(
            suggestion=suggestion,
            kind=DispositionKind.MERGE,
            note=into.tracking_code,
            created_by=actor,
        )
        public_step_tell(
            suggestion=suggestion, text=_("it is handled together with a similar one.")
        )
    return event


def suggestion_claim(*, suggestion: Suggestion, member: Member, actor: Any) -> Disposition:
    """A member claims an offered suggestion to develop it into a proposal (认领): the claim
    is recorded (once per member). The proposals app's `proposal_claim` calls this and
    creates the draft (百姓提案) in the same transaction."""
    require(actor, "suggestions.claim_suggestion", suggestion)
    if member.user_id != getattr(actor, "pk", None) or member.committee_id != (
        suggestion.committee_id
    ):
        raise DomainError(_("Claim it with your own seat in the suggestion's committee."))
    if not suggestion.dispositions.filter(kind=DispositionKind.OFFER_TO_MEMBERS).exists():
        raise DomainError(_("Staff have not offered this suggestion to members."))
    taken = DomainError(
        _("This suggestion has already been claimed by another member; it cannot be claimed twice.")
    )
    with transaction.atomic():
        # The suggestion's row is locked first, so two claims at once are checked in turn.
        Suggestion.objects.select_for_update().filter(pk=suggestion.pk).first()
        active = Disposition.objects.filter(
            suggestion=suggestion, kind=DispositionKind.MEMBER_CLAIM, released_at__isnull=True
        ).first()
        if active is not None:
            if active.member_id == member.pk:
                raise DomainError(_("You have already claimed this suggestion."))
            raise taken
        SUGGESTION_WORKFLOW.apply(suggestion, action=A.CLAIM, actor=actor)
        try:
            with transaction.atomic():
                disposition = Disposition.objects.create(
                    suggestion=suggestion,
                    kind=DispositionKind.MEMBER_CLAIM,
                    member=member,
                    created_by=actor,
                )
        except IntegrityError:
            raise taken from None
        return disposition


def suggestion_claim_release(*, suggestion: Suggestion, member: Member) -> bool:
    """The member's active claim is released (their draft from it was withdrawn): the
    suggestion is offered to members again. Called by the proposals app; False when the
    member had no active claim."""
    released = Disposition.objects.filter(
        suggestion=suggestion,
        member=member,
        kind=DispositionKind.MEMBER_CLAIM,
        released_at__isnull=True,
    ).update(released_at=timezone.now())
    return bool(released)


def referral_create(
    *,
    suggestion: Suggestion,
    department: Department,
    instructions: str,
    actor: Any,
    share_contact: bool = False,
    working_days: int | None = None,
    expected_state: str | None = None,
) -> Referral:
    """Refer to a department with a deadline in working days (the committee's default
    unless given). Moves the suggestion to 办理中."""
    if department.committee_id != suggestion.committee_id or not department.is_active:
        raise DomainError(_("Choose a department of this committee."))
    days = working_days or Policy.for_committee(suggestion.committee_id).referral_working_days
    now = timezone.now()
    with transaction.atomic():
        SUGGESTION_WORKFLOW.apply(
            suggestion,
            action=A.REFER,
            actor=actor,
            note=f"{department.name}：{instructions.strip()}",
            expected_state=expected_state,
        )
        referral = Referral.objects.create(
            suggestion=suggestion,
            committee_id=suggestion.committee_id,
            department=department,
            instructions=instructions.strip(),
            deadline=add_working_days(now, days),
            share_contact=share_contact,
            created_by=actor,
            created_at=now,
        )
        Disposition.objects.create(
            suggestion=suggestion,
            kind=DispositionKind.REFERRAL,
            note=department.name,
            created_by=actor,
        )
        hooks.department_chosen(suggestion, department.pk)
        public_step_tell(
            suggestion=suggestion,
            text=_("it has been referred to %(d)s.") % {"d": department.name},
        )
    return referral


def referral_transition(
    *, referral: Referral, action: str, actor: Any, note: str = "", expected_state: str | None
) -> Event:
    """Sign for it, ask to return it, accept or refuse a return, send a reply back."""
    return REFERRAL_WORKFLOW.apply(
        referral, action=action, actor=actor, note=note, expected_state=expected_state
    )


def referral_reply(
    *, referral: Referral, actor: Any, text: str, result: str, expected_state: str | None
) -> Event:
    """The department's reply; staff approve it before the citizen sees it."""

    def set_reply(locked: Referral, _t: object) -> None:
        locked.reply_text = text.strip()
        locked.reply_result = result
        locked.replied_at = timezone.now()

    return REFERRAL_WORKFLOW.apply(
        referral,
        action=A.REPLY,
        actor=actor,
        note=text,
        expected_state=expected_state,
        on_apply=set_reply,
    )


def referral_approve(*, referral: Referral, actor: Any, expected_state: str | None) -> Event:
    """Approve the department's reply: it becomes the suggestion's public answer, or is
    added to it when another department's reply answered it already."""
    with transaction.atomic():
        event = REFERRAL_WORKFLOW.apply(
            referral, action=A.APPROVE, actor=actor, expected_state=expected_state
        )
        referral.refresh_from_db()
        suggestion = Suggestion.objects.select_for_update().get(pk=referral.suggestion_id)
        answer = f"{referral.department.name}（{referral.get_reply_result_display()}）：" + (
            referral.reply_text
        )
        if suggestion.status == SuggestionStatus.HANDLING:
            # The department answered, not staff: no 直接答复 disposition (the figures
            # count those), the referral is the disposition.
            _answer_publicly(suggestion, actor, answer)
        elif suggestion.public_answer:
            # Referred to several departments: a later reply joins the answer already given.
            suggestion.public_answer = f"{suggestion.public_answer}\n\n{answer}"
            suggestion.save(update_fields=["public_answer", "updated_at"])
            event_record(
                obj=suggestion,
                committee_id=suggestion.committee_id,
                actor=actor,
                action=A.ANSWER_ADDED,
                note=answer,
                is_public=True,
            )
    return event


def suggestion_rate(
    *, suggestion: Suggestion, rating: str, comment: str, expected_state: str | None
) -> Event:
    """The citizen rates the answer; 不满意 reopens it for staff review."""
    if rating not in Rating.values:
        raise DomainError(_("Choose how satisfied you are."))
    action = "rate_bad" if rating == Rating.UNSATISFIED else "rate_ok"

    def set_rating(locked: Suggestion, _t: object) -> None:
        locked.rating = rating
        locked.rating_comment = comment.strip()

    return SUGGESTION_WORKFLOW.apply(
        suggestion,
        action=action,
        actor=ActorKind.CITIZEN,
        note=f"{Rating(rating).label} {comment.strip()}".strip(),
        expected_state=expected_state,
        on_apply=set_rating,
    )


def suggestion_add_information(*, suggestion: Suggestion, text: str) -> Event:
    """The citizen adds information while the suggestion is open."""
    if not suggestion.is_open:
        raise DomainError(_("This suggestion is no longer open for additions."))
    if not text.strip():
        raise DomainError(_("Write what you want to add."))
    return event_record(
        obj=suggestion,
        committee_id=suggestion.committee_id,
        actor=ActorKind.CITIZEN,
        action=A.ADD_INFORMATION,
        note=text.strip()[:2000],
        is_public=True,
    )


def suggestion_reveal_contact(*, suggestion: Suggestion, actor: Any, why: str = "") -> str:
    """Show the citizen's phone number to an authorised user; every reveal is logged."""
    require(actor, "suggestions.reveal_contact", suggestion)
    return _reveal(suggestion, actor, why)


def referral_reveal_contact(*, referral: Referral, actor: Any) -> str:
    """Show the citizen's phone number to a clerk of the department, when staff shared it
    for this referral; logged like every reveal."""
    require(actor, "suggestions.reveal_contact_referral", referral)
    return _reveal(referral.suggestion, actor, referral.department.name)


def _reveal(suggestion: Suggestion, actor: Any, why: str) -> str:
    if not suggestion.phone_encrypted:
        return ""
    event_record(
        obj=suggestion,
        committee_id=suggestion.committee_id,
        actor=actor,
        action=A.REVEAL_CONTACT,
        note=why,
    )
    return decrypt(suggestion.phone_encrypted)


def escalation_create(
    *, suggestion: Suggestion, note: str, actor: Any, expected_state: str | None = None
) -> Escalation:
    """Send a suggestion up to the upper committee (市区联动) with the district's note."""
    upper_id = suggestion.committee.parent_id
    if upper_id is None:
        raise DomainError(_("This committee has no upper committee."))
    if not note.strip():
        raise DomainError(_("Write a note for the upper committee."))
    with transaction.atomic():
        SUGGESTION_WORKFLOW.apply(
            suggestion, action=A.ESCALATE, actor=actor, note=note, expected_state=expected_state
        )
        escalation = Escalation.objects.create(
            suggestion=suggestion, committee_id=upper_id, note=note.strip(), created_by=actor
        )
        event_record(
            obj=escalation,
            committee_id=upper_id,
            actor=actor,
            action=A.SENT,
            to_state=EscalationStatus.SENT,
            note=note,
        )
        Disposition.objects.create(
            suggestion=suggestion, kind=DispositionKind.ESCALATION, note=note, created_by=actor
        )
        public_step_tell(suggestion=suggestion, text=_("it has been sent to the upper committee."))
    return escalation


def escalation_transition(
    *, escalation: Escalation, action: str, actor: Any, note: str = "", expected_state: str | None
) -> Event:
    """The upper committee takes it up, declines it, or answers it. A decline sends the
    suggestion back to the district's triage; an answer becomes the citizen's answer."""

    def set_answer(locked: Escalation, _t: object) -> None:
        if action == "answer":
            locked.answer = note.strip()

    with transaction.atomic():
        event = ESCALATION_WORKFLOW.apply(
            escalation,
            action=action,
            actor=actor,
            note=note,
            expected_state=expected_state,
            on_apply=set_answer,
        )
        suggestion = Suggestion.objects.select_related("committee").get(pk=escalation.suggestion_id)
        upper = escalation.committee.short_name
        if action == "decline":
            SUGGESTION_WORKFLOW.apply(
                suggestion,
                action=A.UPPER_DECLINED,
                actor=ActorKind.SYSTEM,
                note=f"{upper}：{note.strip()}",
            )
        elif action == "answer":
            SUGGESTION_WORKFLOW.apply(
                suggestion,
                action=A.UPPER_ANSWERED,
                actor=ActorKind.SYSTEM,
                note=note,
                on_apply=_answering(f"{upper}：{note.strip()}"),
            )
            public_step_tell(suggestion=suggestion, text=_("it has been answered."))
    return event
