"""The Word files of a proposal and of a reply letter, and the Excel list and summary:
each built, opened back (python-docx, openpyxl) and read; and who may download them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from xieshang.conftest import Cast, make_staff, make_user
from xieshang.people.models import Department, DepartmentClerk, Member, Sector, StaffRole, User
from xieshang.proposals.documents import proposal_docx, reply_letter_docx
from xieshang.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    CoOpinion,
    CoSigner,
    CoSignerStatus,
    GradeWording,
    KeyProposal,
    KeyStatus,
    Proposal,
    ProposalCategory,
    ProposalRating,
    ProposalStatus,
    ProposerKind,
    Reply,
    Session,
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


# --- Records, built directly (the services are other parts' work) ----------------------


@dataclass
class World:
    cast: Cast
    category: ProposalCategory
    other_category: ProposalCategory
    session: Session
    cosigner: User
    invited: User
    other_member: User
    head: User
    transport: Department
    transport_clerk: User


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


def build_world(cast: Cast) -> World:
    def member(username: str, name: str) -> User:
        user = make_user(username, name)
        Member.objects.create(user=user, committee=cast.tianhe)
        return user

    head = make_user("t.head", "住建局局长")
    DepartmentClerk.objects.create(user=head, department=cast.department, is_head=True)
    transport = Department.objects.create(committee=cast.tianhe, name="天河区交通运输局")
    transport_clerk = make_user("t.transport", "交通局承办人")
    DepartmentClerk.objects.create(user=transport_clerk, department=transport)
    return World(
        cast=cast,
        category=ProposalCategory.objects.create(committee=cast.tianhe, name="城市建设管理"),
        other_category=ProposalCategory.objects.create(committee=cast.tianhe, name="社会事务"),
        session=Session.objects.create(
            committee=cast.tianhe,
            term=15,
            meeting=5,
            filing_opens="2026-01-05",
            plenary_starts="2026-01-20",
            plenary_ends="2026-01-23",
        ),
        cosigner=member("t.cosigner", "联名委员甲"),
        invited=member("t.invited", "未确认委员乙"),
        other_member=member("t.other", "其他委员丙"),
        head=head,
        transport=transport,
        transport_clerk=transport_clerk,
    )


def seat(user: User, world: World) -> Member:
    return Member.objects.get(user=user, committee=world.cast.tianhe)


def proposal(
    world: World,
    *,
    status: str = ProposalStatus.ASSIGNED,
    number: int | None = 1,
    title: str = "关于珠江新城地下空间互联互通的提案",
    lead: User | None = None,
    category: ProposalCategory | None = None,
    **extra: Any,
) -> Proposal:
    cast = world.cast
    lead = lead or cast.member
    p = Proposal.objects.create(
        committee=cast.tianhe,
        session=world.session,
        title=title,
        analysis="珠江新城地下空间分属多个业主，互不连通。\n高峰时段地面人流拥挤。",
        recommendations="一、由区住建局牵头统筹。\n二、分期打通主要地下通道。",
        category=category or world.category,
        lead=seat(lead, world),
        created_by=lead,
        **extra,
    )
    fields: dict[str, Any] = {"status": status}
    if status != ProposalStatus.DRAFT:
        fields["submitted_at"] = timezone.now() - timedelta(days=100)
    if number is not None:
        fields.update(number=f"2026{number:03d}", year=2026, sequence=number)
    Proposal.objects.filter(pk=p.pk).update(**fields)
    return Proposal.objects.get(pk=p.pk)


def cosign(p: Proposal, user: User, world: World, status: str) -> CoSigner:
    c = CoSigner.objects.create(
        proposal=p, member=seat(user, world), deadline=timezone.now() + timedelta(days=7)
    )
    CoSigner.objects.filter(pk=c.pk).update(status=status)
    return c


def assign(
    p: Proposal,
    department: Department,
    *,
    role: str = AssignmentRole.LEAD,
    status: str = AssignmentStatus.SIGNED,
    assigned_at: datetime | None = None,
    deadline: datetime | None = None,
    round: int = 1,
) -> Assignment:
    assigned_at = assigned_at or timezone.now() - timedelta(days=30)
    a = Assignment.objects.create(
        committee=p.committee,
        proposal=p,
        department=department,
        role=role,
        round=round,
        assigned_at=assigned_at,
        deadline=deadline or assigned_at + timedelta(days=90),
        return_by=assigned_at + timedelta(days=10),
    )
    signed_at = None if status in (AssignmentStatus.ASSIGNED,) else assigned_at + timedelta(days=2)
    Assignment.objects.filter(pk=a.pk).update(status=status, signed_at=signed_at)
    return Assignment.objects.get(pk=a.pk)


def reply(
    a: Assignment,
    by: User,
    *,
    grade: str = "B",
    text: str = "我局已会同相关单位制定地下空间连通规划，正分期推进。",
    sent_at: datetime | None = None,
) -> Reply:
    """A reply sent on `sent_at`, or awaiting the head's approval: where a reply stands
    follows from its assignment's state."""
    r = Reply.objects.create(assignment=a, text=text, grade=grade, drafted_by=by)
    if sent_at is not None:
        Reply.objects.filter(pk=r.pk).update(sent_at=sent_at)
        Assignment.objects.filter(pk=a.pk).update(status=AssignmentStatus.REPLIED)
    else:
        Assignment.objects.filter(pk=a.pk).update(status=AssignmentStatus.REPLY_DRAFTED)
    return Reply.objects.select_related("assignment").get(pk=r.pk)


