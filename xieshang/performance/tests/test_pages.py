from __future__ import annotations

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from xieshang.conftest import Cast, make_user
from xieshang.people.models import Member, Sector
from xieshang.performance.models import MemberYear, PointRule, RecordItem, RecordKind
from xieshang.performance.services import ItemInput, item_record, scheme_create

PDF = b"%PDF-1.4\n%test\n%%EOF\n"


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _setup(cast: Cast) -> tuple[Member, Member, int]:
    year = timezone.localdate().year
    seat = Member.objects.get(user=cast.member, committee=cast.tianhe)
    other = Member.objects.create(
        user=make_user("t.other", "天河另一委员"),
        committee=cast.tianhe,
        sector=Sector.objects.get(committee=cast.tianhe, name="律师界"),
    )
    scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    for title in ("参加区人大视察", "参加市民议事会"):
        item_record(
            committee=cast.tianhe,
            data=ItemInput(seat, RecordKind.OUTSIDE_WORK, title, date(year, 1, 5), evidence=PDF),
            actor=cast.staff,
        )
    return seat, other, year


def test_member_sees_own_record_and_medians_not_others(cast: Cast) -> None:
    seat, other, year = _setup(cast)
    client = _client(cast.member)
    body = client.get(reverse("performance:mine")).content.decode()
    assert "参加区人大视察" in body and "天河另一委员" not in body
    assert "律师界" in body  # the sector's median, without names
    other_year = MemberYear.objects.get(member=other, year=year)
    assert client.get(reverse("performance:record", args=[other_year.pk])).status_code == 404
    assert client.get(reverse("performance:ranking")).status_code == 403
    own = MemberYear.objects.get(member=seat, year=year)
    response = client.get(reverse("performance:record_docx", args=[own.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    cells = [
        c.text
        for t in Document(io.BytesIO(response.content)).tables
        for r in t.rows
        for c in r.cells
    ]
    assert "天河委员" in text and "参加区人大视察" in cells and "4" in cells


def test_staff_ranking_flags_below_baseline_and_exports(cast: Cast) -> None:
    seat, _other, year = _setup(cast)
    client = _client(cast.staff)
    body = client.get(reverse("performance:ranking"), {"group": "sector"}).content.decode()
    assert "天河委员" in body and "天河另一委员" in body and "below-baseline" in body
    response = client.get(reverse("performance:ranking_export"), {"year": year})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][1:3] == (1, "天河委员") and rows[1][7] == 4
    assert rows[2][2] == "天河另一委员" and rows[2][9]
    # Another committee's staff see nothing of 天河.
    outsider = _client(cast.outsider)
    assert "天河委员" not in outsider.get(reverse("performance:ranking")).content.decode()
    assert (
        outsider.get(reverse("performance:ranking"), {"committee": cast.tianhe.pk}).status_code
        == 404
    )
    my = MemberYear.objects.get(member=seat, year=year)
    assert outsider.get(reverse("performance:record_docx", args=[my.pk])).status_code == 404


def test_staff_change_a_rule_and_points_move(cast: Cast) -> None:
    seat, _other, year = _setup(cast)
    client = _client(cast.staff)
    response = client.post(
        reverse("performance:rules"),
        {
            "committee": cast.tianhe.pk,
            "year": year,
            "action": "rule",
            "kind": RecordKind.OUTSIDE_WORK,
            "points": 5,
            "cap": "",
            "point_class": "reward",
        },
    )
    assert response.status_code == 302
    my = MemberYear.objects.get(member=seat, year=year)
    assert (my.total, my.reward) == (10, 10)
    body = client.get(reverse("performance:rules"), {"year": year}).content.decode()
    assert "rule-history" in body
    # A rule that would deduct from a kind that earns: refused, nothing changed.
    response = client.post(
        reverse("performance:rules"),
        {
            "committee": cast.tianhe.pk,
            "year": year,
            "action": "rule",
            "kind": RecordKind.ACTIVITY,
            "points": -5,
            "point_class": "base",
        },
    )
    assert response.status_code == 400 and "只有无故缺席可以扣分" in response.content.decode()
    assert PointRule.objects.get(scheme__year=year, kind=RecordKind.ACTIVITY).points == 2


def test_staff_enter_and_withdraw_a_record(cast: Cast) -> None:
    seat, _other, year = _setup(cast)
    client = _client(cast.staff)
    response = client.post(
        reverse("performance:items"),
        {
            "committee": cast.tianhe.pk,
            "member": seat.pk,
            "kind": RecordKind.LEAVE,
            "title": "常委会请假",
            "date": f"{year}-01-03",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("performance:items"),
        {
            "committee": cast.tianhe.pk,
            "member": seat.pk,
            "kind": RecordKind.OUTSIDE_WORK,
            "title": "可执行文件",
            "date": f"{year}-01-03",
            "evidence": SimpleUploadedFile("x.pdf", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 400 and "佐证材料须为文档" in response.content.decode()
    item = RecordItem.objects.get(title="常委会请假")
    assert MemberYear.objects.get(member=seat, year=year).records == 3
    response = client.post(reverse("performance:item_remove", args=[item.pk]))
    assert response.status_code == 302 and not RecordItem.objects.filter(pk=item.pk).exists()
    assert MemberYear.objects.get(member=seat, year=year).records == 2


def test_staff_download_the_evidence_members_of_other_committees_cannot(cast: Cast) -> None:
    _setup(cast)
    item = RecordItem.objects.get(title="参加区人大视察")
    url = reverse("performance:item_evidence", args=[item.pk])
    response = _client(cast.staff).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]
    assert _client(cast.outsider).get(url).status_code == 404
    assert _client(cast.member).get(url).status_code == 403
