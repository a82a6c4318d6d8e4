"""The citizen's side: submit, follow, add information, rate."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from xieshang.core import memo as memo_module
from xieshang.core.models import Event
from xieshang.core.privacy import lookup_hash
from xieshang.core.sms import ConsoleBackend
from xieshang.suggestions.models import (
    TRACKING_ALPHABET,
    Category,
    Source,
    Suggestion,
    SuggestionPhoto,
    SuggestionStatus,
)
from xieshang.suggestions.selectors import INTAKE_SETUP_SECONDS, sent_recently
from xieshang.suggestions.tests.conftest import form_data, jpeg, submit
from xieshang.testing import dispatch
from xieshang.workrooms.services import workroom_transition

SUBMIT = reverse("suggestions:submit", args=["tianhe"])


def test_the_form_is_in_chinese_and_lists_the_committees_choices(cast, places, client) -> None:
    body = client.get(SUBMIT).content.decode()
    assert "提交百姓提案" in body or "提交" in body
    assert "城乡建设" in body and "猎德街" in body
    assert 'name="website"' in body  # the honeypot


def test_it_stores_a_suggestion_and_gives_a_tracking_code(
    cast, places, client, django_capture_on_commit_callbacks
) -> None:
    ConsoleBackend.outbox.clear()
    data = form_data(category=places["category"].pk, area=places["community"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT, data)
    assert ConsoleBackend.outbox == []  # the request only stores it…
    dispatch()  # …and the beat starts the rest, within a second
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/t/{suggestion.tracking_code}/?new=1"
    assert len(suggestion.tracking_code) == 10
    assert set(suggestion.tracking_code) <= set(TRACKING_ALPHABET)
    assert suggestion.status == SuggestionStatus.NEW
    assert suggestion.source == Source.WEB
    assert suggestion.phone_masked == "138****5678"
    event = Event.objects.for_object(suggestion).get()
    assert (event.action, event.actor_kind, event.is_public) == ("submit", "citizen", True)
    assert ConsoleBackend.outbox[-1][0] == "13812345678"
    assert suggestion.tracking_code in ConsoleBackend.outbox[-1][1]
    page = client.get(response["Location"]).content.decode()
    assert suggestion.tracking_code in page and "待研判" in page


def test_with_a_broker_the_request_only_stores_and_the_beat_dispatches_once(
    cast, places, client, settings, django_capture_on_commit_callbacks
) -> None:
    """With a broker the submit request neither sends a message nor waits for one: the
    unmarked row is the note that the rest is due, and `suggestions.dispatch` (every
    second) does it once: fingerprint, search entry, acknowledgement, analysis."""
    from xieshang.insights.models import Fingerprint
    from xieshang.intake.services import suggestions_dispatch
    from xieshang.intake.tasks import dispatch
    from xieshang.search.models import SearchEntry

    settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker is configured
    ConsoleBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(SUBMIT, form_data())
    assert response.status_code == 302 and callbacks == []
    suggestion = Suggestion.objects.get()
    assert suggestion.dispatched_at is None
    assert not SearchEntry.objects.filter(object_id=suggestion.pk).exists()
    assert not Fingerprint.objects.exists()
    assert ConsoleBackend.outbox == []
    other = submit(cast, phone="", idempotency_key="other")  # no contact: no message

    settings.CELERY_TASK_ALWAYS_EAGER = True  # the jobs it starts run here, not in a worker
    assert dispatch() == 2  # the beat's job
    suggestion.refresh_from_db()
    assert suggestion.dispatched_at is not None
    assert SearchEntry.objects.filter(object_id__in=[suggestion.pk, other.pk]).count() == 2
    assert [number for number, _text in ConsoleBackend.outbox] == ["13812345678"]
    assert suggestion.tracking_code in ConsoleBackend.outbox[0][1]
    assert suggestion.acknowledged_at is not None
    other.refresh_from_db()
    assert other.acknowledged_at is None  # nobody to tell
    assert Fingerprint.objects.filter(embedding__isnull=False).count() == 2
    assert suggestions_dispatch() == []  # nothing twice
    assert len(ConsoleBackend.outbox) == 1


def test_an_acknowledgement_whose_job_was_lost_is_sent_by_the_sweep_once(
    cast, settings, time_machine, mailoutbox
) -> None:
    """The broker keeps nothing on disk: an acknowledgement job lost after the dispatch is
    started again by the hourly sweep, once it has had ten minutes to arrive; one that
    arrives twice (the sweep's and a late original) is sent once."""
    from xieshang.intake.services import suggestions_dispatch
    from xieshang.suggestions.services import suggestions_acknowledge_missed
    from xieshang.suggestions.tasks import acknowledge, acknowledge_missed

    time_machine.move_to(timezone.now(), tick=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker (in memory): the jobs go nowhere
    ConsoleBackend.outbox.clear()
    lost = submit(cast, idempotency_key="lost")
    by_email = submit(cast, phone="", email="chen@example.cn", idempotency_key="mail")
    silent = submit(cast, phone="", idempotency_key="silent")  # no contact details
    suggestions_dispatch()
    settings.CELERY_TASK_ALWAYS_EAGER = True  # from here the jobs run where they are sent
    assert suggestions_acknowledge_missed() == []  # its own job may still come

    time_machine.shift(timedelta(minutes=11))
    assert acknowledge_missed() == 2  # the beat's job
    assert [number for number, _text in ConsoleBackend.outbox] == ["13812345678"]
    assert lost.tracking_code in ConsoleBackend.outbox[0][1]
    assert [mail.to for mail in mailoutbox] == [["chen@example.cn"]]
    for suggestion in (lost, by_email, silent):
        suggestion.refresh_from_db()
    assert lost.acknowledged_at is not None and by_email.acknowledged_at is not None
    assert silent.acknowledged_at is None

    assert acknowledge(lost.pk) == []  # the original job, arriving late: not sent twice
    assert suggestions_acknowledge_missed() == []
    assert len(ConsoleBackend.outbox) == 1 and len(mailoutbox) == 1


def test_an_acknowledgement_a_day_late_is_not_sent(cast, settings, time_machine) -> None:
    from xieshang.intake.services import suggestions_dispatch
    from xieshang.suggestions.services import suggestions_acknowledge_missed

    time_machine.move_to(timezone.now(), tick=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    old = submit(cast, idempotency_key="old")
    suggestions_dispatch()
    time_machine.shift(timedelta(hours=25))
    assert suggestions_acknowledge_missed() == []
    old.refresh_from_db()
    assert old.acknowledged_at is None


def test_an_unreachable_gateway_leaves_the_acknowledgement_due(cast, settings, monkeypatch) -> None:
    """The gateway's error reaches the job (which retries) and nothing is marked."""
    from xieshang.intake.services import suggestions_dispatch
    from xieshang.suggestions.services import suggestion_acknowledge

    settings.CELERY_TASK_ALWAYS_EAGER = False
    suggestion = submit(cast, idempotency_key="down")
    suggestions_dispatch()

    def down(self: ConsoleBackend, phone: str, text: str) -> None:
        raise ConnectionRefusedError("gateway down")

    with monkeypatch.context() as patch:
        patch.setattr(ConsoleBackend, "send", down)
        with pytest.raises(OSError):
            suggestion_acknowledge(suggestion_id=suggestion.pk)
    suggestion.refresh_from_db()
    assert suggestion.acknowledged_at is None
    assert suggestion_acknowledge(suggestion_id=suggestion.pk) == ["sms"]
    suggestion.refresh_from_db()
    assert suggestion.acknowledged_at is not None


def test_the_migration_marks_what_the_dispatch_acknowledged_before(cast, settings) -> None:
    """suggestions 0008: a suggestion dispatched before the field existed, with contact
    details, was acknowledged by the dispatch; the sweep must not send it again."""
    import importlib

    from django.apps import apps

    from xieshang.intake.services import suggestions_dispatch

    migration = importlib.import_module("xieshang.suggestions.migrations.0008_acknowledged_at")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    told = submit(cast, idempotency_key="told")
    silent = submit(cast, phone="", idempotency_key="silent")
    suggestions_dispatch()
    waiting = submit(cast, idempotency_key="waiting")  # not yet dispatched
    migration.dispatched_ones_were_acknowledged(apps, None)
    marked = dict(Suggestion.objects.values_list("idempotency_key", "acknowledged_at"))
    told.refresh_from_db()
    silent.refresh_from_db()
    waiting.refresh_from_db()
    assert told.dispatched_at is not None and silent.dispatched_at is not None
    assert waiting.dispatched_at is None
    assert marked["told"] == told.dispatched_at
    assert marked["silent"] is None and marked["waiting"] is None


def test_the_phone_number_is_not_in_the_database(cast, places, client) -> None:
    client.post(SUBMIT, form_data())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone_encrypted, phone_lookup, phone_masked FROM suggestions_suggestion"
        )
        row = cursor.fetchone()
    assert all("13812345678" not in str(value) for value in row)
    assert row[0] and row[1]


def test_a_double_click_makes_one_record(cast, places, client) -> None:
    data = form_data()
    first = client.post(SUBMIT, data)
    second = client.post(SUBMIT, data)
    assert Suggestion.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_bad_fields_get_chinese_messages_and_store_nothing(cast, places, client) -> None:
    response = client.post(SUBMIT, form_data(title="", content="太短", phone="12345", consent=""))
    body = response.content.decode()
    assert response.status_code == 400
    assert "字段是必填项" in body  # Django says 这个…, DRF (installed for the API) 该…
    assert "手机号" in body
    assert "隐私" in body
    assert not Suggestion.objects.exists()


def test_a_choice_of_another_committee_is_refused(cast, places, client) -> None:
    response = client.post(SUBMIT, form_data(category=places["haizhu_category"].pk))
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_the_honeypot_refuses_a_bot(cast, places, client) -> None:
    response = client.post(SUBMIT, form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_a_photo_is_stored_and_a_fake_one_refused(cast, places, client) -> None:
    client.post(SUBMIT, form_data(photos=[jpeg(), jpeg("b.png")]))
    suggestion = Suggestion.objects.get()
    assert suggestion.photos.count() == 2
    html = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", "image/jpeg")
    response = client.post(SUBMIT, form_data(photos=[jpeg(), html]))
    assert response.status_code == 400
    assert "图片" in response.content.decode()
    assert Suggestion.objects.count() == 1


def test_more_than_six_photos_are_refused(cast, places, client) -> None:
    response = client.post(SUBMIT, form_data(photos=[jpeg(f"{i}.jpg") for i in range(7)]))
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_submissions_are_rate_limited_per_address(cast, places, client) -> None:
    for _ in range(10):
        assert client.post(SUBMIT, form_data(phone="")).status_code == 302
    response = client.post(SUBMIT, form_data(phone=""))
    assert response.status_code == 429
    assert "稍后" in response.content.decode()
    assert Suggestion.objects.count() == 10


def test_the_retry_of_the_submission_that_reached_the_limit_gets_its_code(
    cast, places, client
) -> None:
    for _ in range(10):
        last = form_data(phone="")
        assert client.post(SUBMIT, last).status_code == 302
    stored = Suggestion.objects.get(idempotency_key=last["idempotency_key"])
    retry = client.post(SUBMIT, last)
    assert (retry.status_code, retry["Location"]) == (302, f"/t/{stored.tracking_code}/?new=1")
    assert client.post(SUBMIT, form_data(phone="")).status_code == 429
    assert Suggestion.objects.count() == 10


def test_recent_submissions_are_counted_per_sender_up_to_the_limit(
    cast, places, time_machine
) -> None:
    for _ in range(4):
        submit(cast, client_ip="10.1.1.1")
    submit(cast, client_ip="10.1.1.2", phone="13900001111")
    senders = {
        "phone_lookup": lookup_hash("13812345678"),
        "client_lookup": lookup_hash("ip:10.1.1.2"),
    }
    since = timezone.now() - timedelta(hours=1)
    assert sent_recently(since=since, up_to=3, senders=senders) == {
        "phone_lookup": 3,  # four sent, counted up to the limit
        "client_lookup": 1,
    }
    assert sent_recently(since=since, up_to=10, senders={}) == {}
    time_machine.move_to(timezone.now() + timedelta(minutes=61))
    since = timezone.now() - timedelta(hours=1)
    assert sent_recently(since=since, up_to=3, senders=senders) == {
        "phone_lookup": 0,
        "client_lookup": 0,
    }


def test_the_public_form_sees_a_new_category_within_half_a_minute(
    cast, places, client, monkeypatch
) -> None:
    at = [5000.0]
    monkeypatch.setattr(memo_module, "clock", lambda: at[0])
    assert "环境保护" not in client.get(SUBMIT).content.decode()
    category = Category.objects.create(committee=cast.tianhe, name="环境保护")
    assert "环境保护" not in client.get(SUBMIT).content.decode()  # remembered
    at[0] += INTAKE_SETUP_SECONDS + 1
    assert "环境保护" in client.get(SUBMIT).content.decode()
    response = client.post(SUBMIT, form_data(category=category.pk))
    assert response.status_code == 302
    assert Suggestion.objects.get().category == category


def test_submissions_are_rate_limited_per_phone(cast, places) -> None:
    from xieshang.core.errors import RateLimited

    for i in range(10):
        submit(cast, client_ip=f"10.0.0.{i}")
    try:
        submit(cast, client_ip="10.0.0.99")
    except RateLimited as error:
        assert "手机号" in str(error.message)
    else:
        raise AssertionError("the 11th submission from one phone was accepted")


def test_script_in_text_is_stored_as_text_and_escaped(cast, places, client) -> None:
    client.post(SUBMIT, form_data(title="<script>alert(1)</script>"))
    suggestion = Suggestion.objects.get()
    assert suggestion.title == "<script>alert(1)</script>"
    body = client.get(f"/t/{suggestion.tracking_code}/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_a_workroom_qr_code_records_the_workroom(cast, places, client) -> None:
    url = reverse("suggestions:submit_workroom", args=[cast.workroom.code])
    assert client.get(url).status_code == 404  # not open yet
    workroom_transition(
        workroom=cast.workroom, action="activate", actor=cast.staff, expected_state=None
    )
    client.post(url, form_data())
    suggestion = Suggestion.objects.get()
    assert (suggestion.source, suggestion.workroom) == (Source.WORKROOM, cast.workroom)


def test_a_campaign_takes_entries_while_open_and_refuses_them_after(
    cast, places, campaign, client, time_machine
) -> None:
    url = reverse("suggestions:submit_campaign", args=[campaign.code])
    client.post(url, form_data())
    assert Suggestion.objects.get().source == Source.CAMPAIGN
    time_machine.move_to(campaign.ends_at)
    response = client.post(url, form_data())
    assert response.status_code == 410
    assert "已结束" in response.content.decode()
    assert Suggestion.objects.count() == 1


def test_a_forged_tracking_code_answers_404(cast, client) -> None:
    assert client.get("/t/ABCDEFGHJK/").status_code == 404
    assert client.get("/t/ABCDEFGHJK/qr.svg").status_code == 404


def test_the_tracking_page_has_a_qr_code(cast, places, client) -> None:
    suggestion = submit(cast)
    response = client.get(f"/t/{suggestion.tracking_code}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    # Served as an image file, the SVG must name its namespace or browsers will not draw it;
    # a viewBox lets the <img> scale it.
    assert b'xmlns="http://www.w3.org/2000/svg"' in response.content.split(b">", 1)[0]
    assert b"viewBox=" in response.content.split(b">", 1)[0]


def test_the_citizen_adds_information_while_it_is_open(cast, places, client) -> None:
    suggestion = submit(cast)
    client.post(f"/t/{suggestion.tracking_code}/", {"form": "add", "text": "晚上八点后最明显"})
    body = client.get(f"/t/{suggestion.tracking_code}/").content.decode()
    assert "晚上八点后最明显" in body


def test_the_tracking_page_shows_no_phone_number(cast, places, client) -> None:
    suggestion = submit(cast)
    body = client.get(f"/t/{suggestion.tracking_code}/").content.decode()
    assert "13812345678" not in body and "5678" not in body


def test_a_citizen_who_left_an_email_is_told_by_email(
    cast, places, client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBMIT, form_data(phone="", email="chen@example.cn"))
    dispatch()
    suggestion = Suggestion.objects.get()
    assert "chen@example.cn" not in suggestion.email_encrypted
    assert mailoutbox[-1].to == ["chen@example.cn"]
    assert suggestion.tracking_code in mailoutbox[-1].subject


def test_a_workroom_poster_carries_its_own_qr_code(cast, places, client) -> None:
    workroom_transition(
        workroom=cast.workroom, action="activate", actor=cast.staff, expected_state=None
    )
    for fmt, magic in (("png", b"\x89PNG"), ("svg", b"<"), ("pdf", b"%PDF")):
        response = client.get(f"/w/{cast.workroom.code}/poster.{fmt}")
        assert response.status_code == 200
        assert response.content.startswith(magic)
    svg = client.get(f"/w/{cast.workroom.code}/poster.svg").content.decode()
    assert cast.workroom.name in svg
    assert client.get(f"/w/{cast.workroom.code}/poster.gif").status_code == 404
    assert client.get("/w/no-such-room/poster.png").status_code == 404


def test_a_forged_forwarded_for_header_does_not_escape_the_rate_limit(
    cast, places, client, settings
) -> None:
    settings.BEHIND_PROXY = False
    for i in range(10):
        client.post(SUBMIT, form_data(phone=""), HTTP_X_FORWARDED_FOR=f"10.9.9.{i}")
    response = client.post(SUBMIT, form_data(phone=""), HTTP_X_FORWARDED_FOR="10.9.9.99")
    assert response.status_code == 429
    settings.BEHIND_PROXY = True  # now the header is nginx's, and names another sender
    response = client.post(SUBMIT, form_data(phone=""), HTTP_X_FORWARDED_FOR="1.2.3.4, 10.9.9.99")
    assert response.status_code == 302


def test_photos_are_served_only_to_those_who_may_see_the_suggestion(cast, places, client) -> None:
    client.post(SUBMIT, form_data(photos=[jpeg()]))
    photo = Suggestion.objects.get().photos.get()
    url = reverse("suggestions:photo", args=[photo.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.staff)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    assert client.get(f"/media/{photo.image.name}").status_code == 404


def test_pages_show_a_small_preview_of_each_photo_and_link_the_photo(cast, places, client) -> None:
    """A clerk's page loads previews of at most 480 pixels, not photos of 2560; the preview
    carries no metadata either and is served to the same people only."""
    client.post(SUBMIT, form_data(photos=[jpeg("big.jpg", size=(1600, 1200))]))
    suggestion = Suggestion.objects.get()
    photo = suggestion.photos.get()
    with photo.preview.open("rb") as stored:
        preview = Image.open(io.BytesIO(stored.read()))
    assert (preview.format, preview.size) == ("JPEG", (480, 360))
    assert not preview.getexif() and "icc_profile" not in preview.info
    assert (photo.width, photo.height) == (1600, 1200)

    url = reverse("suggestions:photo_preview", args=[photo.pk])
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.staff)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    served = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(served)).size == (480, 360)
    page = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    assert f'src="{url}"' in page
    assert f'href="{reverse("suggestions:photo", args=[photo.pk])}"' in page


def test_a_photo_stored_before_previews_gets_one_when_first_shown(cast, places, client) -> None:
    client.post(SUBMIT, form_data(photos=[jpeg("old.jpg", size=(900, 1200))]))
    photo = Suggestion.objects.get().photos.get()
    photo.preview.delete(save=True)  # as stored before previews were made
    assert SuggestionPhoto.objects.get().preview == ""
    client.force_login(cast.staff)
    url = reverse("suggestions:photo_preview", args=[photo.pk])
    first = client.get(url)
    assert Image.open(io.BytesIO(b"".join(first.streaming_content))).size == (360, 480)
    made = SuggestionPhoto.objects.get().preview.name
    assert made and made != photo.image.name
    client.get(url)
    assert SuggestionPhoto.objects.get().preview.name == made  # made once


def test_a_stored_photo_pillow_cannot_read_is_shown_as_it_is(cast, places, client) -> None:
    client.post(SUBMIT, form_data(photos=[jpeg()]))
    photo = Suggestion.objects.get().photos.get()
    photo.preview.delete(save=True)
    with photo.image.open("wb") as stored:
        stored.write(b"\xff\xd8 damaged")
    client.force_login(cast.staff)
    response = client.get(reverse("suggestions:photo_preview", args=[photo.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8 damaged"
    assert SuggestionPhoto.objects.get().preview == ""


def test_every_step_of_the_timeline_is_in_words(cast, places, client) -> None:
    suggestion = submit(cast)
    client.post(f"/t/{suggestion.tracking_code}/", {"form": "add", "text": "补充一点情况"})
    body = client.get(f"/t/{suggestion.tracking_code}/").content.decode()
    assert '<span class="fw-semibold">提交</span>' in body
    assert "补充信息" in body
    assert "add_information" not in body and ">submit<" not in body


def test_a_text_over_the_limit_is_kept_and_the_citizen_told_the_count(cast, places, client) -> None:
    long_text = "路" * 2345
    response = client.post(SUBMIT, form_data(content=long_text))
    body = response.content.decode()
    assert response.status_code == 400
    assert "内容不能超过2000字，现在是2345字" in body
    assert long_text in body  # nothing typed is lost
    assert "确保" not in body  # not Django's generic message
    assert not Suggestion.objects.exists()


def test_the_text_boxes_count_instead_of_cutting(cast, places, client) -> None:
    body = client.get(SUBMIT).content.decode()
    box = body.split('name="content"', 1)[1].split(">", 1)[0]
    assert 'data-maxlength="2000"' in box
    assert "maxlength=" not in box.replace("data-maxlength=", "")
    suggestion = submit(cast)
    page = f"/t/{suggestion.tracking_code}/"
    assert 'data-maxlength="2000"' in client.get(page).content.decode()
    response = client.post(page, {"form": "add", "text": "灯" * 2001})
    assert response.status_code == 400
    assert "内容不能超过2000字，现在是2001字" in response.content.decode()
    assert "灯" * 2001 in response.content.decode()


def test_a_line_end_counts_once(cast, places, client) -> None:
    content = ("一" * 9 + "\r\n") * 200  # 2,000 characters with one-character line ends
    response = client.post(SUBMIT, form_data(content=content))
    assert response.status_code == 302
    assert Suggestion.objects.get().content == content.replace("\r\n", "\n").strip()


def test_an_unknown_code_keeps_the_citizen_on_the_look_up_page(cast, places, client) -> None:
    for response in (client.get("/t/?code=ABCDEFGHJK"), client.get("/t/ABCDEFGHJK/")):
        body = response.content.decode()
        assert response.status_code == 404
        assert "没有与该查询码对应的记录" in body
        assert 'name="code"' in body and 'value="ABCDEFGHJK"' in body  # the box, to try again
    suggestion = submit(cast)
    response = client.get(f"/t/?code={suggestion.tracking_code.lower()}")
    assert response.status_code == 302
    assert response["Location"] == f"/t/{suggestion.tracking_code}/"


def test_a_malformed_code_is_answered_on_the_look_up_page(cast, client) -> None:
    for code in ("a/b", "a%2Fb", "码", "A" * 40, "<script>"):
        response = client.get("/t/", {"code": code})
        assert response.status_code == 400
        assert 'name="code"' in response.content.decode()
