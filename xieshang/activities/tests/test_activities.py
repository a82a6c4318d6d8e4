"""Duty activities (履职活动): recording, the committee's rules, totals, Excel."""

from __future__ import annotations

import importlib
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from xieshang.activities.models import Activity, ActivityKind, ActivityPhoto
from xieshang.activities.services import ActivityInput, activity_record
from xieshang.conftest import Cast, make_user
from xieshang.core.errors import DomainError, Forbidden
from xieshang.core.models import Event
from xieshang.core.photos import MAX_PHOTO_BYTES
from xieshang.people.models import Member
from xieshang.suggestions.services import Intake, suggestion_submit
from xieshang.workrooms.tests.conftest import jpeg, kinds, plain_member

NEW = "/work/workrooms/activities/new/"
LIST = "/work/workrooms/activities/"


def seat(cast: Cast, user: Any = None) -> Member:
    return Member.objects.get(user=user or cast.member)


def haizhu_member(cast: Cast) -> Member:
    return Member.objects.create(user=make_user("h.member", "海珠委员"), committee=cast.haizhu)


def form(cast: Cast, **extra: Any) -> dict[str, Any]:
    data = {
        "committee": cast.tianhe.pk,
        "kind": ActivityKind.objects.get(committee=cast.tianhe, name="进社区").pk,
        "title": "进冼村社区听取民意",
        "date": timezone.localdate().isoformat(),
        "workroom": cast.workroom.pk,
        "members": [seat(cast).pk],
        "citizens_reached": "35",
        "issues_collected": "4",
        "note": "重点听取旧改意见",
    }
    data.update(extra)
    return data


def suggestion(cast: Cast, committee: Any = None, key: str = "s1") -> Any:
    committee = committee or cast.tianhe
    s, _created = suggestion_submit(
        intake=Intake(
            committee=committee,
            title="冼村旧改安置房进度",
            content="希望公开冼村旧改安置房的建设进度。",
            idempotency_key=key,
        ),
        # Entered by staff of its own committee (海珠's for a 海珠 suggestion).
        entered_by=cast.staff if committee == cast.tianhe else cast.outsider,
    )
    return s


def record(cast: Cast, kind: str, *, day: date, members: list[Member], citizens=0, issues=0,
           workroom: Any = None, actor: Any = None) -> Activity:  # fmt: skip
    return activity_record(
        committee=cast.tianhe,
        data=ActivityInput(
            kind=ActivityKind.objects.get(committee=cast.tianhe, name=kind),
            title=f"{kind} {day.isoformat()}",
            date=day,
            members=members,
            workroom=workroom,
            citizens_reached=citizens,
            issues_collected=issues,
        ),
        actor=actor or cast.staff,
    )


@pytest.fixture
def ready(cast: Cast) -> Cast:
    kinds(cast)
    return cast


