"""A suggestion handed in through the API: checked by the public submit page's form and
stored by its service (`suggestions.services.suggestion_submit`), nothing of its own."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.utils.translation import gettext as _

from xieshang.api.errors import ApiRefusal
from xieshang.suggestions import services
from xieshang.suggestions.forms import SuggestionForm
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.selectors import IntakeSetup
from xieshang.workrooms.models import Workroom

MAX_KEY_LENGTH = 200


def idempotency_key(header: str | None) -> str:
    """The stored key for a client's `Idempotency-Key` header (any printable text up to 200
    characters, a UUID typically): hashed into the 64 letters and digits the form takes, in
    a namespace of the API's own. Without the header every request is a new one."""
    if header is None or not header.strip():
        return uuid.uuid4().hex
    if len(header) > MAX_KEY_LENGTH or not header.isprintable():
        raise ApiRefusal(
            400,
            "invalid_idempotency_key",
            _("The Idempotency-Key header must be printable text of at most 200 characters."),
        )
    return hashlib.sha256(("api:" + header.strip()).encode()).hexdigest()


def submit(
    *,
    setup: IntakeSetup,
    data: dict[str, Any],
    key: str,
    client_ip: str,
    workroom: Workroom | None = None,
) -> tuple[Suggestion, bool]:
    """Check `data` with the submit page's form and store it with its service; a refusal
    names the fields at fault. Nothing is stored unless everything passed."""
    form = SuggestionForm({**data, "idempotency_key": key}, setup=setup)
    if not form.is_valid():
        raise ApiRefusal(
            400,
            "invalid",
            _("Some fields are not valid."),
            fields={name: [str(m) for m in msgs] for name, msgs in form.errors.items()},
        )
    try:
        return services.suggestion_submit(
            intake=form.intake(workroom=workroom, campaign=None, client_ip=client_ip)
        )
    except services.PhotoRefused as refusal:
        raise ApiRefusal(400, "invalid", str(refusal.message)) from refusal
