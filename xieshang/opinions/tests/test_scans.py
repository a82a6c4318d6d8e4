"""The scan of a leader's instruction (批示) on a 社情民意 item: judged by its content, kept,
and downloaded only by those who may see the item; a refused upload changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from xieshang.conftest import Cast, make_user
from xieshang.core.errors import DomainError
from xieshang.core.models import Event
from xieshang.core.tests.test_uploads import PDF, docx_bytes, png_bytes
from xieshang.core.uploads import file_clean
from xieshang.opinions.models import Instruction, Item
from xieshang.opinions.services import (
    ItemData,
    instruction_add,
    item_create,
    item_transition,
)
from xieshang.people.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    with translation.override("zh-hans"):
        yield


def adopted(cast: Cast) -> Item:
    seat = Member.objects.get(user=cast.member, committee=cast.tianhe)
    item = item_create(
        actor=cast.member,
        committee=cast.tianhe,
        data=ItemData("加快解除番禺广场地铁上盖区域围蔽", "围蔽多年。", "尽快解除。"),
        author=seat,
    )
    item_transition(actor=cast.member, item=item, action="submit")
    item_transition(actor=cast.staff, item=item, action="adopt")
    return item


def client_of(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def post_instruction(client: Client, item: Item, scan: SimpleUploadedFile | None) -> object:
    data: dict[str, object] = {
        "level": "district",
        "leader": "区长",
        "date": "2026-11-20",
        "text": "请区政府召开会议专题研究。",
    }
    if scan is not None:
        data["scan"] = scan
    return client.post(reverse("opinions:instruct", args=[item.pk]), data)


def test_a_scan_is_kept_and_served_only_to_who_may_see_the_item(cast: Cast) -> None:
    item = adopted(cast)
    staff = client_of(cast.staff)
    response = post_instruction(staff, item, SimpleUploadedFile("批示.jpg", png_bytes()))
    assert response.status_code == 302  # type: ignore[attr-defined]
    instruction = Instruction.objects.get(item=item)
    assert instruction.scan.name.endswith(".png")  # its real kind, not the name it came with
    note = Event.objects.for_object(item).filter(action="instruction").get().note
    assert "区长" in note and "附扫描件" in note
    url = reverse("opinions:instruction_scan", args=[instruction.pk])
    assert url in staff.get(reverse("opinions:detail", args=[item.pk])).content.decode()

    for user in (cast.staff, cast.member):  # the office and the author
        response = client_of(user).get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == png_bytes()  # type: ignore[attr-defined]
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
    stranger = make_user("t.member8", "天河另一委员")
    Member.objects.create(user=stranger, committee=cast.tianhe)
    for user in (stranger, cast.outsider, cast.city_staff):
        assert client_of(user).get(url).status_code == 404, user


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("批示.pdf", b"MZ\x90\x00 not a pdf"), "文件须为 PDF 或扫描图片"),
        (SimpleUploadedFile("批示.pdf", docx_bytes()), "文件须为 PDF 或扫描图片"),
        (SimpleUploadedFile("批示.pdf", PDF + b"0" * (40 * 1024 * 1024)), "文件不能超过10MB"),
    ],
)
def test_a_bad_scan_is_refused_and_nothing_changes(
    cast: Cast, upload: SimpleUploadedFile, message: str
) -> None:
    item = adopted(cast)
    events = Event.objects.count()
    response = post_instruction(client_of(cast.staff), item, upload)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert message in response.content.decode()  # type: ignore[attr-defined]
    assert not Instruction.objects.exists() and Event.objects.count() == events


def test_the_service_takes_only_a_pdf_or_an_image_as_a_scan(cast: Cast) -> None:
    item = adopted(cast)
    with pytest.raises(DomainError, match="文件须为 PDF 或扫描图片"):
        instruction_add(
            actor=cast.staff,
            item=item,
            level="city",
            leader="市长",
            text="阅",
            on=date(2026, 11, 20),
            scan=file_clean(SimpleUploadedFile("x.docx", docx_bytes())),
        )
    assert not Instruction.objects.exists()
    instruction_add(
        actor=cast.staff,
        item=item,
        level="city",
        leader="市长",
        text="阅",
        on=date(2026, 11, 20),
        scan=file_clean(SimpleUploadedFile("x.pdf", PDF)),
    )
    assert Instruction.objects.get().scan.read() == PDF


def test_an_instruction_without_a_scan_has_no_download(cast: Cast) -> None:
    item = adopted(cast)
    post_instruction(client_of(cast.staff), item, None)
    instruction = Instruction.objects.get()
    assert not instruction.scan
    url = reverse("opinions:instruction_scan", args=[instruction.pk])
    assert client_of(cast.staff).get(url).status_code == 404


def test_a_scan_that_came_later_is_attached_once(cast: Cast) -> None:
    item = adopted(cast)
    staff = client_of(cast.staff)
    post_instruction(staff, item, None)
    instruction = Instruction.objects.get()
    url = reverse("opinions:instruction_scan_attach", args=[instruction.pk])
    assert url in staff.get(reverse("opinions:detail", args=[item.pk])).content.decode()
    events = Event.objects.count()
    bad = staff.post(url, {"scan": SimpleUploadedFile("批示.pdf", b"not a scan")})
    assert bad.status_code == 400 and "文件须为 PDF 或扫描图片" in bad.content.decode()
    member = client_of(cast.member)  # the author sees the item, but records no instruction
    assert member.post(url, {"scan": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    outsider = client_of(cast.outsider)
    assert outsider.post(url, {"scan": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    instruction.refresh_from_db()
    assert not instruction.scan and Event.objects.count() == events

    assert staff.post(url, {"scan": SimpleUploadedFile("a.pdf", PDF)}).status_code == 302
    instruction.refresh_from_db()
    assert instruction.scan.read() == PDF
    assert Event.objects.for_object(item).filter(action="instruction_scan").count() == 1
    again = staff.post(url, {"scan": SimpleUploadedFile("b.png", png_bytes())})
    assert again.status_code == 409 and "这条批示已有扫描件" in again.content.decode()
    instruction.refresh_from_db()
    assert instruction.scan.name.endswith(".pdf")