def test_a_member_records_an_activity_with_photos_and_suggestions(
    ready: Cast, client: Client
) -> None:
    cast = ready
    s = suggestion(cast)
    client.force_login(cast.member)
    page = client.get(NEW)
    assert page.status_code == 200
    assert page.context["form"].initial["members"] == [seat(cast).pk]  # the recorder by default
    response = client.post(
        NEW, form(cast, suggestions=s.tracking_code.lower(), photos=[jpeg(), jpeg("b.png")])
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.committee == cast.tianhe and activity.recorded_by == cast.member
    assert list(activity.members.all()) == [seat(cast)]
    assert list(activity.suggestions.all()) == [s]
    assert (activity.citizens_reached, activity.issues_collected) == (35, 4)
    assert activity.photos.count() == 2
    assert Event.objects.for_object(activity).get().action == "activity_record"
    detail = client.get(response["Location"]).content.decode()
    assert "进冼村社区听取民意" in detail and s.tracking_code in detail


def refused(client: Client, data: dict[str, Any], message: str) -> None:
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert not Activity.objects.exists()
    assert not ActivityPhoto.objects.exists()


def test_another_committees_workroom_members_or_suggestions_are_refused(
    ready: Cast, client: Client
) -> None:
    cast = ready
    client.force_login(cast.member)
    refused(
        client,
        form(cast, workroom=cast.haizhu_workroom.pk),
        _("The workroom belongs to another committee; choose one of yours."),
    )
    refused(
        client,
        form(cast, members=[haizhu_member(cast).pk]),
        _("Only serving members of the committee can be named as taking part."),
    )
    foreign = suggestion(cast, cast.haizhu, key="h1")
    refused(
        client,
        form(cast, suggestions=foreign.tracking_code),
        _("No suggestion of the committee has the tracking code %(codes)s.")
        % {"codes": foreign.tracking_code},
    )
    refused(
        client,
        form(cast, kind=ActivityKind.objects.get(committee=cast.haizhu, name="进社区").pk),
        _("Choose one of the committee's activity kinds."),
    )
    # Posting for haizhu itself: not one of the member's committees, so 天河 stays chosen
    # and haizhu's workroom is still refused.
    refused(
        client,
        form(cast, committee=cast.haizhu.pk, workroom=cast.haizhu_workroom.pk),
        _("The workroom belongs to another committee; choose one of yours."),
    )


def test_the_service_refuses_other_committees_records_too(ready: Cast) -> None:
    cast = ready
    kind = ActivityKind.objects.get(committee=cast.tianhe, name="视察")
    good: dict[str, Any] = {
        "kind": kind,
        "title": "视察",
        "date": timezone.localdate(),
        "members": [seat(cast)],
    }
    bad: list[dict[str, Any]] = [
        {"workroom": cast.haizhu_workroom},
        {"members": [haizhu_member(cast)]},
        {"suggestions": [suggestion(cast, cast.haizhu, key="h2")]},
        {"members": []},
        {"date": timezone.localdate() + timedelta(days=1)},
        {"issues_collected": 0, "suggestions": [suggestion(cast, key="t2")]},
    ]
    for change in bad:
        with pytest.raises(DomainError):
            activity_record(
                committee=cast.tianhe, data=ActivityInput(**{**good, **change}), actor=cast.member
            )
    with pytest.raises(Forbidden):
        activity_record(committee=cast.tianhe, data=ActivityInput(**good), actor=cast.outsider)
    with pytest.raises(Forbidden):
        activity_record(committee=cast.tianhe, data=ActivityInput(**good), actor=cast.clerk)
    assert not Activity.objects.exists()


def test_dates_counts_and_photos_are_checked(ready: Cast, client: Client) -> None:
    cast = ready
    client.force_login(cast.member)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused(
        client,
        form(cast, date=tomorrow),
        _("An activity cannot be recorded for a date in the future."),
    )
    refused(
        client,
        form(cast, issues_collected="0", suggestions=suggestion(cast).tracking_code),
        _("Issues collected cannot be fewer than the suggestions linked."),
    )
    too_large = SimpleUploadedFile("big.jpg", b"\xff" * (MAX_PHOTO_BYTES + 1), "image/jpeg")
    refused(client, form(cast, photos=[too_large]), "10 MB")
    not_an_image = SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", "image/jpeg")
    refused(client, form(cast, photos=[jpeg(), not_an_image]), "")
    refused(
        client,
        form(cast, photos=[jpeg(f"{i}.jpg") for i in range(10)]),
        _("At most %(n)d photos.") % {"n": 9},
    )
    refused(client, form(cast, members=[]), _("Name at least one member who took part."))
    refused(client, form(cast, citizens_reached="-3"), "")


def test_who_may_record_and_see_activities(ready: Cast, client: Client) -> None:
    cast = ready
    mine = record(cast, "会议", day=timezone.localdate(), members=[seat(cast)])
    detail = reverse("activities:detail", args=[mine.pk])
    assert client.get(LIST).status_code == 302
    assert client.get(NEW).status_code == 302
    for who in ("staff", "member", "superuser"):
        client.force_login(getattr(cast, who))
        assert client.get(NEW).status_code == 200, who
        assert client.get(LIST).status_code == 200, who
        assert client.get(detail).status_code == 200, who
    client.force_login(cast.leader)  # leaders read the records, do not write them
    assert client.get(LIST).status_code == 200
    assert client.get(NEW).status_code == 403
    client.force_login(cast.clerk)
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.get(detail).status_code == 403
    client.force_login(cast.outsider)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("activities:edit", args=[mine.pk])).status_code == 404
    assert mine.title not in client.get(LIST).content.decode()
    assert client.post(NEW, form(cast)).status_code == 400  # haizhu's form: 天河's ids refused
    assert Activity.objects.count() == 1


