"""社情民意信息: items handed in, adopted, issues put out, leaders' instructions."""

from __future__ import annotations

from django.db.models import Q

from xieshang.figures.registry import base, figure
from xieshang.opinions.models import ItemStatus
from xieshang.opinions.selectors import (
    instructions_of_committees,
    issues_of_committees,
    items_of_committees,
)

SOURCE = "opinions"
GROUP = "社情民意"

base(
    "opinion_items",
    source=SOURCE,
    label="社情民意信息",
    records=items_of_committees,
    date_field="created_at",
    columns=(
        ("标题", "title"),
        ("撰写单位", "author_unit"),
        ("撰写时间", "created_at"),
        ("状态", "status"),
    ),
    detail="opinions:detail",
)
base(
    "opinion_issues",
    source=SOURCE,
    label="《社情民意》期刊",
    records=issues_of_committees,
    date_field="created_at",
    columns=(("刊物", "series"), ("期号", "number"), ("编发时间", "created_at")),
    detail="opinions:issue",
)
base(
    "opinion_instructions",
    source=SOURCE,
    label="社情民意批示",
    records=instructions_of_committees,
    date_field="date",
    committee_field="item__committee_id",
    columns=(
        ("信息", "item__title"),
        ("批示领导", "leader"),
        ("层级", "level"),
        ("日期", "date"),
    ),
)

ADOPTED = Q(status__in=[ItemStatus.ADOPTED, ItemStatus.ISSUED])
DECIDED = ADOPTED | Q(status=ItemStatus.NOT_ADOPTED)

figure(
    "opinion_items_submitted",
    label="报送社情民意信息",
    definition="统计期内（以撰写时间为准）报送政协社情民意工作机构的信息篇数，不含草稿。",
    base="opinion_items",
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "opinion_items_decided",
    label="已处理信息",
    definition="统计期内报送的信息中已决定采用或不采用的篇数。",
    base="opinion_items",
    where=DECIDED,
    group=GROUP,
    source=SOURCE,
)
figure(
    "opinion_items_adopted",
    label="采用社情民意信息",
    definition="统计期内报送的信息中被采用（含已编发）的篇数。",
    base="opinion_items",
    where=ADOPTED,
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "opinion_adoption_rate",
    label="社情民意采用率",
    definition="采用篇数 ÷ 已处理篇数。",
    how="ratio",
    numerator="opinion_items_adopted",
    denominator="opinion_items_decided",
    group=GROUP,
    source=SOURCE,
)
figure(
    "opinion_issues_published",
    label="编发期刊",
    definition="统计期内编发的《社情民意》《情况快报》期数。",
    base="opinion_issues",
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "opinion_items_instructed",
    label="获领导批示信息",
    definition="统计期内（以批示日期为准）获得领导批示的信息篇数；一篇多次批示只计一篇。",
    base="opinion_instructions",
    of="item_id",
    public=True,
    group=GROUP,
    source=SOURCE,
)
