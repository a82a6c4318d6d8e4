"""Background jobs of the core app."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="core.echo")
def echo(value: str) -> str:
    """Returns its argument: proves that a worker picks up and finishes work."""
    return value
