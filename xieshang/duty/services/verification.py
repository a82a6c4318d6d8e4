"""SMS codes that prove a citizen holds the mobile number they book with.

One code per number per minute and at most ten a day, at most ten codes an hour asked for
from one address; a code is valid for ten minutes and only a keyed hash of it is stored.
Wrong codes count against the number, not against one code: the fifth wrong code within
fifteen minutes locks it for fifteen minutes, for checking and for new codes alike, and
asking for a new code does not start the count again. Every check and every send first
locks the number's rows, so a burst of guesses is decided one after another on the latest
count. A right code is consumed by the booking it is used for, in the booking's own
transaction (`verification_consume`), so it books once, and a booking that fails (the
slot was just taken) leaves it usable for another slot.
"""

from __future__ import annotations

import contextlib
import secrets
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.core.privacy import lookup_hash
from xieshang.duty.models import PhoneVerification
from xieshang.duty.notifications import code_tell

CODE_LENGTH = 6
RESEND_AFTER = timedelta(seconds=60)
CODE_VALID_FOR = timedelta(minutes=10)
MAX_WRONG_TRIES = 5
LOCKED_FOR = timedelta(minutes=15)
# Wrong codes within this window count together, whichever code they were meant for.
WRONG_TRIES_WINDOW = timedelta(minutes=15)
MAX_SENDS_PER_DAY = 10  # codes to one number a day (Beijing date)
MAX_SENDS_PER_ADDRESS_HOUR = 10  # codes asked for from one client address an hour
_HASH_SALT = "xieshang.duty.verification"


class TooSoon(DomainError):
    status = 429


class PhoneLocked(DomainError):
    status = 429


class SendLimit(DomainError):
    """Too many codes today for the number, or this hour from the address."""

    status = 429


def _code_hash(phone_lookup: str, code: str) -> str:
    # Keyed by SECRET_KEY and bound to the number: a dump of the table does not give the
    # codes away by hashing the million possible ones.
    return salted_hmac(_HASH_SALT, f"{phone_lookup}:{code}", algorithm="sha256").hexdigest()


