"""Key proposals (重点提案): the office nominates, the chairs' meeting decides and names the
supervising leaders, the office and leaders log supervision (督办) on the board; excellent
proposals (优秀提案) by year; the admin of the proposals' reference data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from xieshang.conftest import make_user
from xieshang.core.errors import Conflict, DomainError, Forbidden
from xieshang.core.models import Event
from xieshang.people.models import LeaderPosition, LeaderTitle
from xieshang.proposals.models import (
    ExcellentProposal,
    KeyProposal,
    KeyStatus,
    ProposalStatus,
    SupervisionActivity,
    SupervisionKind,
)
from xieshang.proposals.selectors.office import excellent_list, key_board
from xieshang.proposals.services.office import (
    excellent_select,
    key_decide,
    key_nominate,
    proposal_accept,
    supervision_record,
)
from xieshang.proposals.tests import test_office as base
from xieshang.proposals.tests.test_office import Office, assigned, login, proposal, status_of

pytestmark = pytest.mark.django_db

o = base.o


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def secretary(o: Office) -> Any:
    """The district Party secretary: supervises, but the chairs' meeting decides."""
    user = make_user("t.secretary", "天河区委书记")
    LeaderPosition.objects.create(
        user=user, committee=o.cast.tianhe, title=LeaderTitle.PARTY_SECRETARY
    )
    return user


def nominated(o: Office) -> KeyProposal:
    p, _ = assigned(o)
    return key_nominate(proposal=p, actor=o.office, reason="群众关注度高，涉及面广")


def chosen(o: Office, secretary: Any) -> KeyProposal:
    key = nominated(o)
    key_decide(
        key=key,
        actor=o.cast.leader,
        chosen=True,
        supervisors=list(LeaderPosition.objects.filter(committee=o.cast.tianhe)),
    )
    return key


def test_the_office_nominates_an_accepted_proposal_once(o: Office) -> None:
    p = proposal(o)
    with pytest.raises(Conflict):
        key_nominate(proposal=p, actor=o.office, reason="重要")
    proposal_accept(proposal=p, actor=o.office)
    for actor in (o.coordinator, o.cast.member, o.cast.leader, o.cast.outsider):
        with pytest.raises(Forbidden):
            key_nominate(proposal=p, actor=actor, reason="重要")
    with pytest.raises(DomainError):
        key_nominate(proposal=p, actor=o.office, reason=" ")
    key = key_nominate(proposal=p, actor=o.office, reason="群众关注度高")
    assert (key.status, key.committee_id, key.nominated_by) == (
        KeyStatus.NOMINATED,
        o.cast.tianhe.pk,
        o.office,
    )
    with pytest.raises(Conflict, match="already"):
        key_nominate(proposal=p, actor=o.office, reason="再次")
    assert KeyProposal.objects.count() == 1
    assert Event.objects.for_object(p).filter(action="nominate_key").count() == 1


def test_the_chairs_meeting_decides_and_names_supervisors(o: Office, secretary: Any) -> None:
    key = nominated(o)
    leaders = list(LeaderPosition.objects.filter(committee=o.cast.tianhe))
    for actor in (secretary, o.office, o.cast.staff, o.cast.member):
        with pytest.raises(Forbidden):
            key_decide(key=key, actor=actor, chosen=True, supervisors=leaders)
    with pytest.raises(DomainError, match="supervising leader"):
        key_decide(key=key, actor=o.cast.leader, chosen=True, supervisors=[])
    haizhu_leader = LeaderPosition.objects.create(
        user=make_user("h.leader", "海珠主席"),
        committee=o.cast.haizhu,
        title=LeaderTitle.CPPCC_CHAIR,
    )
    with pytest.raises(DomainError, match="same committee"):
        key_decide(key=key, actor=o.cast.leader, chosen=True, supervisors=[haizhu_leader])
    assert status_of(key) == KeyStatus.NOMINATED
    key_decide(key=key, actor=o.cast.leader, chosen=True, supervisors=leaders)
    key.refresh_from_db()
    assert key.status == KeyStatus.CHOSEN
    assert set(key.supervisors.all()) == set(leaders)
    decided = Event.objects.for_object(key.proposal).get(action="key_decided")
    assert decided.is_public and "天河区委书记" in decided.note
    with pytest.raises(Conflict):
        key_decide(key=key, actor=o.cast.leader, chosen=False)


