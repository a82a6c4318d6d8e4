"""The department's handling of a proposal and the proposers' ratings, through the
services: sign-for, return requests, notes, 会签, the reply and its approval, the
proposal replied, and every refusal leaving nothing changed.

Assignments are made with the ORM for a proposal put in the "assigned" state with a
queryset `.update` (the office's services are tested on their own)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from docx import Document
from PIL import Image

from xieshang.conftest import Cast, make_user
from xieshang.core.errors import Conflict, DomainError, Forbidden, TransitionNotAllowed
from xieshang.core.models import ActorKind, Event
from xieshang.people.models import Department, DepartmentClerk, Member, User
from xieshang.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    ContactStage,
    CoOpinion,
    CoSigner,
    CoSignerStatus,
    Grade,
    GradeWording,
    ProgressNote,
    Proposal,
    ProposalCategory,
    ProposalRating,
    ProposalStatus,
    Reply,
    ReplyStatus,
    Satisfaction,
)
from xieshang.proposals.selectors.handling import (
    grade_choices,
    proposals_dissatisfied,
    proposals_to_rate,
)
from xieshang.proposals.services import handling as services

A = AssignmentStatus
P = ProposalStatus


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


# --- Letters -----------------------------------------------------------------------------


def pdf(name: str = "letter.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def docx(name: str = "letter.docx") -> SimpleUploadedFile:
    document = Document()
    document.add_paragraph("关于第2026001号提案的答复")
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/msword")


def png(name: str = "scan.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (250, 250, 250)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- The cast of a handled proposal -------------------------------------------------------


@dataclass
class World:
    cast: Cast
    proposal: Proposal
    lead: Assignment  # cast.department (天河 住建局), the lead
    co: Assignment  # 天河 交通局, the co-handler
    head: User  # head of cast.department
    co_clerk: User  # clerk of the co-handler
    co_head: User
    cosigner: User  # a confirmed co-signer
    invited: User  # invited, never confirmed
    other_member: User
    haizhu_clerk: User
    haizhu_department: Department


def assigned_proposal(cast: Cast, title: str = "关于加快老旧小区加装电梯的建议") -> Proposal:
    category, _ = ProposalCategory.objects.get_or_create(committee=cast.tianhe, name="城市建设管理")
    proposal = Proposal.objects.create(
        committee=cast.tianhe,
        title=title,
        analysis="老旧小区多为七层以下步梯楼，老人出行困难。",
        recommendations="一、简化审批；二、加大补贴。",
        category=category,
        lead=Member.objects.get(user=cast.member, committee=cast.tianhe),
        created_by=cast.member,
    )
    count = Proposal.objects.filter(number__isnull=False).count()
    Proposal.objects.filter(pk=proposal.pk).update(
        status=P.ASSIGNED,
        number=f"2026{count + 1:03d}",
        year=2026,
        sequence=count + 1,
        submitted_at=timezone.now(),
        accepted_at=timezone.now(),
        deadline=timezone.now() + timedelta(days=90),
    )
    proposal.refresh_from_db()
    return proposal


def assign(proposal: Proposal, department: Department, role: str, *, round_: int = 1) -> Assignment:
    now = timezone.now()
    return Assignment.objects.create(
        committee_id=proposal.committee_id,
        proposal=proposal,
        department=department,
        role=role,
        round=round_,
        deadline=now + timedelta(days=90),
        return_by=now + timedelta(days=10),
        assigned_at=now,
    )


def clerk_of(department: Department, username: str, name: str, *, head: bool = False) -> User:
    user = make_user(username, name, email=f"{username}@example.cn")
    DepartmentClerk.objects.create(user=user, department=department, is_head=head)
    return user


def member_of(cast: Cast, username: str, name: str) -> User:
    user = make_user(username, name)
    Member.objects.create(user=user, committee=cast.tianhe)
    return user


def build_world(cast: Cast) -> World:
    proposal = assigned_proposal(cast)
    co_department = Department.objects.create(committee=cast.tianhe, name="天河区交通运输局")
    haizhu_department = Department.objects.create(committee=cast.haizhu, name="海珠区住建局")
    cosigner = member_of(cast, "t.cosigner", "联名委员")
    invited = member_of(cast, "t.invited", "受邀委员")
    for user, status in ((cosigner, CoSignerStatus.CONFIRMED), (invited, CoSignerStatus.INVITED)):
        CoSigner.objects.create(
            proposal=proposal,
            member=Member.objects.get(user=user),
            status=status,
            deadline=timezone.now(),
        )
    return World(
        cast=cast,
        proposal=proposal,
        lead=assign(proposal, cast.department, AssignmentRole.LEAD),
        co=assign(proposal, co_department, AssignmentRole.CO),
        head=clerk_of(cast.department, "t.head", "住建局局长", head=True),
        co_clerk=clerk_of(co_department, "t.coclerk", "交通局承办人"),
        co_head=clerk_of(co_department, "t.cohead", "交通局局长", head=True),
        cosigner=cosigner,
        invited=invited,
        other_member=member_of(cast, "t.other", "其他委员"),
        haizhu_clerk=clerk_of(haizhu_department, "h.clerk", "海珠承办人"),
        haizhu_department=haizhu_department,
    )


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


def fresh(obj: Any) -> Any:
    obj.refresh_from_db()
    return obj


def events(obj: Any) -> list[str]:
    return list(Event.objects.for_object(obj).values_list("action", flat=True))


def reply_ready(w: World) -> Reply:
    """Sign for both, the co-handler gives its opinion, the lead drafts the reply."""
    services.assignment_sign(assignment=w.lead, actor=w.cast.clerk)
    services.assignment_sign(assignment=w.co, actor=w.co_clerk)
    services.coopinion_give(assignment=w.co, actor=w.co_clerk, text="同意主办单位意见。")
    return services.reply_draft(
        assignment=w.lead, actor=w.cast.clerk, text="已列入年度计划。", grade=Grade.B, letter=pdf()
    )


def replied(w: World) -> Reply:
    reply_ready(w)
    return services.reply_approve(assignment=w.lead, actor=w.head)


# --- The whole flow ----------------------------------------------------------------------


def test_it_carries_a_proposal_from_sign_for_to_the_ratings(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    w, cast = world, world.cast
    cast.member.email = "member@example.cn"
    cast.member.save()

    services.assignment_sign(assignment=w.lead, actor=cast.clerk, expected_state=A.ASSIGNED)
    assert fresh(w.lead).status == A.SIGNED and w.lead.signed_at is not None
    assert fresh(w.proposal).status == P.HANDLING
    start = Event.objects.for_object(w.proposal).get(action="start")
    assert start.actor_kind == ActorKind.SYSTEM and start.is_public

    services.assignment_sign(assignment=w.co, actor=w.co_clerk, expected_state=A.ASSIGNED)
    note = services.progress_note_add(
        assignment=w.lead,
        actor=cast.clerk,
        stage=ContactStage.BEFORE,
        text="电话联系提案人，了解诉求。",
        happened_on=timezone.localdate() - timedelta(days=1),
    )
    services.progress_note_add(
        assignment=w.lead, actor=cast.clerk, stage=ContactStage.DURING, text="现场调研三个小区。"
    )
    assert note.created_by == cast.clerk
    assert ProgressNote.objects.filter(assignment=w.lead).count() == 2
    assert events(w.lead).count("note") == 2

    opinion = services.coopinion_give(
        assignment=w.co, actor=w.co_clerk, text="配合做好交通疏导。", expected_state=A.SIGNED
    )
    assert opinion.assignment == w.co and fresh(w.co).status == A.REPLIED

    reply = services.reply_draft(
        assignment=w.lead,
        actor=cast.clerk,
        text="已将加装电梯纳入年度民生实事。",
        grade=Grade.A,
        letter=docx(),
        expected_state=A.SIGNED,
    )
    assert reply.status == ReplyStatus.AWAITING_APPROVAL and reply.drafted_by == cast.clerk
    assert reply.letter.name.endswith(".docx") and "letter" not in reply.letter.name
    assert fresh(w.lead).status == A.REPLY_DRAFTED
    assert fresh(w.proposal).status == P.HANDLING

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reply_approve(
            assignment=w.lead, actor=w.head, expected_state=A.REPLY_DRAFTED
        )
    assert sent.status == ReplyStatus.SENT and sent.approved_by == w.head
    assert sent.sent_at is not None
    assert fresh(w.lead).status == A.REPLIED
    assert fresh(w.proposal).status == P.REPLIED
    done = Event.objects.for_object(w.proposal).get(action="replied")
    assert done.actor_kind == ActorKind.SYSTEM and done.is_public
    # The proposers with an address get an email (the event is the notice in the site).
    assert [m.to for m in mail.outbox] == [["member@example.cn"]]

    assert list(proposals_to_rate(user=cast.member)) == [w.proposal]
    services.proposal_rate(proposal=w.proposal, actor=cast.member, value=Satisfaction.SATISFIED)
    rating = services.proposal_rate(
        proposal=w.proposal,
        actor=w.cosigner,
        value=Satisfaction.DISSATISFIED,
        comment="补贴标准仍未明确。",
    )
    assert rating.round == 1 and rating.member.user == w.cosigner
    assert list(proposals_to_rate(user=cast.member)) == []
    assert events(w.proposal).count("rate") == 2
    # The 不满意 is flagged to the office, which may order re-handling.
    assert list(proposals_dissatisfied(user=cast.staff)) == [w.proposal]
    assert list(proposals_dissatisfied(user=cast.outsider)) == []


def test_a_co_handler_signing_first_leaves_the_proposal_awaiting_the_lead(world: World) -> None:
    services.assignment_sign(assignment=world.co, actor=world.co_clerk)
    assert fresh(world.proposal).status == P.ASSIGNED
    services.assignment_sign(assignment=world.lead, actor=world.cast.clerk)
    assert fresh(world.proposal).status == P.HANDLING
    assert events(world.proposal).count("start") == 1


def test_split_handlers_each_reply_and_the_proposal_is_replied_after_the_last(
    cast: Cast,
) -> None:
    proposal = assigned_proposal(cast)
    other = Department.objects.create(committee=cast.tianhe, name="天河区民政局")
    other_clerk = clerk_of(other, "t.mz", "民政局承办人", head=True)
    head = clerk_of(cast.department, "t.head", "住建局局长", head=True)
    first, second = (
        assign(proposal, cast.department, AssignmentRole.SPLIT),
        assign(proposal, other, AssignmentRole.SPLIT),
    )
    services.assignment_sign(assignment=second, actor=other_clerk)
    assert fresh(proposal).status == P.HANDLING
    services.assignment_sign(assignment=first, actor=cast.clerk)
    for assignment, clerk, approver in ((first, cast.clerk, head), (second, other_clerk, None)):
        services.reply_draft(
            assignment=assignment, actor=clerk, text="答复。", grade=Grade.C, letter=png()
        )
        services.reply_approve(assignment=assignment, actor=approver or other_clerk)
        expected = P.HANDLING if assignment is first else P.REPLIED
        assert fresh(proposal).status == expected


# --- Sign-for and return -----------------------------------------------------------------


def test_it_refuses_a_reply_before_sign_for(world: World) -> None:
    with pytest.raises(TransitionNotAllowed) as refused:
        services.reply_draft(
            assignment=world.lead, actor=world.cast.clerk, text="答复", grade=Grade.A, letter=pdf()
        )
    assert refused.value.status == 409
    assert fresh(world.lead).status == A.ASSIGNED
    assert not Reply.objects.exists()


def test_it_asks_to_return_within_the_window_with_a_reason(world: World) -> None:
    services.assignment_ask_return(
        assignment=world.lead, actor=world.cast.clerk, reason="不属于本单位职责。"
    )
    lead = fresh(world.lead)
    assert lead.status == A.RETURN_REQUESTED and lead.return_reason == "不属于本单位职责。"
    assert Event.objects.for_object(lead).get(action="ask_return").note == "不属于本单位职责。"


def test_it_refuses_to_ask_for_a_return_after_the_window(world: World) -> None:
    with (
        time_machine.travel(world.lead.return_by + timedelta(minutes=1)),
        pytest.raises(DomainError, match="could be asked for until"),
    ):
        services.assignment_ask_return(
            assignment=world.lead, actor=world.cast.clerk, reason="不属于本单位职责。"
        )
    lead = fresh(world.lead)
    assert lead.status == A.ASSIGNED and lead.return_reason == ""
    assert events(lead) == []


def test_it_refuses_a_return_without_a_reason(world: World) -> None:
    with pytest.raises(TransitionNotAllowed, match="reason"):
        services.assignment_ask_return(assignment=world.lead, actor=world.cast.clerk, reason=" ")
    assert fresh(world.lead).status == A.ASSIGNED


def test_only_the_department_signs_for_its_assignment(world: World) -> None:
    for actor in (world.co_clerk, world.cast.staff, world.cast.member, world.haizhu_clerk):
        with pytest.raises(Forbidden):
            services.assignment_sign(assignment=world.lead, actor=actor)
    assert fresh(world.lead).status == A.ASSIGNED
    assert fresh(world.proposal).status == P.ASSIGNED


def test_a_second_click_on_sign_for_is_a_conflict(world: World) -> None:
    services.assignment_sign(
        assignment=world.lead, actor=world.cast.clerk, expected_state="assigned"
    )
    with pytest.raises(Conflict):
        services.assignment_sign(
            assignment=world.lead, actor=world.cast.clerk, expected_state="assigned"
        )
    assert events(world.proposal).count("start") == 1


# --- Notes -------------------------------------------------------------------------------


def test_notes_need_the_sign_for_a_past_date_and_the_department(world: World) -> None:
    w = world
    with pytest.raises(Conflict, match="Sign for the proposal"):
        services.progress_note_add(
            assignment=w.lead, actor=w.cast.clerk, stage=ContactStage.PROGRESS, text="进展"
        )
    services.assignment_sign(assignment=w.lead, actor=w.cast.clerk)
    with pytest.raises(DomainError, match="future"):
        services.progress_note_add(
            assignment=w.lead,
            actor=w.cast.clerk,
            stage=ContactStage.AFTER,
            text="回访",
            happened_on=timezone.localdate() + timedelta(days=1),
        )
    with pytest.raises(DomainError, match="kind of note"):
        services.progress_note_add(assignment=w.lead, actor=w.cast.clerk, stage="x", text="进展")
    with pytest.raises(Forbidden):
        services.progress_note_add(
            assignment=w.lead, actor=w.co_clerk, stage=ContactStage.PROGRESS, text="进展"
        )
    assert not ProgressNote.objects.exists()
    assert "note" not in events(w.lead)


def test_a_department_notes_its_talk_with_the_proposer_after_the_reply(world: World) -> None:
    replied(world)
    services.progress_note_add(
        assignment=world.lead, actor=world.cast.clerk, stage=ContactStage.AFTER, text="回访满意"
    )
    assert ProgressNote.objects.get().stage == ContactStage.AFTER


# --- 会签 and the reply ------------------------------------------------------------------


def test_the_lead_cannot_reply_before_every_co_handler_gave_its_opinion(world: World) -> None:
    w = world
    services.assignment_sign(assignment=w.lead, actor=w.cast.clerk)
    with pytest.raises(DomainError, match="天河区交通运输局"):
        services.reply_draft(
            assignment=w.lead, actor=w.cast.clerk, text="答复", grade=Grade.A, letter=pdf()
        )
    assert fresh(w.lead).status == A.SIGNED and not Reply.objects.exists()
    # A co-handler that asked to return it still owes its opinion.
    services.assignment_ask_return(assignment=w.co, actor=w.co_clerk, reason="非本单位职责")
    with pytest.raises(DomainError, match="not given their opinion"):
        services.reply_draft(
            assignment=w.lead, actor=w.cast.clerk, text="答复", grade=Grade.A, letter=pdf()
        )
    # Once it is taken back, the lead goes on without it.
    Assignment.objects.filter(pk=w.co.pk).update(status=A.RETURNED)
    services.reply_draft(
        assignment=w.lead, actor=w.cast.clerk, text="答复", grade=Grade.A, letter=pdf()
    )
    assert fresh(w.lead).status == A.REPLY_DRAFTED


def test_roles_keep_to_their_part(world: World) -> None:
    w = world
    services.assignment_sign(assignment=w.lead, actor=w.cast.clerk)
    services.assignment_sign(assignment=w.co, actor=w.co_clerk)
    with pytest.raises(DomainError, match="lead department drafts the reply"):
        services.reply_draft(
            assignment=w.co, actor=w.co_clerk, text="答复", grade=Grade.A, letter=pdf()
        )
    with pytest.raises(DomainError, match="Only co-handlers"):
        services.coopinion_give(assignment=w.lead, actor=w.cast.clerk, text="意见")
    with pytest.raises(Forbidden):
        services.coopinion_give(assignment=w.co, actor=w.cast.clerk, text="意见")
    assert fresh(w.lead).status == A.SIGNED and fresh(w.co).status == A.SIGNED
    assert not CoOpinion.objects.exists() and not Reply.objects.exists()


def test_the_first_reply_needs_the_letter_and_a_grade(world: World) -> None:
    w = world
    services.assignment_sign(assignment=w.lead, actor=w.cast.clerk)
    Assignment.objects.filter(pk=w.co.pk).update(status=A.REPLIED)
    with pytest.raises(DomainError, match="Attach the reply letter"):
        services.reply_draft(assignment=w.lead, actor=w.cast.clerk, text="答复", grade=Grade.A)
    with pytest.raises(DomainError, match="grade"):
        services.reply_draft(
            assignment=w.lead, actor=w.cast.clerk, text="答复", grade="E", letter=pdf()
        )
    with pytest.raises(DomainError, match="Write the reply"):
        services.reply_draft(
            assignment=w.lead, actor=w.cast.clerk, text=" ", grade=Grade.A, letter=pdf()
        )
    assert fresh(w.lead).status == A.SIGNED and not Reply.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf"), "must be a PDF"),
        (SimpleUploadedFile("letter.docx", b"PK\x03\x04broken zip"), "must be a PDF"),
        (SimpleUploadedFile("letter.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"x" * 600), "PDF"),
        (SimpleUploadedFile("letter.pdf", b""), "empty"),
        (SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)), "10 MB"),
    ],
)
def test_a_letter_is_judged_by_its_content(world: World, upload: Any, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        services.letter_clean(upload)


@pytest.mark.parametrize(
    ("upload", "extension"), [(pdf(), "pdf"), (docx(), "docx"), (png(), "png")]
)
def test_pdf_word_and_scans_are_accepted_as_letters(upload: Any, extension: str) -> None:
    renamed = SimpleUploadedFile("whatever.bin", upload.read())
    assert services.letter_clean(renamed).extension == extension


def test_only_the_head_approves_and_a_draft_sent_back_is_resubmitted(world: World) -> None:
    w = world
    reply_ready(w)
    for actor in (w.cast.clerk, w.co_head, w.cast.staff, w.cast.member):
        with pytest.raises(Forbidden):
            services.reply_approve(assignment=w.lead, actor=actor)
    assert fresh(w.lead).status == A.REPLY_DRAFTED
    assert Reply.objects.get().status == ReplyStatus.AWAITING_APPROVAL

    with pytest.raises(TransitionNotAllowed, match="reason"):
        services.reply_return(assignment=w.lead, actor=w.head, reason="")
    services.reply_return(assignment=w.lead, actor=w.head, reason="请补充资金安排。")
    assert fresh(w.lead).status == A.SIGNED
    reply = Reply.objects.get()
    assert reply.status == ReplyStatus.DRAFT
    letter = reply.letter.name
    # Resubmitted without a new file: the letter already attached is kept.
    services.reply_draft(
        assignment=w.lead, actor=w.cast.clerk, text="补充：资金已落实。", grade=Grade.A
    )
    reply = Reply.objects.get()
    assert (reply.text, reply.grade, reply.letter.name) == ("补充：资金已落实。", "A", letter)
    services.reply_approve(assignment=w.lead, actor=w.head)
    assert fresh(w.proposal).status == P.REPLIED


def test_grades_show_the_committees_wording(cast: Cast) -> None:
    GradeWording.objects.create(committee=cast.tianhe, grade="A", wording="所提问题已解决")
    choices = dict(grade_choices(committee_id=cast.tianhe.pk))
    assert choices["A"] == "A 所提问题已解决"
    assert choices["D"] == str(Grade.D.label)
    assert dict(grade_choices(committee_id=cast.haizhu.pk))["A"] == str(Grade.A.label)


# --- Ratings -----------------------------------------------------------------------------


def test_ratings_come_after_the_reply_once_per_proposer(world: World) -> None:
    w = world
    with pytest.raises(Conflict, match="once it has been sent"):
        services.proposal_rate(proposal=w.proposal, actor=w.cast.member, value="satisfied")
    replied(w)
    for stranger in (w.other_member, w.invited, w.cast.staff, w.cast.clerk):
        with pytest.raises(Forbidden):
            services.proposal_rate(proposal=w.proposal, actor=stranger, value="satisfied")
    with pytest.raises(DomainError, match="Say why"):
        services.proposal_rate(proposal=w.proposal, actor=w.cast.member, value="dissatisfied")
    with pytest.raises(DomainError, match="Choose"):
        services.proposal_rate(proposal=w.proposal, actor=w.cast.member, value="great")
    services.proposal_rate(proposal=w.proposal, actor=w.cast.member, value="basically")
    with pytest.raises(Conflict, match="already rated"):
        services.proposal_rate(proposal=w.proposal, actor=w.cast.member, value="satisfied")
    rating = ProposalRating.objects.get()
    assert rating.value == Satisfaction.BASICALLY
    assert events(w.proposal).count("rate") == 1
    assert list(proposals_dissatisfied(user=w.cast.staff)) == []


def test_the_proposer_of_a_merged_proposal_rates_the_main_one(world: World) -> None:
    w = world
    merged = assigned_proposal(w.cast, title="关于老旧小区电梯补贴的建议")
    Proposal.objects.filter(pk=merged.pk).update(
        status=P.MERGED, merged_into=w.proposal, lead=Member.objects.get(user=w.other_member)
    )
    replied(w)
    assert "replied" in events(merged)
    services.proposal_rate(proposal=w.proposal, actor=w.other_member, value="satisfied")
    assert ProposalRating.objects.get().member.user == w.other_member


def test_a_re_handled_proposal_is_replied_again_and_rated_again(world: World) -> None:
    w = world
    replied(w)
    services.proposal_rate(
        proposal=w.proposal, actor=w.cast.member, value="dissatisfied", comment="未解决"
    )
    # The office orders re-handling (its own service): a second round.
    Proposal.objects.filter(pk=w.proposal.pk).update(status=P.REHANDLING)
    again = assign(w.proposal, w.cast.department, AssignmentRole.LEAD, round_=2)
    services.assignment_sign(assignment=again, actor=w.cast.clerk)
    assert fresh(w.proposal).status == P.REHANDLING
    services.reply_draft(
        assignment=again, actor=w.cast.clerk, text="二次答复", grade=Grade.A, letter=pdf()
    )
    services.reply_approve(assignment=again, actor=w.head)
    assert fresh(w.proposal).status == P.REPLIED
    assert list(proposals_dissatisfied(user=w.cast.staff)) == []
    services.proposal_rate(proposal=w.proposal, actor=w.cast.member, value="satisfied")
    assert sorted(ProposalRating.objects.values_list("round", "value")) == [
        (1, "dissatisfied"),
        (2, "satisfied"),
    ]