def replied_proposal(world: World, **extra: Any) -> tuple[Proposal, Reply]:
    """A proposal replied to by 住建局 (lead), with 交通局's opinion (会签), one confirmed
    co-signer, one who never confirmed, and the lead's rating."""
    cast = world.cast
    p = proposal(world, status=ProposalStatus.REPLIED, **extra)
    cosign(p, world.cosigner, world, CoSignerStatus.CONFIRMED)
    cosign(p, world.invited, world, CoSignerStatus.INVITED)
    lead = assign(p, cast.department, status=AssignmentStatus.REPLIED)
    co = assign(p, world.transport, role=AssignmentRole.CO, status=AssignmentStatus.REPLIED)
    CoOpinion.objects.create(
        assignment=co, text="同意主办单位意见。", created_by=world.transport_clerk
    )
    r = reply(lead, cast.clerk, sent_at=timezone.now() - timedelta(days=3))
    ProposalRating.objects.create(proposal=p, member=seat(cast.member, world), value="basically")
    return p, r


def docx_text(content: bytes) -> tuple[Any, str]:
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return document, "\n".join(texts)


def runs_of(document: Any) -> list[Any]:
    runs = [r for p in document.paragraphs for r in p.runs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                runs += [r for p in cell.paragraphs for r in p.runs]
    return runs


def east_asian(run_or_style: Any) -> str | None:
    element = getattr(run_or_style, "_element", None)
    if element is None or not hasattr(element, "rPr"):
        element = run_or_style.element
    r_fonts = element.rPr.rFonts
    return r_fonts.get(qn("w:eastAsia")) if r_fonts is not None else None


# --- Word: the proposal ----------------------------------------------------------------


def test_the_proposal_file_has_the_official_layout_and_content(world: World) -> None:
    p, _reply = replied_proposal(world)
    document, text = docx_text(proposal_docx(p))
    assert "中国人民政治协商会议广州市天河区委员会" in text
    assert "Proposal No. 2026001" in text
    assert "城市建设管理" in text
    assert "Term 15, meeting 5" in text
    assert "Session proposal" in text or "Interim proposal" in text
    # The lead and the confirmed co-signer; not the member who never confirmed.
    assert "天河委员、联名委员甲" in text
    assert "未确认委员乙" not in text
    paragraphs = [p.text for p in document.paragraphs]
    title_at = paragraphs.index("关于珠江新城地下空间互联互通的提案")
    analysis_at = paragraphs.index("Analysis of the situation")
    suggestions_at = paragraphs.index("Concrete suggestions")
    assert title_at < analysis_at < suggestions_at
    assert paragraphs[analysis_at + 1 : suggestions_at] == [
        "珠江新城地下空间分属多个业主，互不连通。",
        "高峰时段地面人流拥挤。",
    ]
    assert paragraphs[suggestions_at + 1 :] == [
        "一、由区住建局牵头统筹。",
        "二、分期打通主要地下通道。",
    ]


def test_the_proposal_file_sets_the_east_asian_fonts_and_a4_margins(world: World) -> None:
    document, _text = docx_text(proposal_docx(proposal(world)))
    assert east_asian(document.styles["Normal"]) == "宋体"
    runs = runs_of(document)
    assert runs and all(east_asian(r) for r in runs)
    by_text = {r.text: east_asian(r) for r in runs}
    assert by_text["珠江新城地下空间分属多个业主，互不连通。"] == "宋体"
    assert by_text["Analysis of the situation"] == "黑体"
    assert by_text["关于珠江新城地下空间互联互通的提案"] == "黑体"
    assert by_text["城市建设管理"] == "仿宋"
    section = document.sections[0]
    # Stored in twentieths of a point: compare to the tenth of a millimetre.
    sizes = [
        round(length.mm, 1)
        for length in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert sizes == [210, 297, 37, 35, 28, 26]


def test_a_proposal_without_a_number_and_a_sectors_proposal(world: World) -> None:
    cast = world.cast
    sector = Sector.objects.get(committee=cast.tianhe, name="律师界")
    p = proposal(
        world,
        status=ProposalStatus.SUBMITTED,
        number=None,
        proposer_kind=ProposerKind.SECTOR,
        sector=sector,
    )
    _document, text = docx_text(proposal_docx(p))
    assert "Not yet accepted" in text
    assert "Proposal No." not in text
    assert "律师界" in text
    assert "天河委员" not in text  # the convenor files it; the sector is the proposer
    Proposal.objects.filter(pk=p.pk).update(status=ProposalStatus.NOT_ACCEPTED)
    p.refresh_from_db()
    assert "Not accepted" in docx_text(proposal_docx(p))[1]


# --- Word: the reply letter ------------------------------------------------------------


def test_the_reply_letter_names_every_proposer_the_grade_and_the_department(
    world: World,
) -> None:
    cast = world.cast
    GradeWording.objects.create(committee=cast.tianhe, grade="B", wording="正在解决")
    p, r = replied_proposal(world)
    merged = proposal(
        world, status=ProposalStatus.MERGED, number=None, lead=world.other_member, title="并入的"
    )
    Proposal.objects.filter(pk=merged.pk).update(merged_into=p)
    document, text = docx_text(reply_letter_docx(r))
    assert "Grade: B" in text
    assert "天河区住房和城乡建设局" in text
    assert "Reply to proposal No. 2026001 of 天河区政协" in text
    assert "Dear 天河委员、联名委员甲、其他委员丙:" in text
    assert "未确认委员乙" not in text
    assert "“关于珠江新城地下空间互联互通的提案” (No. 2026001)" in text
    assert "我局已会同相关单位制定地下空间连通规划，正分期推进。" in text
    assert "Grade of this reply: B, 正在解决." in text
    assert "Co-handled by: 天河区交通运输局" in text
    assert "Draft, not yet sent" not in text
    sent = timezone.localtime(r.sent_at)
    assert sent.strftime("%Y") in text and str(sent.day) in text
    assert all(east_asian(run) for run in runs_of(document))


def test_a_draft_reply_letter_says_it_is_not_sent(world: World) -> None:
    p = proposal(world, status=ProposalStatus.HANDLING)
    r = reply(assign(p, world.cast.department), world.cast.clerk, grade="A")
    _document, text = docx_text(reply_letter_docx(r))
    assert "Draft, not yet sent" in text
    assert "Grade of this reply: A, A: solved or basically solved." in text
    assert "Co-handled by" not in text


# --- Downloads: who gets the Word files ------------------------------------------------


def get(user: User | None, url: str) -> Any:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the files' words as the msgids
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_the_proposal_file_is_for_staff_proposers_its_departments_and_leaders_of_key(
    world: World,
) -> None:
    cast = world.cast
    p, _r = replied_proposal(world)
    url = reverse("proposals:proposal_docx", args=[p.pk])
    allowed = [cast.staff, cast.member, world.cosigner, cast.clerk, world.transport_clerk]
    for user in [*allowed, cast.superuser]:
        response = get(user, url)
        assert response.status_code == 200, user
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        assert "2026001" in docx_text(response.content)[1]
    for user in [world.invited, world.other_member, cast.outsider, cast.city_staff, cast.leader]:
        assert get(user, url).status_code == 404, user
    assert get(None, url).status_code == 302
    KeyProposal.objects.create(
        proposal=p, committee=cast.tianhe, reason="民生", nominated_by=cast.staff
    )
    assert get(cast.leader, url).status_code == 404  # nominated, not yet chosen
    KeyProposal.objects.filter(proposal=p).update(status=KeyStatus.CHOSEN)
    assert get(cast.leader, url).status_code == 200


def test_the_proposers_staffs_and_departments_pages_link_to_the_word_files(world: World) -> None:
    cast = world.cast
    p, r = replied_proposal(world)
    lead = Assignment.objects.get(proposal=p, department=cast.department)
    proposal_url = reverse("proposals:proposal_docx", args=[p.pk])
    letter_url = reverse("proposals:reply_letter", args=[r.pk])
    pages = [
        (cast.member, reverse("proposals:detail", args=[p.pk])),
        (cast.staff, reverse("proposals:review_detail", args=[p.pk])),
        (cast.clerk, reverse("proposals:assignment", args=[lead.pk])),
    ]
    for user, page in pages:
        html = get(user, page).content.decode()
        for url in (proposal_url, letter_url):
            assert f'href="{url}"' in html, (user, page, url)
            assert get(user, url).status_code == 200, (user, url)
    # The proposer's page also leads to the rating page.
    html = get(cast.member, reverse("proposals:detail", args=[p.pk])).content.decode()
    assert f'href="{reverse("proposals:rate", args=[p.pk])}"' in html


def test_a_draft_is_its_writers_alone_and_a_returned_department_loses_it(world: World) -> None:
    cast = world.cast
    draft = proposal(world, status=ProposalStatus.DRAFT, number=None)
    url = reverse("proposals:proposal_docx", args=[draft.pk])
    assert get(cast.member, url).status_code == 200
    assert get(cast.staff, url).status_code == 404
    p = proposal(world, status=ProposalStatus.ACCEPTED, number=2)
    assign(p, world.transport, status=AssignmentStatus.RETURNED)
    assert (
        get(world.transport_clerk, reverse("proposals:proposal_docx", args=[p.pk])).status_code
        == 404
    )


def test_the_reply_letter_is_the_departments_until_it_is_sent(world: World) -> None:
    cast = world.cast
    p = proposal(world, status=ProposalStatus.HANDLING)
    merged = proposal(world, status=ProposalStatus.MERGED, number=None, lead=world.other_member)
    Proposal.objects.filter(pk=merged.pk).update(merged_into=p)
    r = reply(assign(p, cast.department), cast.clerk)
    url = reverse("proposals:reply_letter", args=[r.pk])
    for user in (cast.clerk, world.head, cast.superuser):
        assert get(user, url).status_code == 200, user
    for user in (cast.staff, cast.member, world.other_member, world.transport_clerk, cast.outsider):
        assert get(user, url).status_code == 404, user
    Reply.objects.filter(pk=r.pk).update(sent_at=timezone.now())
    Assignment.objects.filter(pk=r.assignment_id).update(status=AssignmentStatus.REPLIED)
    for user in (cast.clerk, cast.staff, cast.member, world.other_member):
        response = get(user, url)
        assert response.status_code == 200, user
        assert "天河区住房和城乡建设局" in docx_text(response.content)[1]
    for user in (world.transport_clerk, cast.outsider, cast.leader, world.invited):
        assert get(user, url).status_code == 404, user
    assert get(None, url).status_code == 302


# --- Excel: the list -------------------------------------------------------------------


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def test_the_list_workbook_has_each_proposals_handling_status(world: World) -> None:
    cast = world.cast
    replied_proposal(world)
    late = proposal(world, status=ProposalStatus.HANDLING, number=2, title='=HYPERLINK("x")')
    assign(late, world.transport, deadline=timezone.now() - timedelta(days=1))
    proposal(world, status=ProposalStatus.DRAFT, number=None, title="草稿不导出")
    response = get(cast.staff, reverse("proposals:export_list"))
    assert response.status_code == 200
    rows = sheet_rows(response.content)
    header, body = rows[0], rows[1:]
    assert header[:3] == ("Number", "Subject", "Category")
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_number) == {"2026001", "2026002"}
    first = by_number["2026001"]
    assert first["Proposer(s)"] == "天河委员、联名委员甲"
    assert first["Status"] == "Replied"
    assert "天河区住房和城乡建设局（Lead (主办)·Replied）" in first["Departments"]
    assert "天河区交通运输局（Co-handler (会办)·Replied）" in first["Departments"]
    assert first["Grades"] == "B"
    assert first["Ratings"] == "Basically satisfied"
    assert first["Overdue"] is None
    second = by_number["2026002"]
    assert second["Overdue"] == "yes"
    assert second["Subject"] == '=HYPERLINK("x")'  # text, never a formula
    workbook = load_workbook(io.BytesIO(response.content))
    cell = next(c for c in workbook.worksheets[0]["B"] if c.value == '=HYPERLINK("x")')
    assert cell.data_type == "s"


def test_the_list_workbook_takes_the_lists_filters(world: World) -> None:
    cast = world.cast
    replied_proposal(world)
    other = proposal(world, status=ProposalStatus.ACCEPTED, number=2, category=world.other_category)
    url = reverse("proposals:export_list")

    def numbers(query: str) -> list[Any]:
        return [r[0] for r in sheet_rows(get(cast.staff, url + query).content)[1:]]

    assert numbers(f"?category={other.category_id}") == ["2026002"]
    assert numbers("?status=replied") == ["2026001"]
    assert numbers(f"?department={world.transport.pk}") == ["2026001"]
    assert numbers("?q=2026002") == ["2026002"]
    assert sorted(numbers("?status=nonsense")) == ["2026001", "2026002"]


def test_the_list_workbook_is_the_staffs_of_their_own_committee(world: World) -> None:
    cast = world.cast
    replied_proposal(world)
    url = reverse("proposals:export_list")
    assert sheet_rows(get(cast.outsider, url).content)[1:] == []
    for user in (cast.member, cast.clerk, cast.leader):
        assert get(user, url).status_code == 403, user
    assert get(None, url).status_code == 302


# --- Excel: the summary by department --------------------------------------------------


def test_the_summary_counts_each_departments_work_in_the_year(
    world: World, time_machine: Any
) -> None:
    # Mid-June of this year: every assignment below but the old one falls in this year.
    time_machine.move_to(timezone.now().replace(month=6, day=15), tick=False)
    cast = world.cast
    now = timezone.now()
    # 住建局: one replied on time (B, rated 基本满意 and 不满意 by two proposers), one
    # replied late (A), one open and overdue, one awaiting sign-for, one from last year.
    p1, _r1 = replied_proposal(world)
    ProposalRating.objects.create(
        proposal=p1, member=seat(world.cosigner, world), value="dissatisfied"
    )
    p2 = proposal(world, status=ProposalStatus.REPLIED, number=2)
    a2 = assign(
        p2, cast.department, status=AssignmentStatus.REPLIED, deadline=now - timedelta(days=10)
    )
    reply(a2, cast.clerk, grade="A", sent_at=now - timedelta(days=2))
    p3 = proposal(world, status=ProposalStatus.HANDLING, number=3)
    assign(p3, cast.department, deadline=now - timedelta(days=1))
    p4 = proposal(world, status=ProposalStatus.ASSIGNED, number=4)
    assign(
        p4, cast.department, status=AssignmentStatus.ASSIGNED, assigned_at=now - timedelta(days=1)
    )
    # 交通局 returned p4 and co-handled p1 (its opinion given on time).
    assign(p4, world.transport, role=AssignmentRole.CO, status=AssignmentStatus.RETURNED)
    p5 = proposal(world, status=ProposalStatus.CLOSED, number=5)
    old = assign(
        p5,
        cast.department,
        status=AssignmentStatus.REPLIED,
        assigned_at=now.replace(year=now.year - 1),
    )
    reply(old, cast.clerk, grade="D", sent_at=now.replace(year=now.year - 1) + timedelta(days=20))
    assert all(a.assigned_at.year == now.year for a in Assignment.objects.exclude(pk=old.pk))

    url = reverse("proposals:export_summary") + f"?committee={cast.tianhe.pk}&year={now.year}"
    response = get(cast.staff, url)
    assert response.status_code == 200
    rows = sheet_rows(response.content)
    assert rows[0][0] == f"天河区政协: proposals assigned in {now.year}"
    header = rows[1]
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows[2:]}
    housing = table["天河区住房和城乡建设局"]
    assert (
        housing["Assigned"],
        housing["Signed for"],
        housing["Replied"],
        housing["Replied on time"],
        housing["Replied late"],
        housing["Overdue"],
        housing["Returned"],
    ) == (4, 3, 2, 1, 1, 1, 0)
    assert (housing["Grade A"], housing["Grade B"], housing["Grade C"], housing["Grade D"]) == (
        1,
        1,
        0,
        0,
    )
    assert (
        housing["Satisfied"],
        housing["Basically satisfied"],
        housing["Dissatisfied"],
    ) == (0, 1, 1)
    transport = table["天河区交通运输局"]
    assert (transport["Assigned"], transport["Replied on time"], transport["Returned"]) == (1, 1, 1)
    assert transport["Basically satisfied"] == 0  # a co-handler's opinion is not rated
    assert table["Total"]["Assigned"] == 5
    last_year = get(cast.staff, url.replace(f"year={now.year}", f"year={now.year - 1}"))
    last = {row[0]: row for row in sheet_rows(last_year.content)[2:]}
    assert last["天河区住房和城乡建设局"][1] == 1


def test_the_summary_is_for_staff_of_that_committee_only(world: World) -> None:
    cast = world.cast
    url = reverse("proposals:export_summary")
    assert get(cast.outsider, url + f"?committee={cast.tianhe.pk}").status_code == 404
    assert get(cast.outsider, url).status_code == 200  # its own committee, by default
    coordinator = make_staff("t.coord", "统筹", cast.tianhe, StaffRole.WORKROOM_COORDINATOR)
    assert get(coordinator, url + f"?committee={cast.tianhe.pk}&year=x").status_code == 200
    for user in (cast.member, cast.clerk, cast.leader):
        assert get(user, url).status_code == 403, user
    assert get(None, url).status_code == 302


def test_the_workbooks_page_offers_both_downloads(world: World) -> None:
    cast = world.cast
    response = get(cast.staff, reverse("proposals:exports"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("proposals:export_list") in page
    assert reverse("proposals:export_summary") in page
    assert "城市建设管理" in page and "天河区交通运输局" in page
    assert get(cast.member, reverse("proposals:exports")).status_code == 403
