"""Writes of 社情民意: writing and editing an item (each edit kept), its steps through the
one door, issues and leaders' instructions. Every write checks its permission and runs in
a transaction; refused input changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xieshang.core.errors import Conflict, DomainError
from xieshang.core.models import Committee, Event
from xieshang.core.rules import require
from xieshang.core.services import event_record
from xieshang.core.uploads import SCAN_KINDS, CleanFile, kinds_message, scan_store_once
from xieshang.opinions.models import (
    ITEM_MAX_CHARS,
    Instruction,
    Issue,
    Item,
    ItemStatus,
    LeaderLevel,
    OpinionAction,
    Revision,
    Series,
)
from xieshang.opinions.notifications import authors_tell
from xieshang.opinions.workflow import ITEM_WORKFLOW
from xieshang.people.models import Member

EDITABLE = ("title", "situation", "suggestion", "author_unit")
LABELS = {
    "title": _lazy("title"),
    "situation": _lazy("the situation"),
    "suggestion": _lazy("the suggestion"),
    "author_unit": _lazy("written by (sector, workroom, office)"),
    "coauthors": _lazy("co-authors"),
}


@dataclass
class ItemData:
    title: str
    situation: str
    suggestion: str
    author_unit: str = ""
    coauthor_ids: list[int] = field(default_factory=list)


def _check(data: ItemData) -> ItemData:
    data.title = data.title.strip()
    data.situation = data.situation.strip()
    data.suggestion = data.suggestion.strip()
    data.author_unit = data.author_unit.strip()
    if not data.title:
        raise DomainError(_("Give the item a title."))
    if not data.situation or not data.suggestion:
        raise DomainError(_("Describe the situation and give the suggestion."))
    length = len(data.situation) + len(data.suggestion)
    if length > ITEM_MAX_CHARS:
        raise DomainError(
            _(
                "An item has at most %(max)d characters; this one has %(n)d. "
                "Keep to one issue and shorten it."
            )
            % {"max": ITEM_MAX_CHARS, "n": length}
        )
    return data


def _coauthors(committee_id: int, ids: list[int], exclude: int | None) -> list[Member]:
    wanted = {i for i in ids if i != exclude}
    found = list(Member.objects.filter(committee_id=committee_id, is_active=True, pk__in=wanted))
    if len(found) != len(wanted):
        raise DomainError(_("Co-authors must be serving members of this committee."))
    return found


def item_create(
    *,
    actor: Any,
    committee: Committee,
    data: ItemData,
    author: Member | None = None,
    action: OpinionAction = OpinionAction.CREATE,
    note: str = "",
    source_suggestion: Any = None,
    source_proposal: Any = None,
) -> Item:
    """A new draft, by a member (`author`) or for a sector, workroom or office
    (`data.author_unit`)."""
    data = _check(data)
    if author is not None and author.committee_id != committee.pk:
        raise DomainError(_("The author must be a member of this committee."))
    if author is None and not data.author_unit:
        raise DomainError(_("Say who writes it: a member, or a sector, workroom or office."))
    require(actor, "opinions.write_item", committee)
    return item_start(
        actor=actor,
        committee=committee,
        data=data,
        author=author,
        action=action,
        note=note,
        source_suggestion=source_suggestion,
        source_proposal=source_proposal,
    )


def item_start(
    *,
    actor: Any,
    committee: Committee,
    data: ItemData,
    author: Member | None = None,
    action: OpinionAction = OpinionAction.CREATE,
    note: str = "",
    source_suggestion: Any = None,
    source_proposal: Any = None,
) -> Item:
    """The draft, once the caller's permission is checked: `item_create`, or the step of a
    lower app (a suggestion forwarded, a proposal converted) whose own permission was."""
    data = _check(data)
    if author is not None and author.committee_id != committee.pk:
        raise DomainError(_("The author must be a member of this committee."))
    if author is None and not data.author_unit:
        raise DomainError(_("Say who writes it: a member, or a sector, workroom or office."))
    with transaction.atomic():
        item = Item.objects.create(
            committee=committee,
            author=author,
            author_unit=data.author_unit,
            title=data.title,
            situation=data.situation,
            suggestion=data.suggestion,
            source_suggestion=source_suggestion,
            source_proposal=source_proposal,
            created_by=actor,
        )
        item.coauthors.set(_coauthors(committee.pk, data.coauthor_ids, item.author_id))
        event_record(
            obj=item,
            committee_id=committee.pk,
            actor=actor,
            action=action,
            to_state=item.status,
            note=note,
        )
    return item


def item_update(*, actor: Any, item: Item, data: ItemData, expected_state: str) -> Revision | None:
    """Change the text; who changed what is kept (a Revision and an event)."""
    data = _check(data)
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if locked.status != expected_state:
            raise Conflict(_("The item has moved on since; reload the page."))
        require(actor, "opinions.change_item", locked)
        changes: dict[str, list[str]] = {}
        for name in EDITABLE:
            old, new = getattr(locked, name), getattr(data, name)
            if old != new:
                changes[name] = [old, new]
                setattr(locked, name, new)
        if locked.author_id is None and not locked.author_unit:
            raise DomainError(_("Say who writes it: a member, or a sector, workroom or office."))
        coauthors = _coauthors(locked.committee_id, data.coauthor_ids, locked.author_id)
        before = sorted(locked.coauthors.values_list("pk", flat=True))
        after = sorted(m.pk for m in coauthors)
        if before != after:
            changes["coauthors"] = [
                ", ".join(str(pk) for pk in before),
                ", ".join(str(pk) for pk in after),
            ]
        if not changes:
            return None
        locked.save()
        locked.coauthors.set(coauthors)
        revision = Revision.objects.create(item=locked, editor=actor, changes=changes)
        event_record(
            obj=locked,
            committee_id=locked.committee_id,
            actor=actor,
            action=OpinionAction.EDIT,
            note="、".join(str(LABELS.get(n, n)) for n in changes),
        )
    item.refresh_from_db()
    return revision


def item_transition(
    *, actor: Any, item: Item, action: str, note: str = "", expected_state: str | None = None
) -> Event:
    """Submit, send back, adopt or not adopt (the issue step is `issue_add`)."""
    if action == OpinionAction.ISSUE:
        raise DomainError(_("Put the item in an issue from the issues page."))

    def keep_note(locked: Item, _t: object) -> None:
        if action in (OpinionAction.ADOPT, OpinionAction.DECLINE, OpinionAction.SEND_BACK):
            locked.decision_note = note.strip()

    with transaction.atomic():
        event = ITEM_WORKFLOW.apply(
            item,
            action=action,
            actor=actor,
            note=note,
            expected_state=expected_state,
            on_apply=keep_note,
        )
        if action != OpinionAction.SUBMIT:
            authors_tell(item_id=item.pk)
    return event


def issue_create(
    *,
    actor: Any,
    committee: Committee,
    items: list[Item],
    series: str = Series.OPINIONS,
    recipients: str = "",
    year: int | None = None,
    sent_upward: bool = False,
) -> Issue:
    """A new issue with the next number of its series and year, holding `items` (each
    adopted, of the committee), which become issued."""
    if series not in Series.values:
        raise DomainError(_("Choose the series."))
    require(actor, "opinions.manage_issue", committee)
    if not items:
        raise DomainError(_("Choose the adopted items for the issue."))
    year = year or timezone.localdate().year
    try:
        with transaction.atomic():
            last = Issue.objects.filter(committee=committee, series=series, year=year).aggregate(
                n=Max("number")
            )["n"]
            issue = Issue.objects.create(
                committee=committee,
                series=series,
                year=year,
                number=(last or 0) + 1,
                recipients=recipients.strip()[:300],
                sent_upward=sent_upward and committee.parent_id is not None,
                created_by=actor,
            )
            for item in items:
                issue_add(actor=actor, issue=issue, item=item)
    except IntegrityError:
        raise Conflict(_("That issue number was just given; try again.")) from None
    return issue


def issue_add(*, actor: Any, issue: Issue, item: Item) -> Event:
    """Put an adopted item of the issue's committee in an open issue."""
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        require(actor, "opinions.manage_issue", locked)
        if locked.is_closed:
            raise DomainError(_("This issue is closed; nothing more can be added to it."))
        if item.committee_id != locked.committee_id:
            raise DomainError(_("The item belongs to another committee."))

        def put(it: Item, _t: object) -> None:
            it.issue = locked

        event = ITEM_WORKFLOW.apply(
            item,
            action=OpinionAction.ISSUE,
            actor=actor,
            note=str(locked),
            expected_state=ItemStatus.ADOPTED,
            on_apply=put,
        )
        authors_tell(item_id=item.pk)
        return event


