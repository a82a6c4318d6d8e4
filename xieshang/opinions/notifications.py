"""Who is told what about 社情民意: the authors (the author, the co-authors and whoever
wrote the item) when it is sent back, decided on, issued or drew a leader's instruction.
The event on the item is the notice in the site; this is the email, put together in the
job, in the site's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from xieshang.core.jobs import enqueue
from xieshang.opinions.models import Item
from xieshang.people.models import User


def authors_tell(*, item_id: int) -> None:
    """After the current transaction commits, email the authors the item's latest step."""
    enqueue("opinions.authors_notify", item_id=item_id)


def authors_notify(*, item_id: int) -> int:
    """Email every author with an address the item's state. Returns how many addresses."""
    item = Item.objects.filter(pk=item_id).first()
    if item is None:
        return 0
    addresses = sorted(
        {
            email
            for email in User.objects.filter(
                Q(pk=item.created_by_id)
                | Q(seats__opinion_items=item)
                | Q(seats__in=item.coauthors.all()),
                is_active=True,
            ).values_list("email", flat=True)
            if email
        }
    )
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Your public-opinion item: %(state)s") % {"state": item.get_status_display()},
            message=_("Your item “%(title)s” is now “%(state)s”. Log in to see the details.")
            % {"title": item.title, "state": item.get_status_display()},
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=addresses,
        )
    return len(addresses)
