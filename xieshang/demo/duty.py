"""Demo duty rosters: a weekly pattern and a rotation for a few active demo workrooms
(番禺's cloud workroom, 天河's members' home, 猎德街), and six weeks of shifts.

`seed_duty()` runs after `xieshang.demo.seed.seed_demo()` (which creates the workrooms
and their members). It is idempotent: a pattern is matched by workroom, weekday and start
time, a rotation is set only while empty, and generation skips days already generated.
Everything goes through the services, with the system as the actor.
"""

from __future__ import annotations

from datetime import time

from xieshang.core.models import ActorKind
from xieshang.duty.models import DutyPattern
from xieshang.duty.services.roster import (
    PatternData,
    pattern_create,
    rotation_set,
    shifts_generate,
)
from xieshang.workrooms.models import Workroom, WorkroomStatus

# (workroom code, weekday (0 = Monday), from, until, minutes per talk, members in rotation)
DEMO_PATTERNS = (
    ("panyu-cloud", 2, time(14, 30), time(17, 30), 20, 4),
    ("tianhe-home", 2, time(14, 30), time(17, 30), 20, 4),
    ("tianhe-liede", 4, time(9, 30), time(11, 30), 30, 3),
)
DEMO_WEEKS = 6


def seed_duty(*, weeks: int = DEMO_WEEKS) -> dict[str, int]:
    """Give the demo workrooms their duty patterns, rotations and shifts. Returns how many
    patterns, rotations and shifts were created by this run."""
    counts = {"patterns": 0, "rotations": 0, "shifts": 0}
    for code, weekday, start, end, minutes, size in DEMO_PATTERNS:
        workroom = Workroom.objects.filter(code=code, status=WorkroomStatus.ACTIVE).first()
        if workroom is None:
            continue
        pattern = DutyPattern.objects.filter(
            workroom=workroom, weekday=weekday, start_time=start
        ).first()
        if pattern is None:
            pattern = pattern_create(
                workroom=workroom,
                data=PatternData(
                    weekday=weekday, start_time=start, end_time=end, slot_minutes=minutes
                ),
                actor=ActorKind.SYSTEM,
            )
            counts["patterns"] += 1
        if not pattern.rotation.exists():
            members = [
                m.member
                for m in workroom.memberships.filter(member__is_active=True)
                .select_related("member__user")
                .order_by("role", "id")[:size]
            ]
            if not members:
                continue
            rotation_set(pattern=pattern, members=members, actor=ActorKind.SYSTEM)
            counts["rotations"] += 1
        counts["shifts"] += len(
            shifts_generate(pattern=pattern, weeks=weeks, actor=ActorKind.SYSTEM)
        )
    return counts