def issue_close(*, actor: Any, issue: Issue) -> None:
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        require(actor, "opinions.manage_issue", locked)
        if locked.is_closed:
            raise DomainError(_("This issue is closed already."))
        locked.is_closed = True
        locked.save(update_fields=["is_closed"])
        for item in locked.items.all():
            event_record(
                obj=item,
                committee_id=item.committee_id,
                actor=actor,
                action=OpinionAction.ISSUE_CLOSE,
                note=str(locked),
            )
    issue.is_closed = True


def instruction_add(
    *,
    actor: Any,
    item: Item,
    level: str,
    leader: str,
    text: str,
    on: date | None,
    scan: CleanFile | None = None,
) -> Instruction:
    """Record a leader's instruction (批示) on an adopted or issued item, with its scan
    (a PDF or an image, judged by `core.uploads`) when there is one."""
    require(actor, "opinions.instruct_item", item)
    leader, text = leader.strip(), text.strip()
    if level not in LeaderLevel.values:
        raise DomainError(_("Choose the leader's level."))
    if not leader or on is None:
        raise DomainError(_("Give the leader and the date of the instruction."))
    if not text:
        raise DomainError(_("Write down the instruction."))
    if item.status not in (ItemStatus.ADOPTED, ItemStatus.ISSUED):
        raise DomainError(_("Only adopted or issued items receive instructions."))
    if scan is not None and scan.extension not in SCAN_KINDS:
        raise DomainError(kinds_message(SCAN_KINDS))
    with transaction.atomic():
        instruction = Instruction(
            item=item, level=level, leader=leader[:60], text=text, date=on, created_by=actor
        )
        if scan is not None:
            instruction.scan.save(scan.name, ContentFile(scan.content), save=False)
        instruction.save()
        event_record(
            obj=item,
            committee_id=item.committee_id,
            actor=actor,
            action=OpinionAction.INSTRUCTION,
            note=f"{LeaderLevel(level).label} {leader}：{text}"
            + ("（" + _("scan attached") + "）" if scan is not None else ""),
        )
        authors_tell(item_id=item.pk)
    return instruction


