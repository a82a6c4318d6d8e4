"""SMS codes that prove a citizen holds the mobile number they book with.

One code per number per minute, valid for ten minutes; only a keyed hash of it is stored.
Wrong codes count against the number: the fifth locks it for fifteen minutes, for checking
and for new codes alike. A right code is consumed by the booking it is used for, in the
booking's own transaction (`verification_consume`), so it books once, and a booking that
fails (the slot was just taken) leaves it usable for another slot.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.core.privacy import encrypt, lookup_hash
from xieshang.duty.models import PhoneVerification
from xieshang.duty.tasks import sms_deliver

CODE_LENGTH = 6
RESEND_AFTER = timedelta(seconds=60)
CODE_VALID_FOR = timedelta(minutes=10)
MAX_WRONG_TRIES = 5
LOCKED_FOR = timedelta(minutes=15)
_HASH_SALT = "xieshang.duty.verification"


class TooSoon(DomainError):
    status = 429


class PhoneLocked(DomainError):
    status = 429


def _code_hash(phone_lookup: str, code: str) -> str:
    # Keyed by SECRET_KEY and bound to the number: a dump of the table does not give the
    # codes away by hashing the million possible ones.
    return salted_hmac(_HASH_SALT, f"{phone_lookup}:{code}", algorithm="sha256").hexdigest()


def _local_time(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _check_not_locked(phone_lookup: str, now: datetime) -> None:
    locked = (
        PhoneVerification.objects.filter(phone_lookup=phone_lookup, locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    if locked is not None:
        raise PhoneLocked(
            _(
                "Too many wrong codes for this number. It is locked until %(time)s; "
                "please try again after that."
            )
            % {"time": _local_time(locked)}
        )


def verification_send(*, phone: str) -> PhoneVerification:
    """Text a new 6-digit code to `phone` (a normalised mainland number).

    Refused while the number is locked or when a code went to it less than a minute ago.
    Earlier unused codes of the number stop working. The SMS goes out after commit.
    """
    phone_lookup = lookup_hash(phone)
    now = timezone.now()
    with transaction.atomic():
        # Lock the number's rows: two requests at once cannot both pass the minute check.
        rows = list(
            PhoneVerification.objects.select_for_update()
            .filter(phone_lookup=phone_lookup)
            .order_by("-created_at", "-id")[:20]
        )
        _check_not_locked(phone_lookup, now)
        if rows and rows[0].created_at > now - RESEND_AFTER:
            wait = int((rows[0].created_at + RESEND_AFTER - now).total_seconds()) + 1
            raise TooSoon(
                _("A code was just sent to this number. You can ask for another in %(n)d s.")
                % {"n": wait}
            )
        PhoneVerification.objects.filter(
            phone_lookup=phone_lookup, verified_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
        verification = PhoneVerification.objects.create(
            phone_lookup=phone_lookup,
            code_hash=_code_hash(phone_lookup, code),
            created_at=now,
            expires_at=now + CODE_VALID_FOR,
        )
        text = _(
            "Your verification code is %(code)s, valid for 10 minutes. Do not give it to anyone."
        ) % {"code": code}
        sealed = encrypt(phone)
        transaction.on_commit(lambda: sms_deliver.delay(sealed, text))
    return verification


def verification_check(*, phone: str, code: str) -> PhoneVerification:
    """The number's current code if `code` is it; otherwise raise, counting the wrong try.

    Does not consume the code: the booking does (`verification_consume`). The count of
    wrong tries is committed even though the request is refused.
    """
    phone_lookup = lookup_hash(phone)
    now = timezone.now()
    error: DomainError | None = None
    with transaction.atomic():
        _check_not_locked(phone_lookup, now)
        current = (
            PhoneVerification.objects.select_for_update()
            .filter(phone_lookup=phone_lookup, verified_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at", "-id")
            .first()
        )
        if current is None:
            raise DomainError(
                _("There is no valid code for this number. Please ask for a new code.")
            )
        if constant_time_compare(current.code_hash, _code_hash(phone_lookup, code.strip())):
            return current
        current.failed_attempts += 1
        if current.failed_attempts >= MAX_WRONG_TRIES:
            current.locked_until = now + LOCKED_FOR
            error = PhoneLocked(
                _(
                    "Too many wrong codes for this number. It is locked until %(time)s; "
                    "please try again after that."
                )
                % {"time": _local_time(current.locked_until)}
            )
        else:
            left = MAX_WRONG_TRIES - current.failed_attempts
            error = DomainError(_("The code is not right. %(n)d tries left.") % {"n": left})
        current.save(update_fields=["failed_attempts", "locked_until"])
    raise error


def verification_consume(*, verification: PhoneVerification) -> bool:
    """Mark the code used; False when it was used or expired meanwhile. Call it inside the
    transaction that uses the code, so a rolled-back booking leaves it usable."""
    now = timezone.now()
    return (
        PhoneVerification.objects.filter(
            pk=verification.pk, verified_at__isnull=True, expires_at__gt=now
        ).update(verified_at=now)
        == 1
    )
