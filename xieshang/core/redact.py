"""Codes that open a citizen's records never reach a log line.

A tracking code (10 characters) opens a suggestion's page, a booking code (8) and the
signed link of a booking open the booking, a 6-digit SMS code proves a phone number. They
travel in texts (which the console SMS backend logs), in addresses (`/t/<code>/`, which
gunicorn's access log and Django's "Not Found: …" warnings print) and in queries
(`/t/?code=`). `install()` puts a log record factory in place that masks them in every
record of the process, whatever logger or handler it goes to (Django, gunicorn, Celery).
"""

from __future__ import annotations

import logging
import re
from typing import Any

# The alphabet of tracking and booking codes (suggestions.models, duty.models): no 0/O,
# 1/I/L. Ten or eight of them standing alone are taken for a code.
_CODE = "[2-9A-HJKMNP-Z]"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # The segment after /t/ (tracking page), /b/ (signed booking link), /follow/ (signed
    # link to follow a suggestion), whatever its case or shape.
    (re.compile(r"(/(?:t|b|follow)/)[^/\s?#\"'<>]+"), r"\1***"),
    # ?code=… and &code=… (the tracking look-up form).
    (re.compile(r"([?&]code=)[^&\s#\"'<>]*"), r"\1***"),
    # A tracking (10) or booking (8) code standing alone, in a text.
    (re.compile(rf"(?<![A-Za-z0-9_])(?:{_CODE}{{10}}|{_CODE}{{8}})(?![A-Za-z0-9_])"), "***"),
    # A 6-digit SMS code standing alone.
    (re.compile(r"(?<![0-9A-Za-z])[0-9]{6}(?![0-9A-Za-z])"), "******"),
]


def mask_codes(text: str) -> str:
    """`text` with every tracking code, booking code, signed link and SMS code masked."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


_installed = False


def install() -> None:
    """Mask codes in every log record made from now on in this process (idempotent)."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit: leave it to its handler
            return record
        masked = mask_codes(message)
        if masked != message:
            record.msg, record.args = masked, None
        return record

    logging.setLogRecordFactory(masked_record)
    _installed = True
