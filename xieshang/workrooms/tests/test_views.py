from __future__ import annotations

from django.test import Client
from django.urls import reverse

from xieshang.conftest import Cast
from xieshang.core.models import Event
from xieshang.workrooms.models import WorkroomStatus


def status_of(cast: Cast) -> str:
    cast.workroom.refresh_from_db()
    return cast.workroom.status


def test_the_list_shows_only_the_users_committee(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    body = client.get(reverse("workrooms:list")).content.decode()
    assert cast.workroom.name in body
    assert cast.haizhu_workroom.name not in body


def test_the_list_filters_by_kind_status_and_text(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    url = reverse("workrooms:list")
    assert cast.workroom.name in client.get(url, {"q": "东塔"}).content.decode()
    assert cast.workroom.name not in client.get(url, {"q": "琶洲"}).content.decode()
    assert cast.workroom.name not in client.get(url, {"status": "active"}).content.decode()
    assert cast.workroom.name in client.get(url, {"kind": "park"}).content.decode()
    assert client.get(url, {"kind": "<script>", "page": "x"}).status_code == 200


def test_a_member_sees_the_workroom_but_cannot_change_it(cast: Cast, client: Client) -> None:
    client.force_login(cast.member)
    response = client.get(reverse("workrooms:detail", args=[cast.workroom.pk]))
    assert response.status_code == 200
    assert 'name="action"' not in response.content.decode()
    response = client.post(
        reverse("workrooms:transition", args=[cast.workroom.pk]),
        {"action": "activate", "expected_state": "preparing"},
    )
    assert response.status_code == 403
    assert status_of(cast) == WorkroomStatus.PREPARING


def test_staff_activate_from_the_page_and_the_timeline_shows_it(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    url = reverse("workrooms:transition", args=[cast.workroom.pk])
    response = client.post(url, {"action": "activate", "expected_state": "preparing"}, follow=True)
    assert response.status_code == 200
    assert status_of(cast) == WorkroomStatus.ACTIVE
    body = response.content.decode()
    assert "运行中" in body
    assert "天河工作人员" in body  # the actor, on the timeline


def test_a_second_click_answers_409_and_changes_nothing(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    url = reverse("workrooms:transition", args=[cast.workroom.pk])
    data = {"action": "activate", "expected_state": "preparing"}
    client.post(url, data)
    response = client.post(url, data)
    assert response.status_code == 409
    assert "已过期" in response.content.decode() or "运行中" in response.content.decode()
    assert Event.objects.for_object(cast.workroom).count() == 1


def test_an_incomplete_form_is_refused(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    response = client.post(reverse("workrooms:transition", args=[cast.workroom.pk]), {})
    assert response.status_code == 400
    assert status_of(cast) == WorkroomStatus.PREPARING


def test_a_forged_id_from_another_committee_answers_404(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    url = reverse("workrooms:transition", args=[cast.haizhu_workroom.pk])
    response = client.post(url, {"action": "activate", "expected_state": "preparing"})
    assert response.status_code == 404
    cast.haizhu_workroom.refresh_from_db()
    assert cast.haizhu_workroom.status == WorkroomStatus.PREPARING
    assert client.get(reverse("workrooms:detail", args=[999999])).status_code == 404


def test_a_script_in_a_note_is_shown_as_text(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    url = reverse("workrooms:transition", args=[cast.workroom.pk])
    client.post(url, {"action": "activate", "expected_state": "preparing"})
    client.post(
        url, {"action": "suspend", "expected_state": "active", "note": "<script>alert(1)</script>"}
    )
    body = client.get(reverse("workrooms:detail", args=[cast.workroom.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
