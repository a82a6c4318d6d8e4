"""Citizens' phone numbers at rest: normalised, encrypted, masked for display, and hashed
for equality look-ups, so a database dump shows no number.

`settings.FIELD_ENCRYPTION_KEY` is one Fernet key, or a comma-separated list of them with
the newest first: the first encrypts, all of them decrypt. To rotate, put a new key first,
re-encrypt the stored values with `rotate`, then drop the old key.

The look-up hash is keyed by a key derived from the first Fernet key, so rotating the key
changes every hash too: recompute the stored hashes (from the decrypted values) when
re-encrypting.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import unicodedata

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MOBILE = re.compile(r"1[3-9][0-9]{9}")  # [0-9], not \d: \d matches any script's digits
_SEPARATORS = re.compile(r"[\s-]+")
_COUNTRY_PREFIXES = ("+86", "0086", "86")
_LOOKUP_INFO = b"xieshang-lookup"


def normalize_mobile(raw: str) -> str:
    """The 11 digits of a mainland China mobile number written with spaces, dashes,
    full-width characters or a +86 / 0086 / 86 prefix; `ValidationError` (code
    "invalid_mobile") for anything else."""
    # NFKC turns the full-width digits, plus and spaces of a Chinese keyboard into ASCII.
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    for prefix in _COUNTRY_PREFIXES:
        if compact.startswith(prefix) and len(compact) == len(prefix) + 11:
            compact = compact[len(prefix) :]
            break
    if not _MOBILE.fullmatch(compact):
        raise ValidationError(
            _("Enter a valid mainland China mobile number: 11 digits starting with 1."),
            code="invalid_mobile",
        )
    return compact


def mask_mobile(number: str) -> str:
    """The number with its middle hidden, for pages and logs: "138****1234". Never raises:
    what is not a mobile number is masked all but its last four characters."""
    try:
        number = normalize_mobile(number)
    except ValidationError:
        return "*" * len(number) if len(number) <= 4 else "*" * (len(number) - 4) + number[-4:]
    return f"{number[:3]}****{number[-4:]}"


def encrypt(text: str) -> str:
    """A Fernet token (ASCII) of the text under the first key; a new token each call."""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The text of a token made under any of the configured keys; raises
    `cryptography.fernet.InvalidToken` for a token that none of them made."""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode("ascii")).decode()


def rotate(token: str) -> str:
    """The token re-encrypted under the first key (for re-encrypting after a rotation)."""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).rotate(token.encode("ascii")).decode("ascii")


def lookup_hash(text: str) -> str:
    """A keyed HMAC-SHA256 (64 hex digits) of the text: equal texts give equal hashes, so
    it can be stored and compared ("the same citizen", rate limits per phone) without
    being reversible by whoever lacks the key. Hash normalised numbers."""
    key = _lookup_key(settings.FIELD_ENCRYPTION_KEY)
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


# Cached by the setting's value, so tests that override the setting get their own keys.
@functools.lru_cache(maxsize=8)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(key.strip()) for key in keys.split(",")])


@functools.lru_cache(maxsize=8)
def _lookup_key(keys: str) -> bytes:
    # Derive a separate key: the Fernet key itself is never used for anything else.
    first = base64.urlsafe_b64decode(keys.split(",")[0].strip())
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_LOOKUP_INFO).derive(first)
