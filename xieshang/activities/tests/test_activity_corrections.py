"""Duty activities: the Excel export keeps typed text as text, and an old activity whose
member has left or whose kind was retired can still be corrected without changing who or
what it counts — while a member who left or a retired kind cannot be added."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from openpyxl import load_workbook

from xieshang.activities.forms import ActivityForm
from xieshang.activities.models import Activity, ActivityKind
from xieshang.activities.services import ActivityInput, activity_record, activity_update
from xieshang.conftest import Cast
from xieshang.core.errors import DomainError
from xieshang.people.models import Member
from xieshang.workrooms.tests.conftest import kinds

PLANTED = '=HYPERLINK("http://evil.example/","点此")'


@pytest.fixture
def ready(cast: Cast) -> Cast:
    kinds(cast)
    return cast


def seat(cast: Cast) -> Member:
    return Member.objects.get(user=cast.member)


def kind(cast: Cast, name: str = "进社区") -> ActivityKind:
    return ActivityKind.objects.get(committee=cast.tianhe, name=name)


def colleague(cast: Cast) -> Member:
    from xieshang.conftest import make_user

    return Member.objects.create(user=make_user("t.left", "离任委员"), committee=cast.tianhe)


def recorded(cast: Cast, members: list[Member], **extra: Any) -> Activity:
    data: dict[str, Any] = {
        "kind": kind(cast),
        "title": "进冼村社区听取民意",
        "date": timezone.localdate(),
        "members": members,
        "citizens_reached": 35,
        "issues_collected": 4,
    }
    data.update(extra)
    return activity_record(committee=cast.tianhe, data=ActivityInput(**data), actor=cast.staff)


def post_data(activity: Activity, **extra: Any) -> dict[str, Any]:
    data = {
        k: v for k, v in ActivityForm.initial_for(activity).items() if v is not None and v != ""
    }
    data["date"] = activity.date.isoformat()
    data.update(extra)
    return data


# --- Excel ---------------------------------------------------------------------------


def test_the_export_writes_a_planted_formula_as_text(ready: Cast, client: Client) -> None:
    cast = ready
    recorded(cast, [seat(cast)], title=PLANTED, note="-1+1 @SUM(A1)")
    client.force_login(cast.staff)
    response = client.get(reverse("activities:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    title, note = sheet["D2"], sheet["K2"]
    assert (title.data_type, title.value) == ("s", PLANTED)
    assert (note.data_type, note.value) == ("s", "-1+1 @SUM(A1)")
    assert title.quotePrefix and note.quotePrefix
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


# --- Correcting an old activity -------------------------------------------------------


def test_an_activity_whose_member_left_and_kind_retired_can_be_corrected(
    ready: Cast, client: Client
) -> None:
    cast = ready
    left = colleague(cast)
    activity = recorded(cast, [seat(cast), left])
    Member.objects.filter(pk=left.pk).update(is_active=False)
    ActivityKind.objects.filter(pk=activity.kind_id).update(is_active=False)
    url = reverse("activities:edit", args=[activity.pk])
    client.force_login(cast.staff)
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert left in form.fields["members"].queryset
    assert activity.kind in form.fields["kind"].queryset
    with override("en"):
        body = client.get(url).content.decode()
    assert "离任委员（已不在任）" in body and "进社区（已停用）" in body
    response = client.post(url, post_data(activity, citizens_reached="40"))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.citizens_reached == 40
    assert activity.kind.name == "进社区"  # not silently changed
    assert set(activity.members.all()) == {seat(cast), left}  # the figures keep counting them


def test_a_member_who_left_or_a_retired_kind_cannot_be_added(ready: Cast, client: Client) -> None:
    cast = ready
    left = colleague(cast)
    Member.objects.filter(pk=left.pk).update(is_active=False)
    retired = kind(cast, "视察")
    ActivityKind.objects.filter(pk=retired.pk).update(is_active=False)
    activity = recorded(cast, [seat(cast)])
    url = reverse("activities:edit", args=[activity.pk])
    client.force_login(cast.staff)
    form = client.get(url).context["form"]
    assert left not in form.fields["members"].queryset
    assert retired not in form.fields["kind"].queryset
    for extra in ({"members": [seat(cast).pk, left.pk]}, {"kind": retired.pk}):
        assert client.post(url, post_data(activity, **extra)).status_code == 400
    # The service refuses too, whatever the form let through.
    left.refresh_from_db()
    retired.refresh_from_db()
    base: dict[str, Any] = {
        "kind": activity.kind,
        "title": activity.title,
        "date": activity.date,
        "members": [seat(cast)],
        "citizens_reached": 35,
        "issues_collected": 4,
    }
    with override("en"):
        with pytest.raises(DomainError, match="serving members"):
            activity_update(
                activity=activity,
                data=ActivityInput(**{**base, "members": [seat(cast), left]}),
                actor=cast.staff,
            )
        with pytest.raises(DomainError, match="activity kinds"):
            activity_update(
                activity=activity, data=ActivityInput(**{**base, "kind": retired}), actor=cast.staff
            )
        with pytest.raises(DomainError, match="serving members"):
            recorded(cast, [seat(cast), left])
    activity.refresh_from_db()
    assert list(activity.members.all()) == [seat(cast)] and activity.kind.name == "进社区"
    assert Activity.objects.count() == 1


def test_a_member_who_left_can_be_taken_off_an_old_activity(ready: Cast) -> None:
    cast = ready
    left = colleague(cast)
    activity = recorded(cast, [seat(cast), left])
    Member.objects.filter(pk=left.pk).update(is_active=False)
    activity_update(
        activity=activity,
        data=ActivityInput(
            kind=activity.kind,
            title=activity.title,
            date=activity.date,
            members=[seat(cast)],
            citizens_reached=35,
            issues_collected=4,
        ),
        actor=cast.staff,
    )
    assert list(activity.members.all()) == [seat(cast)]
    # Once removed, the member who left cannot be put back.
    left.refresh_from_db()
    with pytest.raises(DomainError):
        activity_update(
            activity=activity,
            data=ActivityInput(
                kind=activity.kind,
                title=activity.title,
                date=activity.date,
                members=[seat(cast), left],
                citizens_reached=35,
                issues_collected=4,
            ),
            actor=cast.staff,
        )
