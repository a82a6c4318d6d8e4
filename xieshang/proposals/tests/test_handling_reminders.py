"""Deadline reminders to the departments (Celery task `proposals.remind_deadlines`, run
daily at 08:30): the committee's `reminder_days` before the due day and on the due day,
each once, with an event on the assignment and an email to the clerks with an address."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.utils import translation

from xieshang.conftest import Cast
from xieshang.core.models import ActorKind, Event
from xieshang.proposals.models import Assignment, AssignmentStatus, ProposalPolicy
from xieshang.proposals.tasks import remind_deadlines
from xieshang.proposals.tests.test_handling import World, build_world, fresh
from xieshang.testing import run_job

BEIJING = ZoneInfo("Asia/Shanghai")
DUE = datetime(2026, 9, 30, 17, 0, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


def at(day: int, hour: int = 8, minute: int = 30) -> datetime:
    return datetime(2026, 9, day, hour, minute, tzinfo=BEIJING)


def reminders(assignment: Assignment) -> list[str]:
    return list(
        Event.objects.for_object(assignment).filter(action="remind").values_list("note", flat=True)
    )


def due_on(w: World, when: datetime = DUE) -> None:
    Assignment.objects.filter(pk__in=[w.lead.pk, w.co.pk]).update(deadline=when)


def test_it_reminds_a_week_before_and_on_the_due_day_each_once(world: World) -> None:
    w = world
    due_on(w)
    w.cast.clerk.email = "clerk@example.cn"
    w.cast.clerk.save()
    with time_machine.travel(at(22)):
        assert run_job(remind_deadlines) == 0
    assert reminders(w.lead) == [] and mail.outbox == []

    with time_machine.travel(at(23)):
        assert run_job(remind_deadlines) == 2  # the lead and the co-handler
        assert run_job(remind_deadlines) == 0  # run again: nobody twice
    lead = fresh(w.lead)
    assert lead.reminded_before_at is not None and lead.reminded_due_at is None
    assert reminders(lead) == ["答复期限为2026-09-30。"]
    event = Event.objects.for_object(lead).get(action="remind")
    assert event.actor_kind == ActorKind.SYSTEM and not event.is_public
    # One email per department, to its clerks who have an address.
    by_recipients = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipients) == {
        ("clerk@example.cn", "t.head@example.cn"),
        ("t.coclerk@example.cn", "t.cohead@example.cn"),
    }
    lead_mail = by_recipients[("clerk@example.cn", "t.head@example.cn")]
    assert w.proposal.title in lead_mail.body and w.cast.department.name in lead_mail.subject

    with time_machine.travel(at(29)):
        assert run_job(remind_deadlines) == 0
    with time_machine.travel(at(30)):
        assert run_job(remind_deadlines) == 2
        assert run_job(remind_deadlines) == 0
    assert fresh(w.lead).reminded_due_at is not None
    assert reminders(w.lead)[-1] == "答复今天（2026-09-30）到期。"
    assert len(mail.outbox) == 4
    with time_machine.travel(at(30) + timedelta(days=3)):
        assert run_job(remind_deadlines) == 0


def test_replied_and_returned_assignments_are_not_reminded(world: World) -> None:
    w = world
    due_on(w)
    Assignment.objects.filter(pk=w.lead.pk).update(status=AssignmentStatus.REPLIED)
    Assignment.objects.filter(pk=w.co.pk).update(status=AssignmentStatus.RETURN_REQUESTED)
    with time_machine.travel(at(30)):
        assert run_job(remind_deadlines) == 0
    assert reminders(w.lead) == [] and reminders(w.co) == []


def test_a_missed_run_still_reminds_once_and_says_overdue(world: World) -> None:
    w = world
    due_on(w)
    with time_machine.travel(at(30) + timedelta(days=2)):
        assert run_job(remind_deadlines) == 2
    lead = fresh(w.lead)
    # The due-day reminder stands for the earlier one too.
    assert lead.reminded_before_at is not None and lead.reminded_due_at is not None
    assert reminders(lead) == ["答复期限为 2026-09-30，现已超期。"]


def test_it_follows_the_committees_reminder_days(world: World) -> None:
    w = world
    due_on(w)
    ProposalPolicy.objects.create(committee=w.cast.tianhe, reminder_days=3)
    with time_machine.travel(at(23)):
        assert run_job(remind_deadlines) == 0
    with time_machine.travel(at(27)):
        assert run_job(remind_deadlines) == 2


def test_the_reminders_run_every_morning_at_half_past_eight() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["proposals-remind-deadlines"]
    assert entry["task"] == "proposals.remind_deadlines"
    assert entry["schedule"] == crontab(hour=8, minute=30)


def test_a_co_handler_is_reminded_of_its_opinion_by_the_opinion_due_day(world: World) -> None:
    """会签: the opinion is due 15 days after the assignment, long before the reply; the
    co-handler is reminded of that day, the lead of its own deadline only."""
    w = world
    Assignment.objects.filter(pk__in=[w.lead.pk, w.co.pk]).update(
        assigned_at=at(1, 10), deadline=datetime(2026, 11, 30, 17, 0, tzinfo=BEIJING)
    )
    assert fresh(w.co).opinion_due == at(16, 10)
    with time_machine.travel(at(8)):
        assert run_job(remind_deadlines) == 0
    with time_machine.travel(at(9)):
        assert run_job(remind_deadlines) == 1  # the co-handler only
        assert run_job(remind_deadlines) == 0
    assert reminders(w.lead) == []
    assert reminders(w.co) == ["会签意见期限为2026-09-16。"]
    with time_machine.travel(at(17)):  # a day late: once, overdue, and it may be waived
        assert run_job(remind_deadlines) == 1
        assert run_job(remind_deadlines) == 0
    assert reminders(w.co)[-1] == "会签意见期限为2026-09-16，现已超期，机关可记录免于会签。"
    assert reminders(w.lead) == []
