"""The workrooms of the five districts, a module each (tianhe, haizhu, baiyun, panyu,
huadu), each with its `WORKROOMS`; here what they share: `WorkroomSpec` and the opening
hours the workrooms take in turn. `xieshang.demo.workrooms` loads them.
"""

from __future__ import annotations

from dataclasses import dataclass

HOURS = [
    "周三 14:30–17:30",
    "周二、周四 9:00–12:00",
    "每月第一个周五 14:30–17:30",
    "周一至周五 9:00–17:30",
    "周六 9:30–11:30",
    "周四 15:00–18:00",
]


@dataclass(frozen=True)
class WorkroomSpec:
    code: str
    committee: str
    name: str
    kind: str
    venue: str
    address: str
    opening_hours: str
    parent: str | None = None
    guiding_special_committee: str | None = None
    guiding_local_group: str | None = None  # the town or street
    description: str = ""
    members: tuple[str, ...] = ()  # usernames; the first is the convenor
    extra_members: int = 3  # further members picked from the committee
    active: bool = True
