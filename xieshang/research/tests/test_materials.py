"""A research topic's work: visits and meetings (duty activities with who attended),
material and notes attached to the topic or a visit, the scans of leaders' instructions,
and the report as Word in the official layout — each file judged by its content and
served only to who may see the topic (both committees of a joint topic); refused input
changes nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from docx.oxml.ns import qn

from xieshang.activities.models import Activity, ActivityKind
from xieshang.activities.selectors import activity_participations
from xieshang.activities.services import ActivityInput, activity_kinds_install_defaults
from xieshang.conftest import Cast, make_user
from xieshang.core.errors import DomainError, Forbidden
from xieshang.core.models import Event
from xieshang.core.tests.test_uploads import PDF, docx_bytes, jpeg_bytes, png_bytes
from xieshang.core.uploads import file_clean
from xieshang.people.models import Member
from xieshang.research.models import Instruction, Material, Report, Topic
from xieshang.research.services import (
    TopicData,
    material_add,
    report_save,
    report_transition,
    topic_create,
    visit_record,
)

pytestmark = pytest.mark.django_db
NIGHT = "做大做强天河夜间经济"


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    with translation.override("zh-hans"):
        yield


def seat(cast: Cast) -> Member:
    return Member.objects.get(user=cast.member, committee=cast.tianhe)


def make_topic(cast: Cast, *, joint: bool = False) -> Topic:
    return topic_create(
        actor=cast.staff,
        committee=cast.tianhe,
        data=TopicData(
            title=NIGHT,
            lead="经济科技委员会",
            year=2026,
            is_key=True,
            member_ids=[seat(cast).pk],
            joint_with_upper=joint,
            plan="走访区商务局、文广旅局",
        ),
    )


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def approved(cast: Cast, topic: Topic, *, decision: str = "") -> Report:
    report = report_save(
        actor=cast.member,
        topic=topic,
        title="关于做大做强天河夜间经济的调研报告",
        text="一、基本情况\n天河夜间消费活跃。\n二、建议\n延长地铁运营时间。",
    )
    report_transition(actor=cast.member, report=report, action="submit")
    report_transition(actor=cast.staff, report=report, action="adopt", note=decision)
    report.refresh_from_db()
    return report


def visit_input(cast: Cast, **kw: Any) -> ActivityInput:
    activity_kinds_install_defaults(committee=cast.tianhe)
    base: dict[str, Any] = {
        "kind": ActivityKind.objects.get(committee=cast.tianhe, name="调研"),
        "title": "走访区商务局",
        "date": date(2026, 6, 3),
        "members": [seat(cast)],
    }
    base.update(kw)
    return ActivityInput(**base)


def test_a_group_member_attaches_material_listed_and_downloadable_by_who_sees_the_topic(
    cast: Cast,
) -> None:
    topic = make_topic(cast)
    member = client_of(cast.member)
    response = member.post(
        reverse("research:material_add", args=[topic.pk]),
        {
            "title": "商务局座谈提纲",
            "note": "企业反映夜间停车难。",
            "file": SimpleUploadedFile("提纲.docx", docx_bytes()),
        },
    )
    assert response.status_code == 302
    material = Material.objects.get(topic=topic)
    assert material.extension == "docx" and material.created_by == cast.member
    assert material.note == "企业反映夜间停车难。"
    assert Event.objects.for_object(topic).filter(action="material").get().note == "商务局座谈提纲"

    page = client_of(cast.staff).get(reverse("research:topic", args=[topic.pk])).content.decode()
    url = reverse("research:material_file", args=[material.pk])
    assert "商务局座谈提纲" in page and url in page and "企业反映夜间停车难。" in page
    with material.file.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"PK\x03\x04")
    for user in (cast.staff, cast.member, cast.leader):
        response = client_of(user).get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined]
        assert response["Content-Disposition"].startswith("attachment")
    outside_group = make_user("t.member7", "天河另一委员")
    Member.objects.create(user=outside_group, committee=cast.tianhe)
    for user in (outside_group, cast.outsider, cast.city_staff):  # not joint: not the city's
        assert client_of(user).get(url).status_code == 404, user


def test_a_note_without_a_file_and_an_image_are_material_too(cast: Cast) -> None:
    topic = make_topic(cast)
    material_add(actor=cast.member, topic=topic, title="调研随记", note="夜市人流集中在周末。")
    photo = file_clean(SimpleUploadedFile("现场.jpg", jpeg_bytes()))
    material_add(actor=cast.staff, topic=topic, title="现场照片", file=photo)
    assert [(m.title, m.extension) for m in Material.objects.order_by("pk")] == [
        ("调研随记", ""),
        ("现场照片", "jpg"),
    ]


def test_a_joint_topics_material_is_downloaded_by_both_committees(cast: Cast) -> None:
    topic = make_topic(cast, joint=True)
    city = client_of(cast.city_staff)
    response = city.post(
        reverse("research:material_add", args=[topic.pk]),
        {"title": "市政协调研方案", "file": SimpleUploadedFile("方案.pdf", PDF)},
    )
    assert response.status_code == 302
    material = Material.objects.get(topic=topic)
    url = reverse("research:material_file", args=[material.pk])
    # A visit is a duty activity of 天河: the city's staff attach material but record none.
    page = city.get(reverse("research:topic", args=[topic.pk])).content.decode()
    assert reverse("research:visit_add", args=[topic.pk]) not in page
    events = Event.objects.count()
    with pytest.raises(Forbidden):
        visit_record(actor=cast.city_staff, topic=topic, data=visit_input(cast))
    assert not topic.activities.exists() and Event.objects.count() == events
    for user in (cast.city_staff, cast.staff, cast.member):
        response = client_of(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert client_of(cast.outsider).get(url).status_code == 404  # 海珠


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 renamed"), "文件须为 PDF、Word 文档或图片"),
        (SimpleUploadedFile("报告.pdf", "纯文本".encode()), "文件须为 PDF、Word 文档或图片"),
        (SimpleUploadedFile("大.pdf", PDF + b"0" * (40 * 1024 * 1024)), "文件不能超过10MB"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_changes(
    cast: Cast, upload: SimpleUploadedFile, message: str
) -> None:
    topic = make_topic(cast)
    events = Event.objects.count()
    response = client_of(cast.member).post(
        reverse("research:material_add", args=[topic.pk]), {"title": "材料", "file": upload}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Material.objects.exists() and Event.objects.count() == events


def test_refusals_change_nothing(cast: Cast) -> None:
    topic = make_topic(cast)
    events = Event.objects.count()
    with pytest.raises(DomainError, match="请上传文件或填写说明"):
        material_add(actor=cast.member, topic=topic, title="空的")
    with pytest.raises(DomainError, match="请填写材料标题"):
        material_add(actor=cast.member, topic=topic, title=" ", note="说明")
    with pytest.raises(Forbidden):  # 海珠's staff on 天河's topic
        material_add(actor=cast.outsider, topic=topic, title="材料", note="说明")
    # Another committee's topic id, through the page: not found, nothing written.
    response = client_of(cast.outsider).post(
        reverse("research:material_add", args=[topic.pk]), {"title": "材料", "note": "说明"}
    )
    assert response.status_code == 404
    # A visit of another topic cannot carry this topic's material.
    other = topic_create(
        actor=cast.staff,
        committee=cast.tianhe,
        data=TopicData(title="元宇宙产业发展", lead="主席", year=2026),
    )
    elsewhere = visit_record(actor=cast.staff, topic=other, data=visit_input(cast))
    events = Event.objects.count()
    with pytest.raises(DomainError, match="该走访或会议不属于本课题"):
        material_add(actor=cast.staff, topic=topic, title="材料", note="说明", activity=elsewhere)
    assert not Material.objects.exists() and Event.objects.count() == events


def test_once_the_report_is_approved_nothing_more_is_attached(cast: Cast) -> None:
    topic = make_topic(cast)
    approved(cast, topic)
    events, activities = Event.objects.count(), Activity.objects.count()
    with pytest.raises(DomainError, match="调研报告已经主席会议审议通过"):
        material_add(actor=cast.staff, topic=topic, title="补充材料", note="说明")
    with pytest.raises(DomainError, match="调研报告已经主席会议审议通过"):
        visit_record(actor=cast.staff, topic=topic, data=visit_input(cast))
    response = client_of(cast.staff).post(
        reverse("research:material_add", args=[topic.pk]),
        {"title": "补充材料", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert (
        response.status_code == 400 and "调研报告已经主席会议审议通过" in response.content.decode()
    )
    assert not Material.objects.exists()
    assert Event.objects.count() == events and Activity.objects.count() == activities
    page = client_of(cast.staff).get(reverse("research:topic", args=[topic.pk])).content.decode()
    assert reverse("research:material_add", args=[topic.pk]) not in page


def test_a_visit_is_a_duty_activity_with_attendance_and_carries_material(cast: Cast) -> None:
    topic = make_topic(cast)
    activity_kinds_install_defaults(committee=cast.tianhe)
    kind = ActivityKind.objects.get(committee=cast.tianhe, name="调研")
    response = client_of(cast.member).post(
        reverse("research:visit_add", args=[topic.pk]),
        {
            "kind": kind.pk,
            "title": "走访区商务局",
            "date": "2026-06-03",
            "members": [seat(cast).pk],
        },
    )
    assert response.status_code == 302
    visit = topic.activities.get()
    assert visit.committee == cast.tianhe and list(visit.members.all()) == [seat(cast)]
    assert Event.objects.for_object(topic).filter(action="visit").exists()
    assert Event.objects.for_object(visit).filter(action="activity_record").exists()
    # The attendance is the duty record's: the member's part in the committee's activities.
    assert (seat(cast).pk, visit.pk, "走访区商务局", date(2026, 6, 3), False, "调研") in (
        activity_participations(committee_id=cast.tianhe.pk, year=2026)
    )
    response = client_of(cast.member).post(
        reverse("research:material_add", args=[topic.pk]),
        {"title": "座谈记录", "note": "商务局介绍夜间经济政策。", "activity": visit.pk},
    )
    assert response.status_code == 302
    assert Material.objects.get().activity == visit
    page = client_of(cast.staff).get(reverse("research:topic", args=[topic.pk])).content.decode()
    assert "走访区商务局" in page and "座谈记录" in page
    # Who attended must be the committee's own members.
    stranger = Member.objects.create(user=make_user("h.m2", "海珠委员"), committee=cast.haizhu)
    response = client_of(cast.member).post(
        reverse("research:visit_add", args=[topic.pk]),
        {"kind": kind.pk, "title": "再次走访", "date": "2026-06-04", "members": [stranger.pk]},
    )
    assert response.status_code == 400 and topic.activities.count() == 1


def test_the_scan_of_an_instruction_on_a_report(cast: Cast) -> None:
    topic = make_topic(cast, joint=True)
    approved(cast, topic)
    staff = client_of(cast.staff)
    url = reverse("research:instruct", args=[topic.pk])
    fields = {"level": "city", "leader": "副市长", "date": "2026-07-01", "text": "请市商务局研究。"}
    bad = staff.post(url, {**fields, "scan": SimpleUploadedFile("批示.pdf", b"MZ\x90\x00")})
    assert bad.status_code == 400 and "文件须为 PDF 或扫描图片" in bad.content.decode()
    assert not Instruction.objects.exists()
    assert (
        staff.post(url, {**fields, "scan": SimpleUploadedFile("批示.png", png_bytes())}).status_code
        == 302
    )
    instruction = Instruction.objects.get()
    scan_url = reverse("research:instruction_scan", args=[instruction.pk])
    assert scan_url in staff.get(reverse("research:topic", args=[topic.pk])).content.decode()
    for user in (cast.staff, cast.member, cast.city_staff):  # joint: the city too
        response = client_of(user).get(scan_url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png", user
    assert client_of(cast.outsider).get(scan_url).status_code == 404
    # A second instruction recorded without its scan gets it later, once.
    assert staff.post(url, fields).status_code == 302
    later = Instruction.objects.exclude(pk=instruction.pk).get()
    attach = reverse("research:instruction_scan_attach", args=[later.pk])
    assert attach in staff.get(reverse("research:topic", args=[topic.pk])).content.decode()
    member = client_of(cast.member)  # in the group, but records no instruction
    assert member.post(attach, {"scan": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    assert staff.post(attach, {"scan": SimpleUploadedFile("a.pdf", PDF)}).status_code == 302
    again = staff.post(attach, {"scan": SimpleUploadedFile("a.pdf", PDF)})
    assert again.status_code == 409 and "这条批示已有扫描件" in again.content.decode()
    later.refresh_from_db()
    assert later.scan.read() == PDF


def paragraphs(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def test_the_report_as_word_in_the_official_layout(cast: Cast) -> None:
    topic = make_topic(cast)
    url = reverse("research:report_docx", args=[topic.pk])
    assert client_of(cast.staff).get(url).status_code == 404  # no report yet
    report_save(
        actor=cast.member, topic=topic, title="关于做大做强天河夜间经济的调研报告", text="草稿正文"
    )
    draft = paragraphs(client_of(cast.member).get(url).content)
    assert any("草稿：尚未经主席会议审议通过" in p for p in draft)
    Report.objects.filter(topic=topic).delete()
    report = approved(cast, topic, decision="同意印发，报区委、区政府。")
    response = client_of(cast.member).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == cast.tianhe.name
    assert texts[1] == "调研报告"
    assert texts[2] == "2026年 重点调研课题"
    assert "关于做大做强天河夜间经济的调研报告" in texts
    assert f"调研课题：{NIGHT}" in texts
    assert "牵头：经济科技委员会" in texts
    assert f"课题组成员：{cast.member.name}" in texts
    assert "天河夜间消费活跃。" in texts and "延长地铁运营时间。" in texts
    day = timezone.localtime(report.adopted_at).date()
    decision = (
        f"本报告经{day.year}年{day.month}月{day.day}日主席会议审议通过。同意印发，报区委、区政府。"
    )
    assert decision in texts
    assert texts[-2] == cast.tianhe.name
    # The official layout: 黑体 head, 宋体 body, East Asian fonts set on the runs.
    head = document.paragraphs[1].runs[0]
    assert head.font.name == "黑体" and head.font.bold
    body = next(p for p in document.paragraphs if p.text == "天河夜间消费活跃。").runs[0]
    assert body.font.name == "宋体"
    fonts = body._element.rPr.rFonts  # type: ignore[union-attr]
    assert fonts.get(qn("w:eastAsia")) == "宋体"  # type: ignore[union-attr]
    assert client_of(cast.outsider).get(url).status_code == 404
