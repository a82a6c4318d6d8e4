"""The staff sidebar (issue 22): what a signed-in user may open, grouped as the offices
work (收件, 办理, 工作室与值班, 提案, 统计, 管理), with counts of what waits.

It is built lazily: a page that does not draw the sidebar (a citizen's page, an htmx
fragment) makes no query, and one that does makes at most one count per counted item,
each through its app's selector.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.duty.selectors.talks import bookings_today_count
from xieshang.people.access import Access, access_for
from xieshang.proposals.selectors.handling import handling_counts
from xieshang.proposals.selectors.office import review_inbox
from xieshang.suggestions.selectors import referral_inbox, suggestion_new_count


@dataclass
class NavItem:
    label: Any
    url: str
    icon: str
    count: int = 0
    count_label: Any = ""
    current: bool = False
    id: str = ""


@dataclass
class NavGroup:
    label: Any
    items: list[NavItem] = field(default_factory=list)


def build_sidebar(request: HttpRequest) -> list[NavGroup]:
    """The groups of the sidebar for this request's user (empty for a visitor)."""
    user = request.user
    if not user.is_authenticated:
        return []
    access: Access = access_for(user)
    can = user.has_perm
    office = access.is_superuser or bool(access.staff)
    groups = {
        key: NavGroup(label)
        for key, label in (
            ("intake", pgettext_lazy("navigation group", "Intake")),
            ("handling", pgettext_lazy("navigation group", "Handling")),
            ("rooms", pgettext_lazy("navigation group", "Workrooms and duty")),
            ("proposals", pgettext_lazy("navigation group", "Proposals")),
            ("figures", pgettext_lazy("navigation group", "Statistics")),
            ("admin", pgettext_lazy("navigation group", "Administration")),
        )
    }
    waiting = _("waiting")

    def add(group: str, label: Any, name: str, icon: str, count: int = 0, id: str = "") -> None:
        groups[group].items.append(
            NavItem(label, reverse(name), icon, count, waiting if count else "", id=id)
        )

    add("intake", _("My work"), "workspace:home", "house-door")
    if can("suggestions.read_suggestion"):
        new = suggestion_new_count(user=user) if office else 0
        add("intake", _("Suggestions"), "suggestions:inbox", "inbox", new)
    if access.staff and access.staff_committee_ids:
        add("intake", _("Sent up"), "suggestions:escalations", "arrow-up-square")
    if can("opinions.manage_issue"):
        add("intake", _("Public-opinion information"), "opinions:inbox", "megaphone")
    elif can("opinions.view_item"):
        add("intake", _("Public-opinion information"), "opinions:mine", "megaphone")
    if can("search.use_search"):
        add("intake", _("Search"), "search:search", "search", id="nav-search")

    if access.clerk_of or can("suggestions.view_suggestion"):
        open_referrals = 0
        if access.clerk_of:
            open_referrals = (
                referral_inbox(user=user, open_only=True)
                .filter(department_id__in=list(access.clerk_of))
                .count()
            )
        add("handling", _("Referrals"), "suggestions:referrals", "send", open_referrals)
    if can("consultations.view_topic"):
        add("handling", _("Consultations"), "consultations:list", "people")
    elif can("consultations.view_sending"):
        add("handling", _("Consultations"), "consultations:sendings", "people")
    if can("research.view_topic"):
        add("handling", _("Research topics"), "research:topics", "journal-text")
    if can("activities.view_activity"):
        add("handling", _("Activities"), "activities:list", "calendar-event")

    if can("workrooms.view_workroom"):
        add("rooms", _("Workrooms"), "workrooms:list", "building")
    if can("duty.view_roster"):
        add("rooms", _("Duty"), "duty:rosters" if office else "duty:my_shifts", "calendar-week")
    if can("duty.view_booking"):
        today = bookings_today_count(user=user) if office else 0
        talks = "duty:bookings" if office else "duty:appointments"
        add("rooms", _("Talks"), talks, "chat-dots", today)

    if can("proposals.review_proposal"):
        to_review = review_inbox(user=user).count()
        add("proposals", _("Proposals"), "proposals:staff_list", "file-earmark-text", to_review)
    elif access.member_of:
        add("proposals", _("Proposals"), "proposals:mine", "file-earmark-text")
    elif access.clerk_of:
        to_sign = handling_counts(user=user)["to_sign"]
        add("proposals", _("Proposals"), "proposals:assigned", "file-earmark-text", to_sign)
    elif access.leader_of:
        add("proposals", _("Key proposals"), "proposals:key_board", "star")

    if can("figures.view_figures"):
        add("figures", _("Figures"), "figures:dashboard", "bar-chart-line")
        add("figures", _("Response, resolution and satisfaction"), "figures:rates", "speedometer2")
        add("figures", _("Topic of the month"), "figures:monthly", "calendar2-check")
    if can("insights.view_insights"):
        add("figures", _("Hotspots"), "insights:hotspots", "fire")
    if can("performance.view_ranking"):
        add("figures", _("Duty points"), "performance:ranking", "award")
    elif can("performance.view_own"):
        add("figures", _("My duty record"), "performance:mine", "award")

    if can("people.view_member"):
        add("admin", _("Members"), "people:members", "person-badge")
        add("admin", _("Departments"), "people:departments", "diagram-3")
    if user.is_staff:
        add("admin", _("Administration"), "admin:index", "gear")
    add("admin", _("Change password"), "password_change", "key")

    # The current page: the item whose URL the path starts with (the longest), else the
    # item of the same section (/work/proposals/… for a proposal's page); 我的工作 only
    # on its own page.
    home = reverse("workspace:home")

    def score(item: NavItem) -> int:
        if item.url == home:
            return len(home) if request.path == home else 0
        if request.path.startswith(item.url):
            return 1000 + len(item.url)
        section = "/".join(item.url.split("/")[:3]) + "/"
        return len(section) if section != home and request.path.startswith(section) else 0

    items = [item for g in groups.values() for item in g.items]
    best = max(items, key=score, default=None)
    if best is not None and score(best):
        best.current = True
    return [g for g in groups.values() if g.items]


def sidebar(request: HttpRequest) -> dict[str, Any]:
    return {"sidebar": SimpleLazyObject(lambda: build_sidebar(request))}