def _local_time(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _locked_message(until: datetime) -> str:
    return _(
        "Too many wrong codes for this number. It is locked until %(time)s; "
        "please try again after that."
    ) % {"time": _local_time(until)}


def lock_number(phone_lookup: str) -> None:
    """Lock every row of the number, in primary-key order: checks, sends and bookings by
    one number then run one after another, and what follows sees every one committed
    before it. Everything that locks a number's rows locks them this way (the booking
    too), so two of them cannot deadlock."""
    list(
        PhoneVerification.objects.select_for_update()
        .filter(phone_lookup=phone_lookup)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _locked_until(phone_lookup: str) -> datetime | None:
    """The end of the number's latest lock, or None when it has never been locked."""
    latest: datetime | None = PhoneVerification.objects.filter(
        phone_lookup=phone_lookup, locked_until__isnull=False
    ).aggregate(latest=Max("locked_until"))["latest"]
    return latest


def _check_not_locked(phone_lookup: str, now: datetime) -> None:
    locked = _locked_until(phone_lookup)
    if locked is not None and locked > now:
        raise PhoneLocked(_locked_message(locked))


def _wrong_tries(phone_lookup: str, now: datetime) -> int:
    """Wrong codes of the number in the last fifteen minutes, over all its codes.

    A wrong try is counted on the code it was meant for, which takes tries only while it
    is valid: every code valid at some moment of the window counts (so a try up to ten
    minutes older than the window may count too, never one fewer). Tries that led to a
    lock which has ended count no more: the number starts again after its lock."""
    rows = PhoneVerification.objects.filter(
        phone_lookup=phone_lookup, expires_at__gt=now - WRONG_TRIES_WINDOW
    )
    locked = _locked_until(phone_lookup)
    if locked is not None:
        # No code is sent while the number is locked: the rows since are after the lock.
        rows = rows.filter(created_at__gte=locked)
    total: int | None = rows.aggregate(total=Sum("failed_attempts"))["total"]
    return total or 0


def _check_address(client_ip: str, now: datetime) -> str:
    """Count a code asked for from `client_ip` in this hour's window (the cache, keyed by
    a hash of the address), or refuse once the window has had its ten. Returns the key,
    to give the try back when the code is not sent for another reason."""
    if not client_ip:
        return ""
    window = int(now.timestamp()) // 3600
    key = f"duty:sms-address:{lookup_hash('ip:' + client_ip)}:{window}"
    # add() then incr(): atomic on Redis and on the local memory cache alike.
    cache.add(key, 0, timeout=3600 + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=3600 + 60)
        count = 1
    if count > MAX_SENDS_PER_ADDRESS_HOUR:
        reopens = datetime.fromtimestamp((window + 1) * 3600, tz=now.tzinfo)
        raise SendLimit(
            _(
                "Too many codes have been asked for from your network this hour. "
                "Please try again after %(time)s."
            )
            % {"time": _local_time(reopens)}
        )
    return key


def _check_daily_cap(phone_lookup: str, now: datetime) -> None:
    today = datetime.combine(
        timezone.localdate(now), time.min, tzinfo=timezone.get_current_timezone()
    )
    sent = PhoneVerification.objects.filter(phone_lookup=phone_lookup, created_at__gte=today)
    if sent.count() >= MAX_SENDS_PER_DAY:
        raise SendLimit(
            _(
                "This number has been sent %(n)d codes today, the most we send a day. "
                "Please try again tomorrow."
            )
            % {"n": MAX_SENDS_PER_DAY}
        )


def verification_send(*, phone: str, client_ip: str = "") -> PhoneVerification:
    """Text a new 6-digit code to `phone` (a normalised mainland number), asked for from
    `client_ip` (the client's address; "" when there is none, e.g. in a shell).

    Refused (429) while the number is locked, when a code went to it less than a minute
    ago, when it had ten codes today, or when its address asked for ten codes this hour.
    Earlier unused codes of the number stop working. The SMS goes out after commit.
    """
    phone_lookup = lookup_hash(phone)
    now = timezone.now()
    address_key = _check_address(client_ip, now)
    try:
        verification = _send(phone, phone_lookup, now)
    except DomainError:
        # Nothing was sent: the try does not count against the address.
        if address_key:
            with contextlib.suppress(ValueError):  # the window has just ended
                cache.decr(address_key)
        raise
    return verification


def _send(phone: str, phone_lookup: str, now: datetime) -> PhoneVerification:
    with transaction.atomic():
        # Lock the number's rows: two requests at once cannot both pass the checks.
        lock_number(phone_lookup)
        _check_not_locked(phone_lookup, now)
        last = (
            PhoneVerification.objects.filter(phone_lookup=phone_lookup)
            .order_by("-created_at", "-id")
            .values_list("created_at", flat=True)
            .first()
        )
        if last is not None and last > now - RESEND_AFTER:
            wait = int((last + RESEND_AFTER - now).total_seconds()) + 1
            raise TooSoon(
                _("A code was just sent to this number. You can ask for another in %(n)d s.")
                % {"n": wait}
            )
        _check_daily_cap(phone_lookup, now)
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
        code_tell(phone=phone, text=text)
    return verification


def verification_check(*, phone: str, code: str) -> PhoneVerification:
    """The number's current code if `code` is it; otherwise raise, counting the wrong try.

    The number's rows are locked first, and only then are its lock and its wrong tries of
    the last fifteen minutes (over all its codes) read: of a burst of guesses queued on the
    lock, those after the fifth wrong one are refused without being compared. Does not
    consume the code: the booking does (`verification_consume`). The count of wrong tries
    is committed even though the request is refused.
    """
    phone_lookup = lookup_hash(phone)
    with transaction.atomic():
        lock_number(phone_lookup)
        # Read after the lock: a guess that waited for it sees the tries before it.
        now = timezone.now()
        _check_not_locked(phone_lookup, now)
        current = (
            PhoneVerification.objects.filter(
                phone_lookup=phone_lookup, verified_at__isnull=True, expires_at__gt=now
            )
            .order_by("-created_at", "-id")
            .first()
        )
        tries = _wrong_tries(phone_lookup, now)
        if current is None and tries < MAX_WRONG_TRIES:
            raise DomainError(
                _("There is no valid code for this number. Please ask for a new code.")
            )
        if tries < MAX_WRONG_TRIES and current is not None:
            if constant_time_compare(current.code_hash, _code_hash(phone_lookup, code.strip())):
                return current
            current.failed_attempts += 1
            tries += 1
        # A wrong code. Or the limit was reached before this try without a lock being set
        # (each wrong try is counted under the lock, so only a guard): nothing compared.
        error: DomainError
        if tries >= MAX_WRONG_TRIES:
            until = now + LOCKED_FOR
            error = PhoneLocked(_locked_message(until))
            if current is not None:
                current.locked_until = until
        else:
            left = MAX_WRONG_TRIES - tries
            error = DomainError(_("The code is not right. %(n)d tries left.") % {"n": left})
        if current is not None:
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
