"""Plenary, standing and chairs' meetings: staff record a meeting and each member's
attendance (谁组织谁记录); points follow exactly from the attendance and the scheme's 请假
rules; bad input changes nothing; research groups are records too; schemes set up before
the new kinds get their default rules once; staff are told once who is below the pro-rata
baseline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from xieshang.conftest import Cast, make_user
from xieshang.consultations.models import Meeting, MeetingKind, TopicKind
from xieshang.consultations.models import Topic as ConsultationTopic
from xieshang.consultations.selectors import sign_in_token
from xieshang.consultations.services import meeting_sign_in
from xieshang.core.errors import DomainError, Forbidden
from xieshang.core.models import Event
from xieshang.opinions.models import Item, ItemStatus, OpinionAction
from xieshang.opinions.services import item_transition
from xieshang.people.models import Member, MemberRole
from xieshang.performance.models import (
    AttendanceStatus,
    BaselineReminder,
    CommitteeSession,
    MemberYear,
    PerformanceAction,
    PointRule,
    PointRuleChange,
    PointScheme,
    RecordKind,
    RecordLine,
    SessionAttendance,
    SessionKind,
)
from xieshang.performance.services import (
    AttendanceInput,
    RuleInput,
    SessionInput,
    attendance_change,
    attendance_record,
    below_baseline_remind_due,
    pro_rata,
    rule_remove,
    rule_set,
    scheme_complete,
    scheme_create,
    session_create,
)
from xieshang.performance.tasks import recompute_all
from xieshang.research.models import Report, ReportStatus, Topic

pytestmark = pytest.mark.django_db


def _seats(cast: Cast, n: int) -> list[Member]:
    seat = Member.objects.get(user=cast.member, committee=cast.tianhe)
    others = [
        Member.objects.create(
            user=make_user(f"tianhe.m{i}", f"委员{i}"),
            committee=cast.tianhe,
            role=MemberRole.STANDING,
        )
        for i in range(n - 1)
    ]
    return [seat, *others]


def _total(seat: Member, year: int) -> int:
    return MemberYear.objects.get(member=seat, year=year).total


def _day(year: int) -> date:
    return min(timezone.localdate(), date(year, 1, 20))


def test_attendance_becomes_points_by_the_leave_rules(cast: Cast) -> None:
    year = timezone.localdate().year
    scheme = scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    a, b, c, d = _seats(cast, 4)
    plenary = session_create(
        committee=cast.tianhe,
        data=SessionInput(SessionKind.PLENARY, _day(year), "区政协全体会议第一次会议"),
        actor=cast.staff,
    )
    attendance_record(
        session=plenary,
        entries=[
            AttendanceInput(a, AttendanceStatus.PRESENT),
            AttendanceInput(b, AttendanceStatus.LEAVE, "出差"),
            AttendanceInput(c, AttendanceStatus.EXCUSED, "公务"),
            AttendanceInput(d, AttendanceStatus.ABSENT),
        ],
        actor=cast.staff,
    )
    # defaults: plenary 5, leave 0, excused 1, absence -2 (never below zero)
    assert [_total(s, year) for s in (a, b, c, d)] == [5, 0, 1, 0]
    line = RecordLine.objects.get(member_year__member=b)
    assert (line.kind, line.source, line.title) == (
        RecordKind.LEAVE,
        f"session:{plenary.pk}",
        "区政协全体会议第一次会议",
    )
    standing = [
        session_create(
            committee=cast.tianhe,
            data=SessionInput(SessionKind.STANDING, _day(year), f"常委会议第{i}次"),
            actor=cast.staff,
        )
        for i in range(1, 8)
    ]
    for session in standing:
        attendance_record(
            session=session,
            entries=[AttendanceInput(a, AttendanceStatus.ABSENT)],
            actor=cast.staff,
        )
    # seven absences at -2 would be -14: the cap deducts 10 at most; 5 - 10 stops at 0
    assert _total(a, year) == 0
    rule_set(
        scheme=scheme,
        data=RuleInput(RecordKind.LEAVE, 2, None, "base"),
        actor=cast.staff,
    )
    rule_set(
        scheme=scheme,
        data=RuleInput(RecordKind.ABSENCE, -1, 3, "base"),
        actor=cast.staff,
    )
    for session in standing[:3]:
        attendance_change(
            attendance=SessionAttendance.objects.get(session=session, member=a),
            status=AttendanceStatus.PRESENT,
            reason="",
            actor=cast.staff,
        )
    # a: plenary 5 + three standing at 3 = 14, four absences at -1 capped at 3 → 11
    assert _total(a, year) == 11
    assert _total(b, year) == 2  # leave now counts 2: the partial 请假 rule
    lines = RecordLine.objects.filter(member_year__member=a, kind=RecordKind.ABSENCE)
    assert sorted(lines.values_list("points", "capped")) == [
        (-1, False),
        (-1, False),
        (-1, False),
        (0, True),
    ]
    assert Event.objects.filter(action=PerformanceAction.ATTENDANCE_CHANGE).count() == 3
    assert Event.objects.filter(action=PerformanceAction.ATTENDANCE_RECORD).count() == 11


def test_bad_attendance_changes_nothing(cast: Cast) -> None:
    year = timezone.localdate().year
    scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    a, b = _seats(cast, 2)
    session = session_create(
        committee=cast.tianhe,
        data=SessionInput(SessionKind.CHAIRS, _day(year), "主席会议"),
        actor=cast.staff,
    )
    attendance_record(
        session=session, entries=[AttendanceInput(a, AttendanceStatus.PRESENT)], actor=cast.staff
    )
    events = Event.objects.count()
    other = Member.objects.create(user=make_user("h.x", "海珠委员"), committee=cast.haizhu)
    cases = [
        ([AttendanceInput(b, "present"), AttendanceInput(b, "leave", "病假")], "两次"),
        ([AttendanceInput(b, "present"), AttendanceInput(a, "present")], "已经登记"),
        ([AttendanceInput(other, "present")], "本委员会的委员"),
        ([AttendanceInput(b, "leave", "  ")], "请假事由"),
        ([AttendanceInput(b, "asleep")], "出席"),
    ]
    for entries, message in cases:
        with pytest.raises(DomainError, match=message):
            attendance_record(session=session, entries=entries, actor=cast.staff)
    with pytest.raises(DomainError, match="已经登记"):
        session_create(
            committee=cast.tianhe,
            data=SessionInput(SessionKind.CHAIRS, _day(year), "主席会议"),
            actor=cast.staff,
        )
    with pytest.raises(DomainError, match="未来"):
        session_create(
            committee=cast.tianhe,
            data=SessionInput(
                SessionKind.CHAIRS, timezone.localdate() + timedelta(days=1), "明天的会"
            ),
            actor=cast.staff,
        )
    with pytest.raises(Forbidden):  # another committee's staff
        attendance_record(
            session=session, entries=[AttendanceInput(b, "present")], actor=cast.outsider
        )
    with pytest.raises(DomainError, match="负"):
        rule_set(
            scheme=PointScheme.objects.get(committee=cast.tianhe, year=year),
            data=RuleInput(RecordKind.LEAVE, -1, None, "base"),
            actor=cast.staff,
        )
    assert SessionAttendance.objects.count() == 1
    assert Event.objects.count() == events
    assert _total(a, year) == 2


def test_research_group_members_get_record_lines(cast: Cast) -> None:
    year = timezone.localdate().year
    a, b = _seats(cast, 2)
    topic = Topic.objects.create(
        committee=cast.tianhe,
        year=year,
        title="老旧小区改造调研",
        lead="主席",
        created_by=cast.staff,
    )
    topic.members.add(a, b)
    Report.objects.create(
        topic=topic,
        committee=cast.tianhe,
        title="老旧小区改造调研报告",
        text="报告",
        status=ReportStatus.ADOPTED,
        adopted_at=timezone.now(),
        created_by=cast.staff,
    )
    scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    kinds = sorted(RecordLine.objects.filter(member_year__member=b).values_list("kind", "points"))
    assert kinds == [(RecordKind.RESEARCH_GROUP, 3), (RecordKind.RESEARCH_REPORT, 3)]
    assert _total(a, year) == 6


def test_old_schemes_get_the_new_kinds_once_with_history(cast: Cast) -> None:
    year = timezone.localdate().year
    scheme = scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    # as if set up before the meetings existed: no plenary rule, no history of it
    PointRule.objects.filter(scheme=scheme, kind=RecordKind.PLENARY_ATTENDED).delete()
    PointRuleChange.objects.filter(scheme=scheme, kind=RecordKind.PLENARY_ATTENDED).delete()
    rule_remove(scheme=scheme, kind=RecordKind.CHAIRS_ATTENDED, actor=cast.staff)  # staff's choice
    recompute_all()  # the nightly job completes it
    assert PointRule.objects.get(scheme=scheme, kind=RecordKind.PLENARY_ATTENDED).points == 5
    assert not PointRule.objects.filter(scheme=scheme, kind=RecordKind.CHAIRS_ATTENDED).exists()
    change = PointRuleChange.objects.filter(scheme=scheme, kind=RecordKind.PLENARY_ATTENDED).get()
    assert change.before is None and change.after == {"points": 5, "cap": None, "class": "base"}
    assert Event.objects.filter(action=PerformanceAction.SCHEME_COMPLETE).count() == 1
    assert scheme_complete(scheme=scheme) == []
    assert Event.objects.filter(action=PerformanceAction.SCHEME_COMPLETE).count() == 1
    # next year's scheme copies this one and leaves the removed kind out
    following = scheme_create(committee=cast.tianhe, year=year + 1, actor=cast.staff)
    assert not following.rules.filter(kind=RecordKind.CHAIRS_ATTENDED).exists()
    assert following.rules.filter(kind=RecordKind.PLENARY_ATTENDED).exists()


@override_settings(PERFORMANCE_CHECKPOINTS=["03-31", "06-30"])
def test_staff_are_told_once_who_is_below_the_pro_rata_baseline(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    year = timezone.localdate().year
    scheme = scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    a, b = _seats(cast, 2)
    cast.staff.email = "staff@tianhe.example"
    cast.staff.save()
    assert pro_rata(20, date(2026, 6, 30)) == 10  # 181 of 365 days: 9.9 → 10
    session = session_create(
        committee=cast.tianhe,
        data=SessionInput(SessionKind.PLENARY, date(year, 1, 10), "全体会议"),
        actor=cast.staff,
    )
    attendance_record(
        session=session, entries=[AttendanceInput(a, AttendanceStatus.PRESENT)], actor=cast.staff
    )
    PointScheme.objects.filter(pk=scheme.pk).update(baseline=20)
    assert below_baseline_remind_due(today=date(year, 3, 30)) == 0  # no checkpoint yet
    with django_capture_on_commit_callbacks(execute=True):
        assert below_baseline_remind_due(today=date(year, 4, 2)) == 1
    reminder = BaselineReminder.objects.get()
    assert (reminder.checkpoint, reminder.due) == (date(year, 3, 31), 5)
    assert reminder.members == [b.pk]  # a has 5 points: on course
    assert len(mail.outbox) == 1
    assert mail.outbox[0].body.endswith("\n委员0：0")
    assert below_baseline_remind_due(today=date(year, 4, 3)) == 0  # once
    assert len(mail.outbox) == 1
    assert below_baseline_remind_due(today=date(year, 7, 1)) == 1  # the next checkpoint
    assert sorted(BaselineReminder.objects.get(checkpoint=date(year, 6, 30)).members) == sorted(
        [a.pk, b.pk]
    )
    assert Event.objects.filter(action=PerformanceAction.BELOW_BASELINE).count() == 2


def test_recording_attendance_moves_points_without_the_nightly_job(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    year = timezone.localdate().year
    scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    (a,) = _seats(cast, 1)
    with django_capture_on_commit_callbacks(execute=True):
        session = session_create(
            committee=cast.tianhe,
            data=SessionInput(SessionKind.STANDING, _day(year), "常委会议"),
            actor=cast.staff,
        )
        attendance_record(
            session=session,
            entries=[AttendanceInput(a, AttendanceStatus.PRESENT)],
            actor=cast.staff,
        )
    assert _total(a, year) == 3


@pytest.mark.parametrize("step", ["sign_in", "adopt"])
def test_a_consultation_sign_in_or_an_adopted_item_moves_points_after_commit(
    cast: Cast, django_capture_on_commit_callbacks: Any, step: str
) -> None:
    year = timezone.localdate().year
    scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    (seat,) = _seats(cast, 1)
    topic = ConsultationTopic.objects.create(
        committee=cast.tianhe,
        year=year,
        title="加装电梯协商",
        kind=TopicKind.THEMATIC,
        created_by=cast.staff,
    )
    meeting = Meeting.objects.create(
        topic=topic,
        kind=MeetingKind.values[0],
        date=timezone.localdate(),
        place="会议室",
        created_by=cast.staff,
    )
    item = Item.objects.create(
        committee=cast.tianhe,
        author=seat,
        title="关于加装电梯资金的建议",
        situation="情况",
        suggestion="建议",
        status=ItemStatus.SUBMITTED,
        created_by=cast.member,
    )
    assert _total(seat, year) == 0  # made behind the services' back: not yet counted
    # (one step per test: the callbacks of a test's one transaction are never cleared)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        if step == "sign_in":
            meeting_sign_in(token=sign_in_token(meeting=meeting), user=cast.member)
        else:
            item_transition(actor=cast.staff, item=item, action=OpinionAction.ADOPT)
    assert callbacks
    # the item handed in (1) is read now too, with the sign-in (2) or the adoption (3)
    assert _total(seat, year) == 1 + (2 if step == "sign_in" else 3)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_staff_record_a_meeting_and_its_attendance_through_the_pages(cast: Cast) -> None:
    year = timezone.localdate().year
    scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    a, b = _seats(cast, 2)
    staff = _client(cast.staff)
    response = staff.post(
        reverse("performance:sessions"),
        {
            "committee": cast.tianhe.pk,
            "kind": SessionKind.STANDING,
            "date": _day(year).isoformat(),
            "title": "常委会议第一次会议",
        },
    )
    session = CommitteeSession.objects.get(title="常委会议第一次会议")
    url = reverse("performance:session", args=[session.pk])
    assert response.status_code == 302 and response["Location"] == url
    page = staff.get(url).content.decode()
    assert page.count('name="member"') == 2  # both serving members, to record at once
    # a standing meeting: the standing member first, as present; the other member with —
    assert page.count('value="present" selected') == 1
    assert page.index(f'value="{b.pk}"') < page.index(f'value="{a.pk}"')
    # a member named twice: refused in Chinese, nothing stored
    twice = {"member": [a.pk, a.pk], "status": ["present", "leave"], "reason": ["", "病假"]}
    response = staff.post(url, twice)
    assert response.status_code == 400 and "两次" in response.content.decode()
    assert not SessionAttendance.objects.exists()
    both = {"member": [a.pk, b.pk], "status": ["present", "leave"], "reason": ["", "病假"]}
    assert staff.post(reverse("performance:session", args=[session.pk]), both).status_code == 302
    assert _total(a, year) == 3 and _total(b, year) == 0
    attendance = SessionAttendance.objects.get(member=b)
    response = staff.post(
        reverse("performance:attendance_change", args=[attendance.pk]),
        {"status": "present", "reason": ""},
    )
    assert response.status_code == 302 and _total(b, year) == 3
    # The meeting's page shows its timeline: recorded, attendance recorded, then changed.
    actions = [entry.event.action for entry in staff.get(url).context["timeline"]]
    assert actions[0] == "session_create" and actions[-1] == "attendance_change"
    assert set(actions[1:-1]) == {"attendance_record"}
    listing = staff.get(reverse("performance:sessions"), {"committee": cast.tianhe.pk}).content
    assert "常委会议第一次会议" in listing.decode()
    # another committee's staff and the members do not see it
    assert (
        _client(cast.outsider).get(reverse("performance:session", args=[session.pk])).status_code
        == 404
    )
    assert (
        _client(cast.member).get(reverse("performance:session", args=[session.pk])).status_code
        == 403
    )


@override_settings(PERFORMANCE_CHECKPOINTS=["01-01"])
def test_my_work_counts_the_members_below_the_baseline_and_lists_them(cast: Cast) -> None:
    year = timezone.localdate().year
    scheme = scheme_create(committee=cast.tianhe, year=year, actor=cast.staff)
    PointScheme.objects.filter(pk=scheme.pk).update(baseline=365)  # one point a day
    _seats(cast, 2)
    staff = _client(cast.staff)
    assert "below-baseline-count" not in staff.get(reverse("workspace:home")).content.decode()
    assert below_baseline_remind_due() == 1
    home = staff.get(reverse("workspace:home")).content.decode()
    assert 'id="below-baseline-count">2<' in home
    below = staff.get(reverse("performance:below")).content.decode()
    assert "委员0" in below and "天河委员" in below
    assert (
        "below-baseline-count"
        not in _client(cast.outsider).get(reverse("workspace:home")).content.decode()
    )


@override_settings(PERFORMANCE_CHECKPOINTS=["01-01"])
def test_whoever_works_for_two_committees_sees_both_lists(cast: Cast) -> None:
    year = timezone.localdate().year
    for committee in (cast.tianhe, cast.haizhu):
        scheme = scheme_create(committee=committee, year=year, actor=cast.superuser)
        PointScheme.objects.filter(pk=scheme.pk).update(baseline=365)
    Member.objects.create(user=make_user("h.m1", "海珠委员甲"), committee=cast.haizhu)
    assert below_baseline_remind_due() == 2
    admin = _client(cast.superuser)
    home = admin.get(reverse("workspace:home")).content.decode()
    total = sum(len(r.members) for r in BaselineReminder.objects.all())
    assert f'id="below-baseline-count">{total}<' in home
    below = admin.get(reverse("performance:below")).content.decode()
    assert "海珠委员甲" in below and "天河委员" in below
    only_haizhu = admin.get(reverse("performance:below"), {"committee": cast.haizhu.pk})
    assert "天河委员" not in only_haizhu.content.decode()
