"""The admin is scoped too: a committee's administrators see and pick only its records."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from xieshang.conftest import Cast, make_staff
from xieshang.core.models import Event
from xieshang.people.models import Sector, StaffRole
from xieshang.workrooms.models import Workroom, WorkroomStatus


def test_the_changelist_shows_only_the_administrators_committee(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    body = client.get(reverse("admin:workrooms_workroom_changelist")).content.decode()
    assert cast.workroom.name in body
    assert cast.haizhu_workroom.name not in body


def test_another_committees_record_cannot_be_opened(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    url = reverse("admin:workrooms_workroom_change", args=[cast.haizhu_workroom.pk])
    assert client.get(url).status_code == 302


def test_a_forged_committee_in_a_form_is_refused(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    response = client.post(
        reverse("admin:workrooms_workroom_add"),
        {
            "committee": cast.haizhu.pk,
            "name": "伪造的工作室",
            "code": "forged",
            "kind": "park",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert not Workroom.objects.filter(code="forged").exists()
    assert "选择一个有效的选项" in response.content.decode()


def test_an_administrator_adds_a_workroom_in_preparation(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    response = client.post(
        reverse("admin:workrooms_workroom_add"),
        {
            "committee": cast.tianhe.pk,
            "name": "猎德街委员工作室",
            "code": "t-liede",
            "kind": "street",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Workroom.objects.get(code="t-liede").status == WorkroomStatus.PREPARING


def test_the_activate_action_goes_through_the_workflow(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    client.post(
        reverse("admin:workrooms_workroom_changelist"),
        {"action": "activate", "_selected_action": [cast.workroom.pk]},
    )
    cast.workroom.refresh_from_db()
    assert cast.workroom.status == WorkroomStatus.ACTIVE
    assert Event.objects.for_object(cast.workroom).get().actor == cast.staff


def test_drop_downs_offer_only_the_committees_records(cast: Cast, client: Client) -> None:
    Sector.objects.create(committee=cast.haizhu, name="海珠经济界")
    client.force_login(cast.staff)
    body = client.get(reverse("admin:people_member_add")).content.decode()
    assert "律师界" in body
    assert "海珠经济界" not in body
    assert "海珠区政协" not in body


def test_a_member_cannot_use_the_admin(cast: Cast, client: Client) -> None:
    client.force_login(cast.member)
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_workroom_coordinator_may_look_up_members_but_not_change_them(cast: Cast) -> None:
    coordinator = make_staff(
        "t.coord", "天河工作室统筹", cast.tianhe, StaffRole.WORKROOM_COORDINATOR
    )
    client = Client()
    client.force_login(coordinator)
    seat = cast.member.seats.get()
    assert client.get(reverse("admin:people_member_changelist")).status_code == 200
    response = client.post(
        reverse("admin:people_member_change", args=[seat.pk]),
        {"user": cast.member.pk, "committee": cast.tianhe.pk, "role": "chair"},
    )
    assert response.status_code == 403
    seat.refresh_from_db()
    assert seat.role == "member"
    assert client.get(reverse("admin:people_department_changelist")).status_code == 403
