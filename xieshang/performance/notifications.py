"""Who is told what about points: the committee's staff, at each checkpoint of the year,
of the members below the pro-rata baseline. The reminder row (their 我的工作) and the event
on the scheme are the notice in the site; this is the email, put together in the job, in
the site's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from xieshang.people.models import Member, StaffPosition
from xieshang.performance.models import BaselineReminder, MemberYear


def staff_remind(*, reminder_id: int) -> int:
    """Email the committee's staff (those with an address) the members below the pro-rata
    baseline at the reminder's checkpoint, with their points. Returns how many addresses
    were written to."""
    reminder = (
        BaselineReminder.objects.select_related("scheme__committee").filter(pk=reminder_id).first()
    )
    if reminder is None or not reminder.members:
        return 0
    scheme = reminder.scheme
    addresses = sorted(
        {
            email
            for email in StaffPosition.objects.filter(
                committee_id=scheme.committee_id, user__is_active=True
            ).values_list("user__email", flat=True)
            if email
        }
    )
    if not addresses:
        return 0
    names = dict(Member.objects.filter(pk__in=reminder.members).values_list("pk", "user__name"))
    totals = dict(
        MemberYear.objects.filter(member_id__in=reminder.members, year=scheme.year).values_list(
            "member_id", "total"
        )
    )
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Members below %(due)d points by %(day)s (the year's baseline is %(baseline)d):")
            % {
                "due": reminder.due,
                "day": reminder.checkpoint.isoformat(),
                "baseline": scheme.baseline,
            }
        ]
        lines += [f"{names.get(pk, pk)}：{totals.get(pk, 0)}" for pk in reminder.members]
        send_mail(
            subject=_("%(committee)s: members below the baseline of points")
            % {"committee": scheme.committee},
            message="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=addresses,
        )
    return len(addresses)
