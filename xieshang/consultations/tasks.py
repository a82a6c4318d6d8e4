"""Background jobs of the consultations app: one-line wrappers around services and
notifications (messages retried while the gateway is unreachable)."""

from __future__ import annotations

from celery import shared_task

from xieshang.consultations import notifications, services


@shared_task(name="consultations.invitation_notify", autoretry_for=(OSError,), max_retries=5)
def invitation_notify(invitation_id: int, kind: str, link_base: str = "") -> list[str]:
    """Tell an invitee of their invitation, a change, a cancellation, or tomorrow's event."""
    return notifications.invitation_notify(
        invitation_id=invitation_id, kind=kind, link_base=link_base
    )


@shared_task(name="consultations.remind_invitees")
def remind_invitees() -> int:
    """Every hour of the day: remind the invitees of tomorrow's events. Returns how many."""
    return services.invitations_remind_due()