def instruction_scan_attach(*, actor: Any, instruction: Instruction, scan: CleanFile) -> None:
    """Attach the scan of an instruction recorded without one (it came later). A scan once
    attached stays: a second one is refused."""
    with transaction.atomic():
        locked = (
            Instruction.objects.select_for_update().select_related("item").get(pk=instruction.pk)
        )
        require(actor, "opinions.instruct_item", locked.item)
        scan_store_once(locked, scan)
        event_record(
            obj=locked.item,
            committee_id=locked.item.committee_id,
            actor=actor,
            action=OpinionAction.INSTRUCTION_SCAN,
            note=f"{locked.leader} {locked.date.isoformat()}",
        )
    instruction.scan = locked.scan


def item_take_up(*, actor: Any, item: Item) -> Item:
    """The upper committee's liaison office takes up an item a committee below issued and
    sent up: a copy in the upper committee, received (submitted) for it to decide on."""
    item = Item.objects.select_related("issue", "committee__parent", "author__user").get(pk=item.pk)
    if item.issue is None or not item.issue.sent_upward or item.committee.parent is None:
        raise DomainError(_("Only items sent up by the committee below can be taken up."))
    upper = item.committee.parent
    require(actor, "opinions.manage_issue", upper)
    with transaction.atomic():
        Item.objects.select_for_update().get(pk=item.pk)
        if Item.objects.filter(forwarded_from=item).exists():
            raise Conflict(_("This item has been taken up already."))
        copy = item_start(
            actor=actor,
            committee=upper,
            data=ItemData(
                title=item.title,
                situation=item.situation,
                suggestion=item.suggestion,
                author_unit=f"{item.committee.short_name} {item.author_display}"[:60],
            ),
            action=OpinionAction.FROM_BELOW,
            note=str(item.issue),
        )
        Item.objects.filter(pk=copy.pk).update(forwarded_from=item)
        ITEM_WORKFLOW.apply(copy, action=OpinionAction.SUBMIT, actor=actor)
        event_record(
            obj=item,
            committee_id=item.committee_id,
            actor=actor,
            action=OpinionAction.FROM_BELOW,
            note=str(upper),
        )
    copy.refresh_from_db()
    return copy
