"""Pluggable SMS sending. `SMS_BACKEND` names a class with `send(phone, text)`.

The console backend (development, tests) writes the message to the log, with the number
masked (the text stays whole: development needs to read the code), and keeps it in
`outbox`, the way Django's locmem mail backend does, so tests can read what was sent.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from xieshang.core.privacy import mask_mobile

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        message = f"【{settings.SMS_SIGN_NAME}】{text}"
        ConsoleBackend.outbox.append((phone, message))
        logger.info("SMS to %s: %s", mask_mobile(phone), message)


def sms_send(*, phone: str, text: str) -> None:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    backend.send(phone, text)