def test_a_declined_nomination_is_not_supervised(o: Office) -> None:
    key = nominated(o)
    LeaderPosition.objects.create(
        user=make_user("t.chairs", "主席会议"),
        committee=o.cast.tianhe,
        title=LeaderTitle.CHAIRS_MEETING,
    )
    chairs = LeaderPosition.objects.get(title=LeaderTitle.CHAIRS_MEETING).user
    key_decide(key=key, actor=chairs, chosen=False, note="本年度重点提案已满")
    assert status_of(key) == KeyStatus.DECLINED
    assert not Event.objects.for_object(key.proposal).get(action="key_decided").is_public
    with pytest.raises(Conflict, match="chosen"):
        supervision_record(
            key=key,
            actor=o.office,
            kind=SupervisionKind.VISIT,
            happened_on=timezone.localdate(),
            participants="主席会议成员",
            agreed="年内完成",
        )


def test_supervision_is_logged_by_the_office_and_leaders(o: Office, secretary: Any) -> None:
    key = chosen(o, secretary)
    today = timezone.localdate()
    args: dict[str, Any] = {
        "kind": SupervisionKind.SYMPOSIUM,
        "happened_on": today,
        "participants": "区委书记、住建局局长、提案人",
        "agreed": "年内完成20台电梯加装",
    }
    for actor in (o.coordinator, o.cast.member, o.cast.clerk, o.cast.outsider):
        with pytest.raises(Forbidden):
            supervision_record(key=key, actor=actor, **args)
    with pytest.raises(DomainError):
        supervision_record(key=key, actor=secretary, **{**args, "kind": "party"})
    with pytest.raises(DomainError):
        supervision_record(
            key=key, actor=secretary, **{**args, "happened_on": today + timedelta(days=1)}
        )
    supervision_record(key=key, actor=secretary, **args)
    supervision_record(key=key, actor=o.office, **{**args, "kind": SupervisionKind.INSPECTION})
    assert SupervisionActivity.objects.filter(key=key).count() == 2
    assert Event.objects.for_object(key.proposal).filter(action="supervise").count() == 2


@pytest.mark.parametrize(
    ("who", "board", "detail"),
    [
        ("office", 200, 200),
        ("coordinator", 200, 200),
        ("leader", 200, 200),
        ("member", 403, 403),
        ("clerk", 403, 403),
        ("outsider", 200, 404),
    ],
)
def test_the_supervision_board_per_role(
    o: Office, secretary: Any, who: str, board: int, detail: int
) -> None:
    key = chosen(o, secretary)
    user = {"office": o.office, "coordinator": o.coordinator}.get(who) or getattr(o.cast, who)
    client = login(Client(), user)
    page = client.get(reverse("proposals:key_board"))
    assert page.status_code == board
    if board == 200:
        assert (key.proposal.title in page.content.decode()) == (who != "outsider")
    assert client.get(reverse("proposals:key_detail", args=[key.pk])).status_code == detail
    assert list(key_board(user=o.cast.outsider)) == []


def test_decide_and_log_through_the_pages(o: Office, secretary: Any) -> None:
    key = nominated(o)
    leader_ids = list(LeaderPosition.objects.values_list("pk", flat=True))
    decide = reverse("proposals:key_decide", args=[key.pk])
    data = {"decision": "choose", "supervisors": leader_ids, "expected_state": KeyStatus.NOMINATED}
    assert login(Client(), secretary).post(decide, data).status_code == 403
    assert login(Client(), o.office).post(decide, data).status_code == 403
    assert login(Client(), o.cast.member).post(decide, data).status_code == 403
    assert login(Client(), o.cast.outsider).post(decide, data).status_code == 404
    client = login(Client(), o.cast.leader)
    page = client.get(reverse("proposals:key_detail", args=[key.pk]))
    assert page.context["may_decide"] and not page.context["may_supervise"]
    assert client.post(decide, {**data, "supervisors": []}).status_code == 400
    assert client.post(decide, data).status_code == 302
    assert status_of(key) == KeyStatus.CHOSEN
    assert client.post(decide, data).status_code == 409  # the stale page
    activity = reverse("proposals:key_activity", args=[key.pk])
    entry = {
        "kind": SupervisionKind.VISIT,
        "happened_on": timezone.localdate().isoformat(),
        "participants": "政协主席、提案人",
        "agreed": "实地查看三个小区",
    }
    assert login(Client(), o.coordinator).post(activity, entry).status_code == 403
    assert login(Client(), secretary).post(activity, entry).status_code == 302
    assert client.post(activity, {**entry, "agreed": ""}).status_code == 400
    assert SupervisionActivity.objects.filter(key=key).count() == 1
    board = login(Client(), secretary).get(reverse("proposals:key_board")).content.decode()
    assert "天河区住房和城乡建设局" in board


