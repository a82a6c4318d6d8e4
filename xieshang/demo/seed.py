"""Demo data: 广东省政协 → 广州市政协 → the five district committees of the article, with
their people, workrooms, calendar, citizen suggestions, duty rosters, proposals and
consultations.

`seed_demo()` loads them, a module each, in this order (the ids, and so the demo's
figures, depend on it): `organisation` (committees, sectors, special committees, local
groups, departments), `members` (accounts, demo logins, seats, positions), `workrooms`
(the districts' workrooms from `districts/`, memberships, service points, activation),
`calendar` (the 2026 holidays, before the referrals: their deadlines count working days),
`suggestions` (settings, then the samples moved along); then the apps' own `seed_*()`
functions (the workroom standard and activities, duty rosters, proposals, consultations),
the search index, and last the duty record and points (`performance`). All in one
transaction.

It is deterministic (names come from a seeded `random.Random`) and idempotent: rows are
matched by natural keys (committee code, (committee, name), username, workroom code),
missing ones are created in bulk, changed fields are brought back to the values in the
modules, nothing is ever deleted; what goes through a workflow (activations, the samples'
steps) is done only while still to do, so a second run changes nothing.
"""

from __future__ import annotations

import time

from django.db import transaction

from xieshang.demo.base import Loaded, Writer
from xieshang.demo.calendar import load_calendar
from xieshang.demo.consultations import seed_consultations
from xieshang.demo.duty import seed_duty
from xieshang.demo.members import load_members
from xieshang.demo.opinions import seed_opinions
from xieshang.demo.organisation import load_organisation
from xieshang.demo.performance import seed_performance
from xieshang.demo.proposals import seed_proposals
from xieshang.demo.suggestions import load_suggestions
from xieshang.demo.workrooms import load_workrooms, seed_workrooms_extras
from xieshang.search.services import entries_rebuild


def seed_demo(*, stdout: Writer | None = None) -> None:
    """Load the demo data; safe to run again (see the module docstring)."""
    started = time.monotonic()
    loaded = Loaded()
    with transaction.atomic():
        load_organisation(loaded)
        load_members(loaded)
        load_workrooms(loaded)
        load_calendar()  # before the referrals: their deadlines count working days
        load_suggestions(loaded)
        extras = seed_workrooms_extras()
        duty = seed_duty()
        proposals = seed_proposals()
        consultations = seed_consultations()
        opinions = seed_opinions()
        indexed = entries_rebuild()  # records the demo wrote directly are searchable too
        performance = seed_performance()  # last: points from everything recorded above
    if stdout is not None:
        stdout.write(
            f"演示数据已就绪：{len(loaded.committees)} 个政协、{len(loaded.seats)} 个委员席位、"
            f"{len(loaded.workrooms)} 个履职平台；新建账号 {loaded.created_users} 个，"
            f"启用工作室 {loaded.activated} 个，新收群众建议 {loaded.created_suggestions} 条，"
            f"新记履职活动 {extras['activities']} 次，新排值班 {duty['shifts']} 班，"
            f"新建提案 {proposals.get('proposals', 0)} 件，"
            f"新建协商议题 {consultations['topics']} 个、协商意见 {consultations['opinions']} 条，"
            f"社情民意 {opinions['items']} 条，调研课题 {opinions['topics']} 个，"
            f"检索索引 {indexed} 条，履职积分 {performance['members']} 名委员；"
            f"用时 {time.monotonic() - started:.1f} 秒。\n"
        )
