"""Pluggable SMS sending. `SMS_BACKEND` names a class with `send(phone, text)`.

The console backend (development, tests) sends nothing. It writes each text to the log
with the number masked and its codes masked too (tracking, booking and SMS codes:
`core.redact`), and, in development (DEBUG) only, the whole text to standard output, where
`make run` shows the code to type. Development and tests also find the last texts in
`outbox` (at most OUTBOX_SIZE), the way Django's locmem mail backend keeps mail. Without
DEBUG the site refuses to start on it unless SMS_CONSOLE_ALLOWED=1 (settings.py).
"""

from __future__ import annotations

import logging
import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from xieshang.core.privacy import mask_mobile
from xieshang.core.redact import mask_codes

logger = logging.getLogger(__name__)

OUTBOX_SIZE = 500


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        message = f"【{settings.SMS_SIGN_NAME}】{text}"
        if settings.DEBUG or settings.TESTING:
            ConsoleBackend.outbox.append((phone, message))
            del ConsoleBackend.outbox[:-OUTBOX_SIZE]
        if settings.DEBUG:
            sys.stdout.write(f"SMS to {mask_mobile(phone)}: {message}\n")
        logger.info("SMS to %s: %s", mask_mobile(phone), mask_codes(message))


def sms_send(*, phone: str, text: str) -> None:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    backend.send(phone, text)
