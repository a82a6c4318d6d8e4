"""Domain errors that views turn into a clear Chinese message and a status code."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused request: nothing was changed. `status` is the HTTP status to answer."""

    status = 400
    default_message: str | Promise = _("The request could not be carried out.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))


class Conflict(DomainError):
    status = 409
    default_message = _("The record has changed in the meantime. Reload the page and try again.")


class TransitionNotAllowed(Conflict):
    """The action is not in the workflow's table for the record's current state."""


class StaleState(Conflict):
    """The form was made for a state the record has since left (a stale form or a
    second click)."""


class Forbidden(DomainError):
    status = 403
    default_message = _("You do not have permission to do this.")


class RateLimited(DomainError):
    """Too many requests from one address or person lately; the message says when to retry."""

    status = 429
    default_message = _("Too many requests. Please try again later.")
