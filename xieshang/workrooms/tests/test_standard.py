"""The workroom standard (五有): defaults, evidence, confirmation, the overview."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.conftest import Cast
from xieshang.core.errors import Forbidden
from xieshang.core.models import Event
from xieshang.workrooms.models import DEFAULT_CHECKLIST, ChecklistEvidence, ChecklistItem, Workroom
from xieshang.workrooms.services import checklist_install_defaults, evidence_record
from xieshang.workrooms.tests.conftest import jpeg, plain_member


def install(cast: Cast) -> list[ChecklistItem]:
    checklist_install_defaults(committee=cast.tianhe, actor=cast.staff)
    return list(ChecklistItem.objects.filter(committee=cast.tianhe).order_by("order"))


def record_url(cast: Cast, item: ChecklistItem) -> str:
    return reverse("workrooms:evidence_record", args=[cast.workroom.pk, item.pk])


def confirm(client: Client, evidence: ChecklistEvidence):
    evidence.refresh_from_db()
    return client.post(
        reverse("workrooms:evidence_confirm", args=[evidence.pk]),
        {"seen": evidence.recorded_at.isoformat()},
    )


def test_staff_install_the_default_standard_once(cast: Cast, client: Client) -> None:
    client.force_login(cast.staff)
    url = reverse("workrooms:standard_install")
    response = client.post(url, {"committee": cast.tianhe.pk})
    assert response.status_code == 302
    names = list(ChecklistItem.objects.filter(committee=cast.tianhe).values_list("name", flat=True))
    assert names == list(DEFAULT_CHECKLIST)
    client.post(url, {"committee": cast.tianhe.pk})
    assert ChecklistItem.objects.filter(committee=cast.tianhe).count() == 5
    assert Event.objects.for_object(cast.tianhe).filter(action="checklist_install").count() == 1


def test_a_committee_with_its_own_standard_keeps_it(cast: Cast) -> None:
    ChecklistItem.objects.create(committee=cast.tianhe, name="有二维码")
    assert checklist_install_defaults(committee=cast.tianhe, actor=cast.staff) == 0
    assert ChecklistItem.objects.filter(committee=cast.tianhe).count() == 1


def test_only_workroom_staff_install_the_standard(cast: Cast, client: Client) -> None:
    url = reverse("workrooms:standard_install")
    client.force_login(cast.member)
    assert client.post(url, {"committee": cast.tianhe.pk}).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(url, {"committee": cast.tianhe.pk}).status_code == 404
    assert client.post(url, {}).status_code == 400
    assert not ChecklistItem.objects.exists()
    with pytest.raises(Forbidden):
        checklist_install_defaults(committee=cast.tianhe, actor=cast.outsider)


def test_record_confirm_and_new_evidence_clears_the_confirmation(
    cast: Cast, client: Client
) -> None:
    items = install(cast)
    client.force_login(cast.member)  # the workroom's convenor
    response = client.post(
        record_url(cast, items[3]), {"text": "珠江新城东塔 12 楼，60 平方米", "photo": jpeg()}
    )
    assert response.status_code == 302
    evidence = ChecklistEvidence.objects.get(workroom=cast.workroom, item=items[3])
    assert evidence.recorded_by == cast.member
    assert evidence.photo.name.startswith("evidence/")
    assert not evidence.is_met
    assert confirm(client, evidence).status_code == 403  # a convenor cannot confirm

    client.force_login(cast.staff)
    assert confirm(client, evidence).status_code == 302
    evidence.refresh_from_db()
    assert evidence.is_met and evidence.confirmed_by == cast.staff
    assert confirm(client, evidence).status_code == 409  # a second click

    client.force_login(cast.member)
    client.post(record_url(cast, items[3]), {"text": "搬到 15 楼，80 平方米"})
    evidence.refresh_from_db()
    assert evidence.text == "搬到 15 楼，80 平方米"
    assert evidence.confirmed_at is None and evidence.confirmed_by is None
    assert evidence.photo  # kept: no new photo was given
    actions = list(Event.objects.for_object(cast.workroom).values_list("action", flat=True))
    assert actions == ["evidence_record", "evidence_confirm", "evidence_record"]
    body = client.get(reverse("workrooms:detail", args=[cast.workroom.pk])).content.decode()
    assert _("Evidence confirmed") in body


def test_staff_do_not_confirm_evidence_changed_since_they_looked(
    cast: Cast, client: Client
) -> None:
    items = install(cast)
    evidence = evidence_record(
        workroom=cast.workroom, item=items[0], text="召集人、联络员", actor=cast.member
    )
    seen = evidence.recorded_at.isoformat()
    evidence_record(
        workroom=cast.workroom, item=items[0], text="召集人、联络员、秘书", actor=cast.member
    )
    client.force_login(cast.staff)
    url = reverse("workrooms:evidence_confirm", args=[evidence.pk])
    assert client.post(url, {"seen": seen}).status_code == 409
    assert client.post(url, {}).status_code == 400
    evidence.refresh_from_db()
    assert evidence.confirmed_at is None


def test_who_may_record_evidence(cast: Cast, client: Client) -> None:
    items = install(cast)
    url = record_url(cast, items[0])
    client.force_login(plain_member(cast))
    assert client.post(url, {"text": "委员名单"}).status_code == 403
    client.force_login(cast.leader)
    assert client.post(url, {"text": "委员名单"}).status_code == 403
    client.force_login(cast.clerk)
    assert client.post(url, {"text": "委员名单"}).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(url, {"text": "委员名单"}).status_code == 404
    assert not ChecklistEvidence.objects.exists()
    client.force_login(cast.staff)
    assert client.post(url, {"text": "委员名单"}).status_code == 302
    assert ChecklistEvidence.objects.count() == 1


def test_another_committees_item_or_bad_input_is_refused(cast: Cast, client: Client) -> None:
    items = install(cast)
    foreign = ChecklistItem.objects.create(committee=cast.haizhu, name="有组织架构")
    client.force_login(cast.staff)
    assert client.post(record_url(cast, foreign), {"text": "x"}).status_code == 404
    response = client.post(record_url(cast, items[0]), {"text": ""})
    assert response.status_code == 400
    assert _("Describe the evidence.") in response.content.decode()
    not_an_image = SimpleUploadedFile("a.jpg", b"<script>alert(1)</script>", "image/jpeg")
    response = client.post(record_url(cast, items[0]), {"text": "标识", "photo": not_an_image})
    assert response.status_code == 400
    assert not ChecklistEvidence.objects.exists()


def test_the_overview_counts_workrooms_meeting_every_item(cast: Cast, client: Client) -> None:
    items = install(cast)
    other = Workroom.objects.create(
        committee=cast.tianhe, name="猎德街委员工作室", code="t-liede", kind="street",
        parent=cast.workroom,
    )  # fmt: skip
    for item in items:
        evidence_record(workroom=cast.workroom, item=item, text="有", actor=cast.staff)
    client.force_login(cast.staff)
    for evidence in ChecklistEvidence.objects.all():
        assert confirm(client, evidence).status_code == 302
    evidence_record(workroom=other, item=items[0], text="有", actor=cast.staff)
    client.force_login(cast.member)
    response = client.get(reverse("workrooms:standard"))
    assert response.status_code == 200
    matrix = response.context["matrix"]
    assert matrix.meeting_all == 1
    rows = {r.workroom.code: r for r in matrix.rows}
    assert [c.standing for c in rows["t-liede"].cells][:2] == ["awaiting", "missing"]
    assert rows["t-east"].meets_all
    body = response.content.decode()
    assert 'id="meeting-all">1<' in body
    assert cast.haizhu_workroom.name not in body


def test_overview_and_evidence_pages_per_role(cast: Cast, client: Client) -> None:
    install(cast)
    overview = reverse("workrooms:standard")
    page = reverse("workrooms:evidence", args=[cast.workroom.pk])
    assert client.get(overview).status_code == 302  # anonymous: to the login page
    assert client.get(page).status_code == 302
    for who in ("staff", "member", "leader", "superuser"):
        client.force_login(getattr(cast, who))
        assert client.get(overview).status_code == 200, who
        assert client.get(page).status_code == 200, who
    client.force_login(cast.clerk)
    assert client.get(overview).status_code == 403
    assert client.get(page).status_code == 403
    client.force_login(cast.outsider)
    assert client.get(page).status_code == 404
    assert client.get(overview, {"committee": cast.tianhe.pk}).context["matrix"].committee == (
        cast.haizhu
    )


def test_evidence_photos_are_served_only_to_those_who_see_the_workroom(
    cast: Cast, client: Client
) -> None:
    items = install(cast)
    client.force_login(cast.staff)
    client.post(record_url(cast, items[2]), {"text": "门牌", "photo": jpeg()})
    evidence = ChecklistEvidence.objects.get()
    url = reverse("workrooms:evidence_photo", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert Client().get(f"/media/{evidence.photo.name}").status_code == 404
