"""The timeline is append-only, in Python and in the database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from xieshang.conftest import Cast
from xieshang.core.models import ActorKind, Event
from xieshang.core.services import event_record
from xieshang.workrooms.models import WorkroomAction


@pytest.fixture
def event(cast: Cast) -> Event:
    return event_record(
        obj=cast.workroom,
        committee_id=cast.tianhe.pk,
        actor=cast.staff,
        action=WorkroomAction.EVIDENCE_RECORD,
        note="记一笔",
    )


def test_it_refuses_to_change_or_delete_an_event_in_python(event: Event) -> None:
    event.note = "改过"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        Event.objects.filter(pk=event.pk).update(note="改过")
    with pytest.raises(TypeError):
        Event.objects.filter(pk=event.pk).delete()
    assert Event.objects.get(pk=event.pk).note == "记一笔"


def test_the_database_refuses_an_update_of_an_event(event: Event) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_event SET note = 'forged' WHERE id = %s", [event.pk])
    assert Event.objects.get(pk=event.pk).note == "记一笔"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE is guarded on PostgreSQL")
def test_postgresql_refuses_a_delete_of_an_event(event: Event) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_event WHERE id = %s", [event.pk])
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_citizen_or_system_event_has_no_user_and_a_user_event_has_one(cast: Cast) -> None:
    citizen = event_record(
        obj=cast.workroom,
        committee_id=cast.tianhe.pk,
        actor=ActorKind.CITIZEN,
        action=WorkroomAction.EVIDENCE_RECORD,
    )
    assert citizen.actor is None
    assert citizen.actor_display == "群众"
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            committee=cast.tianhe,
            content_type_id=citizen.content_type_id,
            object_id=cast.workroom.pk,
            actor_kind=ActorKind.USER,
            action="note",
        )
