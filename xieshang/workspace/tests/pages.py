"""The pages the browser checks walk (accessibility, layout, screenshots), and the data
they need. Everything is stored before the browser starts: the ORM is not used while
Playwright runs (its event loop would make Django refuse synchronous queries)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from xieshang.conftest import Cast
from xieshang.people.models import Member
from xieshang.proposals.models import ProposalCategory
from xieshang.proposals.tests.test_office import make_proposal
from xieshang.research.services import TopicData, topic_create
from xieshang.suggestions.models import Area, AreaKind, Category
from xieshang.suggestions.services import Intake, suggestion_submit
from xieshang.workrooms.models import Workroom, WorkroomStatus

PASSWORD = "design-test-2026"
DESKTOP = {"width": 1366, "height": 768}
AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class World:
    public: list[tuple[str, str]]  # (name, path)
    staff: list[tuple[str, str]]
    tracking_code: str


def build_world(cast: Cast) -> World:
    street = Area.objects.create(committee=cast.tianhe, name="猎德街", kind=AreaKind.STREET)
    Area.objects.create(
        committee=cast.tianhe, name="猎德社区", kind=AreaKind.COMMUNITY, parent=street
    )
    # Fixtures only: the workroom's activation is another part's.
    Workroom.objects.filter(pk=cast.workroom.pk).update(status=WorkroomStatus.ACTIVE)
    Category.objects.create(committee=cast.tianhe, name="城乡建设")
    suggestion, _ = suggestion_submit(
        intake=Intake(
            committee=cast.tianhe,
            title="猎德社区路灯不亮",
            content="猎德社区三巷的路灯已经坏了两个星期，晚上出行很不安全。",
            idempotency_key=uuid.uuid4().hex,
            phone="13812345678",
            citizen_name="李女士",
        )
    )
    proposal = make_proposal(
        cast.tianhe,
        Member.objects.get(user=cast.member, committee=cast.tianhe),
        ProposalCategory.objects.create(committee=cast.tianhe, name="城市建设管理"),
    )
    topic = topic_create(
        actor=cast.staff,
        committee=cast.tianhe,
        data=TopicData(title="夜间经济调研", lead="经济科技委员会", year=2026, is_key=True),
    )
    cast.staff.set_password(PASSWORD)
    cast.staff.save()
    code = suggestion.tracking_code
    return World(
        public=[
            ("landing", "/"),
            ("committee", "/c/tianhe/"),
            ("submit", "/c/tianhe/suggest/"),
            ("track-lookup", "/t/"),
            ("track", f"/t/{code}/"),
            ("booking", "/c/tianhe/book/"),
            ("results", "/c/tianhe/results/"),
            ("workroom", f"/w/{cast.workroom.code}/"),
            ("figures", "/c/tianhe/figures/"),
            ("workroom-figures", f"/w/{cast.workroom.code}/figures/"),
            ("consultations", "/c/tianhe/consultations/"),
            ("livelihood", "/c/tianhe/livelihood/"),
            ("proposal-replies", "/c/tianhe/proposals/replies/"),
            ("login", "/accounts/login/"),
        ],
        staff=[
            ("home", "/work/"),
            ("inbox", "/work/suggestions/"),
            ("triage", f"/work/suggestions/{suggestion.pk}/"),
            ("referrals", "/work/referrals/"),
            ("proposals", "/work/proposals/all/"),
            ("proposal", f"/work/proposals/review/{proposal.pk}/"),
            ("figures-dashboard", "/work/figures/"),
            ("workrooms", "/work/workrooms/"),
            ("research-topic", f"/work/research/{topic.pk}/"),
            ("opinion-issues", "/work/opinions/issues/"),
        ],
        tracking_code=code,
    )


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "t.staff")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/work/")


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, one line per rule."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (tags) => {
          const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
          return r.violations.map(v => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 4)
            .map(n => n.target.join(" ")).join(" | "));
        }""",
        AXE_TAGS,
    )
    return list(found)
