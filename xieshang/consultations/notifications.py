"""Who is told what about consultation events: each invitee, by SMS and/or email (whichever
they have), of their invitation with the link to answer, of a change of time or place, of
a cancellation, and the day before.

Messages are put together in the job, from the invitation and its event as they are when
the job runs, in the site's language; numbers and addresses are stored encrypted and
travel to the queue only as the invitation's id.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from xieshang.consultations.models import Invitation
from xieshang.core.jobs import enqueue
from xieshang.core.privacy import decrypt
from xieshang.core.sms import sms_send

KINDS = ("invite", "remind", "changed", "cancelled")


def invitation_tell(*, invitation_id: int, kind: str, link_base: str = "") -> None:
    """After the current transaction commits, tell the invitee: their invitation
    ("invite"), the reminder the day before ("remind"), a change of time or place
    ("changed"), a cancellation ("cancelled")."""
    if kind not in KINDS:
        raise ValueError(kind)
    enqueue(
        "consultations.invitation_notify",
        invitation_id=invitation_id,
        kind=kind,
        link_base=link_base,
    )


def invitation_link(invitation: Invitation, *, base: str = "") -> str:
    """The absolute address of the invitee's page: on BOOKING_LINK_BASE_URL (the site's
    public address), or else on `base` (as the staff's request saw it); "" with neither."""
    base = settings.BOOKING_LINK_BASE_URL or base
    if not base:
        return ""
    return base.rstrip("/") + reverse(
        "consultations:invitation", kwargs={"token": invitation.token}
    )


def invitation_message(
    invitation_id: int, kind: str, link_base: str = ""
) -> tuple[Invitation, str, str] | None:
    """(invitation, subject, text) of the message of `kind`, or None when it is gone."""
    invitation = (
        Invitation.objects.select_related("meeting__topic__committee")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return None
    meeting = invitation.meeting
    topic = meeting.topic
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "name": invitation.name,
            "committee": topic.committee.short_name,
            "title": topic.title,
            "event": meeting.get_kind_display(),
            "when": f"{meeting.date.isoformat()} {meeting.time.strftime('%H:%M')}",
            "place": meeting.place,
        }
        texts = {
            "invite": _(
                "%(name)s, %(committee)s invites you to the %(event)s on “%(title)s”: "
                "%(when)s, %(place)s."
            ),
            "remind": _(
                "%(name)s, a reminder: the %(event)s on “%(title)s” is tomorrow, %(when)s, "
                "%(place)s."
            ),
            "changed": _(
                "%(name)s, the %(event)s on “%(title)s” has moved: now %(when)s, %(place)s."
            ),
            "cancelled": _("%(name)s, the %(event)s on “%(title)s” (%(when)s) has been cancelled."),
        }
        subjects = {
            "invite": _("Invitation: %(title)s"),
            "remind": _("Tomorrow: %(title)s"),
            "changed": _("Changed: %(title)s"),
            "cancelled": _("Cancelled: %(title)s"),
        }
        text = texts[kind] % values
        link = invitation_link(invitation, base=link_base)
        if link and kind != "cancelled":
            text += " " + _("Please answer whether you will come: %(link)s") % {"link": link}
        subject = subjects[kind] % values
    return invitation, subject, text


def invitation_notify(*, invitation_id: int, kind: str, link_base: str = "") -> list[str]:
    """Send the message (the job): by SMS to the invitee's mobile and by email to their
    address, whichever they have. Returns the channels used."""
    message = invitation_message(invitation_id, kind, link_base)
    if message is None:
        return []
    invitation, subject, text = message
    sent = []
    if invitation.phone_encrypted:
        sms_send(phone=decrypt(invitation.phone_encrypted), text=text)
        sent.append("sms")
    if invitation.email_encrypted:
        send_mail(
            subject=subject,
            message=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[decrypt(invitation.email_encrypted)],
        )
        sent.append("email")
    return sent