# --- 优秀提案 ------------------------------------------------------------------------------


def test_excellent_proposals_are_selected_once_a_year(o: Office) -> None:
    p = proposal(o)
    year = timezone.localdate().year
    with pytest.raises(Conflict):
        excellent_select(proposal=p, actor=o.office, year=year, reason="调研扎实")
    proposal_accept(proposal=p, actor=o.office)
    for actor in (o.coordinator, o.cast.leader, o.cast.member, o.cast.outsider):
        with pytest.raises(Forbidden):
            excellent_select(proposal=p, actor=actor, year=year, reason="调研扎实")
    with pytest.raises(DomainError):
        excellent_select(proposal=p, actor=o.office, year=year + 1, reason="调研扎实")
    award = excellent_select(proposal=p, actor=o.office, year=year, reason="调研扎实，建议可行")
    with pytest.raises(Conflict):
        excellent_select(proposal=p, actor=o.office, year=year, reason="再选一次")
    assert ExcellentProposal.objects.count() == 1
    assert list(excellent_list(user=o.coordinator, year=year)) == [award]
    assert list(excellent_list(user=o.cast.outsider)) == []
    assert Event.objects.for_object(p).get(action="excellent").is_public


def test_nominate_and_select_through_the_pages(o: Office) -> None:
    p = proposal(o)
    proposal_accept(proposal=p, actor=o.office)
    act = reverse("proposals:review_act", args=[p.pk])
    client = login(Client(), o.office)
    page = client.get(reverse("proposals:review_detail", args=[p.pk]))
    assert page.context["can_nominate"] and page.context["can_select_excellent"]
    assert client.post(act, {"action": "nominate_key", "reason": "社会关注度高"}).status_code == 302
    assert KeyProposal.objects.filter(proposal=p, status=KeyStatus.NOMINATED).exists()
    year = timezone.localdate().year
    data = {"action": "excellent", "year": year, "reason": "建议被采纳落实"}
    assert login(Client(), o.coordinator).post(act, data).status_code == 403
    assert client.post(act, data).status_code == 302
    assert client.post(act, data).status_code == 409
    page = client.get(reverse("proposals:excellent"), {"year": year})
    assert p.title in page.content.decode()
    assert client.post(act, {"action": "nonsense"}).status_code == 400
    assert status_of(p) == ProposalStatus.ACCEPTED


# --- Admin -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "categories", "change_proposal"),
    [("office", 200, 403), ("coordinator", 403, 403), ("superuser", 200, 403)],
)
def test_the_office_keeps_the_reference_data_in_the_admin(
    o: Office, who: str, categories: int, change_proposal: int
) -> None:
    p = proposal(o)
    user = {"office": o.office, "coordinator": o.coordinator}.get(who) or getattr(o.cast, who)
    client = login(Client(), user)
    assert client.get(reverse("admin:proposals_proposalcategory_changelist")).status_code == (
        categories
    )
    assert client.get(reverse("admin:proposals_proposalpolicy_add")).status_code == categories
    assert client.post(
        reverse("admin:proposals_proposal_change", args=[p.pk]), {"title": "改"}
    ).status_code in (change_proposal, 302 if change_proposal == 200 else change_proposal)
    p.refresh_from_db()
    assert p.title != "改"
