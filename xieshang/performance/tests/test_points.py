from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from xieshang.activities.models import ActivityKind
from xieshang.activities.services import (
    ActivityInput,
    activity_kinds_install_defaults,
    activity_record,
)
from xieshang.conftest import Cast, make_user
from xieshang.core.errors import DomainError, Forbidden
from xieshang.people.models import Member
from xieshang.performance.models import (
    MemberYear,
    PointClass,
    PointRuleChange,
    RecordItem,
    RecordKind,
    RecordLine,
)
from xieshang.performance.services import (
    ItemInput,
    RuleInput,
    item_record,
    rule_set,
    scheme_create,
)
from xieshang.performance.tasks import recompute_all

PDF = b"%PDF-1.4\n%test\n%%EOF\n"


def _seat(cast: Cast) -> Member:
    return Member.objects.get(user=cast.member, committee=cast.tianhe)


def _activities(cast: Cast, n: int, *, workroom: bool = False) -> None:
    activity_kinds_install_defaults(committee=cast.tianhe)
    kind = ActivityKind.objects.filter(committee=cast.tianhe).first()
    assert kind is not None
    today = timezone.localdate()
    for i in range(n):
        activity_record(
            committee=cast.tianhe,
            data=ActivityInput(
                kind=kind,
                title=f"走访{i}",
                date=today,
                members=[_seat(cast)],
                workroom=cast.workroom if workroom else None,
            ),
            actor=cast.staff,
        )


def test_points_follow_records_rules_and_caps(cast: Cast) -> None:
    year = timezone.localdate().year
    _activities(cast, 12)
    scheme = scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    my = MemberYear.objects.get(member=_seat(cast), year=year)
    # 12 activities at 2 points, capped at 20 a year.
    assert my.total == 20 and my.base == 20
    lines = RecordLine.objects.filter(member_year=my, kind=RecordKind.ACTIVITY)
    assert lines.count() == 12
    assert lines.filter(capped=True).count() == 2
    assert all(line.source.startswith("activity:") for line in lines)

    rule_set(
        scheme=scheme,
        data=RuleInput(RecordKind.ACTIVITY, 3, None, PointClass.ADDITIONAL),
        actor=cast.staff,
    )
    my.refresh_from_db()
    assert (my.total, my.base, my.additional) == (36, 0, 36)
    change = PointRuleChange.objects.filter(scheme=scheme, kind=RecordKind.ACTIVITY).first()
    assert change is not None and change.before == {"points": 2, "cap": 20, "class": "base"}
    assert change.after == {"points": 3, "cap": None, "class": "additional"}


def test_bad_rules_are_refused_and_change_nothing(cast: Cast) -> None:
    scheme = scheme_create(committee=cast.tianhe, year=2025, actor=cast.staff)
    before = list(scheme.rules.values())
    with pytest.raises(DomainError, match="只有无故缺席"):
        rule_set(
            scheme=scheme,
            data=RuleInput(RecordKind.ACTIVITY, -3, None, PointClass.BASE),
            actor=cast.staff,
        )
    with pytest.raises(DomainError):
        scheme_create(committee=cast.tianhe, year=2025, actor=cast.staff)
    with pytest.raises(Forbidden):
        rule_set(
            scheme=scheme,
            data=RuleInput(RecordKind.ACTIVITY, 9, None, PointClass.BASE),
            actor=cast.outsider,
        )
    assert list(scheme.rules.values()) == before


def test_items_absence_deducts_but_never_below_zero(cast: Cast) -> None:
    year = timezone.localdate().year
    scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    day = date(year, 1, 1)
    item_record(
        committee=cast.tianhe,
        data=ItemInput(_seat(cast), RecordKind.OUTSIDE_WORK, "参加区人大视察", day, evidence=PDF),
        actor=cast.staff,
    )
    for title in ("常委会缺席", "全会缺席"):
        item_record(
            committee=cast.tianhe,
            data=ItemInput(_seat(cast), RecordKind.ABSENCE, title, day),
            actor=cast.staff,
        )
    my = MemberYear.objects.get(member=_seat(cast), year=year)
    assert my.total == 0
    assert sorted(my.lines.values_list("points", flat=True)) == [-2, 0, 2]

    with pytest.raises(DomainError, match="须附佐证"):
        item_record(
            committee=cast.tianhe,
            data=ItemInput(_seat(cast), RecordKind.OUTSIDE_WORK, "无证据", day),
            actor=cast.staff,
        )
    # Judged by content as every upload (core.uploads): an executable, any zip passed off
    # as Word, a PDF cut short before its end.
    for fake in (b"MZ..", b"PK\x03\x04 not a word file", b"%PDF-1.4\n%cut short"):
        with pytest.raises(DomainError, match="须为文档"):
            item_record(
                committee=cast.tianhe,
                data=ItemInput(_seat(cast), RecordKind.OUTSIDE_WORK, "假文件", day, evidence=fake),
                actor=cast.staff,
            )
    with pytest.raises(DomainError, match="已登记过"):
        item_record(
            committee=cast.tianhe,
            data=ItemInput(_seat(cast), RecordKind.ABSENCE, "全会缺席", day),
            actor=cast.staff,
        )
    other = Member.objects.create(user=make_user("h.m", "海珠委员"), committee=cast.haizhu)
    with pytest.raises(DomainError, match="本委员会的委员"):
        item_record(
            committee=cast.tianhe,
            data=ItemInput(other, RecordKind.LEAVE, "请假", day),
            actor=cast.staff,
        )
    assert RecordItem.objects.count() == 3


def test_recording_an_activity_moves_the_points_after_commit(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    year = timezone.localdate().year
    scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    assert MemberYear.objects.get(member=_seat(cast), year=year).total == 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _activities(cast, 3)
    # one recompute per committee, year and transaction (in January the past year too)
    assert len(callbacks) == (2 if timezone.localdate().month == 1 else 1)
    assert MemberYear.objects.get(member=_seat(cast), year=year).total == 6


def test_activity_kinds_become_research_consultation_or_training(cast: Cast) -> None:
    activity_kinds_install_defaults(committee=cast.tianhe)
    year = timezone.localdate().year
    for name in ("调研", "培训", "座谈/协商", "进社区"):
        activity_record(
            committee=cast.tianhe,
            data=ActivityInput(
                kind=ActivityKind.objects.get(committee=cast.tianhe, name=name),
                title=f"{name}活动",
                date=timezone.localdate(),
                members=[_seat(cast)],
                workroom=cast.workroom if name == "进社区" else None,
            ),
            actor=cast.staff,
        )
    scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    lines = dict(
        RecordLine.objects.filter(member_year__member=_seat(cast)).values_list("title", "kind")
    )
    assert lines == {
        "调研活动": RecordKind.RESEARCH,
        "培训活动": RecordKind.TRAINING,
        "座谈/协商活动": RecordKind.CONSULTATION,
        "进社区活动": RecordKind.WORKROOM_ACTIVITY,
    }
    assert MemberYear.objects.get(member=_seat(cast), year=year).total == 3 + 1 + 2 + 2


def test_the_nightly_task_recomputes_committees_with_a_scheme(cast: Cast) -> None:
    year = timezone.localdate().year
    scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    _activities(cast, 2)  # no commit in this test: only the nightly job counts them
    assert MemberYear.objects.get(member=_seat(cast), year=year).total == 0
    assert recompute_all() == 1
    assert MemberYear.objects.get(member=_seat(cast), year=year).total == 4