def test_the_recorder_and_staff_correct_an_activity_others_may_not(
    ready: Cast, client: Client
) -> None:
    cast = ready
    client.force_login(cast.member)
    client.post(NEW, form(cast, photos=[jpeg()]))
    activity = Activity.objects.get()
    url = reverse("activities:edit", args=[activity.pk])
    photo = activity.photos.get()
    response = client.post(
        url, form(cast, citizens_reached="40", remove_photo=[photo.pk], photos=[jpeg("c.jpg")])
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.citizens_reached == 40
    assert [p.pk for p in activity.photos.all()] != [photo.pk] and activity.photos.count() == 1
    event = Event.objects.for_object(activity).get(action="activity_edit")
    assert str(Activity._meta.get_field("citizens_reached").verbose_name) in event.note

    client.force_login(plain_member(cast))
    assert client.get(url).status_code == 403
    assert client.post(url, form(cast, citizens_reached="0")).status_code == 403
    client.force_login(cast.leader)
    assert client.post(url, form(cast, citizens_reached="0")).status_code == 403
    client.force_login(cast.staff)
    assert client.post(url, form(cast, title="进冼村社区（更正）")).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "进冼村社区（更正）" and activity.citizens_reached == 35


def test_totals_per_kind_for_the_filtered_rows(ready: Cast, client: Client) -> None:
    cast = ready
    me, other = seat(cast), Member.objects.get(user=plain_member(cast))
    today = timezone.localdate()
    record(cast, "进社区", day=today, members=[me, other], citizens=30, issues=5,
           workroom=cast.workroom)  # fmt: skip
    record(cast, "进社区", day=today - timedelta(days=40), members=[me], citizens=20, issues=3)
    record(cast, "接待来访", day=today, members=[other], citizens=8, issues=2)
    client.force_login(cast.staff)
    totals = {t.kind: t for t in client.get(LIST).context["totals"]}
    assert (totals["进社区"].activities, totals["进社区"].participations) == (2, 3)
    assert (totals["进社区"].citizens, totals["进社区"].issues) == (50, 8)
    assert (totals["接待来访"].participations, totals["接待来访"].citizens) == (1, 8)

    since = (today - timedelta(days=7)).isoformat()
    totals = {t.kind: t for t in client.get(LIST, {"since": since}).context["totals"]}
    assert (totals["进社区"].activities, totals["进社区"].participations) == (1, 2)
    response = client.get(LIST, {"member": str(me.pk), "kind": "进社区"})
    assert [(t.kind, t.activities, t.participations) for t in response.context["totals"]] == [
        ("进社区", 2, 3)
    ]
    response = client.get(LIST, {"workroom": cast.workroom.pk})
    assert response.context["page"].paginator.count == 1
    assert client.get(LIST, {"since": "garbage", "member": "x"}).status_code == 200


def test_the_excel_export_holds_the_filtered_rows_and_totals(ready: Cast, client: Client) -> None:
    cast = ready
    me = seat(cast)
    today = timezone.localdate()
    record(cast, "进社区", day=today, members=[me], citizens=30, issues=5, workroom=cast.workroom)
    record(cast, "接待来访", day=today, members=[me], citizens=8, issues=2)
    client.force_login(cast.staff)
    response = client.get(reverse("activities:export"), {"kind": "进社区"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row[_("Title")] == f"进社区 {today.isoformat()}"
    assert row[_("Workroom")] == cast.workroom.name
    assert row[_("Members who took part")] == "天河委员"
    assert (row[_("Citizens reached")], row[_("Issues collected")]) == (30, 5)
    totals = list(book.worksheets[1].iter_rows(values_only=True))
    assert totals[1] == ("进社区", 1, 1, 30, 5)
    assert totals[-1][0] == _("Total")
    client.force_login(cast.outsider)
    book = load_workbook(io.BytesIO(client.get(reverse("activities:export")).content))
    assert len(list(book.worksheets[0].iter_rows())) == 1  # the header only
    client.force_login(cast.clerk)
    assert client.get(reverse("activities:export")).status_code == 403


def test_activity_photos_are_served_only_to_those_who_see_the_activity(
    ready: Cast, client: Client
) -> None:
    cast = ready
    client.force_login(cast.member)
    client.post(NEW, form(cast, photos=[jpeg()]))
    photo = ActivityPhoto.objects.get()
    url = reverse("activities:photo", args=[photo.pk])
    assert client.get(url).status_code == 200
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.clerk)
    assert client.get(url).status_code == 403
    assert Client().get(url).status_code == 302
    assert Client().get(f"/media/{photo.image.name}").status_code == 404


def test_staff_install_the_default_kinds(cast: Cast, client: Client) -> None:
    url = reverse("activities:kinds_install")
    client.force_login(cast.member)
    assert client.post(url, {"committee": cast.tianhe.pk}).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(url, {"committee": cast.tianhe.pk}).status_code == 404
    assert not ActivityKind.objects.exists()
    client.force_login(cast.staff)
    assert "进社区" not in client.get(NEW).content.decode()
    assert client.post(url, {"committee": cast.tianhe.pk}).status_code == 302
    assert ActivityKind.objects.filter(committee=cast.tianhe).count() == 9
    client.post(url, {"committee": cast.tianhe.pk})
    assert ActivityKind.objects.filter(committee=cast.tianhe).count() == 9


def test_the_move_from_workrooms_keeps_the_activities_events(cast: Cast) -> None:
    """activities 0001: the content types of the moved models follow them, so events and
    permissions recorded while activities were the workrooms app's stay attached."""
    migration = importlib.import_module("xieshang.activities.migrations.0001_initial")
    kinds(cast)
    activity = record(cast, "进社区", day=timezone.localdate(), members=[seat(cast)])
    event = Event.objects.for_object(activity).get()
    # As the database was before the move: the content type was the workrooms app's.
    ContentType.objects.filter(app_label="activities").update(app_label="workrooms")
    ContentType.objects.clear_cache()
    migration.content_types_follow(apps, None)
    ContentType.objects.clear_cache()
    moved = ContentType.objects.get_for_model(Activity)
    assert (moved.app_label, moved.model) == ("activities", "activity")
    assert Event.objects.get(pk=event.pk).content_type_id == moved.pk
    assert list(Event.objects.for_object(activity)) == [event]
