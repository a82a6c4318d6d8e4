"""Workflows as data plus one door.

An app declares its states as `TextChoices`, its event actions as an `EventAction` enum,
and a table of `Transition`s, each naming the permission (the app's rules.py) that lets an
actor take it; `Workflow.apply` is the only code that changes the state field. It locks the
row, checks the action is in the table for the current state and that the actor holds the
transition's permission for the record, writes the new state and appends an `Event`, all in
one transaction. Anything else is refused with a clear message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Generic, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from xieshang.core.errors import Forbidden, StaleState, TransitionNotAllowed
from xieshang.core.models import Event, EventAction, action_label
from xieshang.core.rules import PERMISSIONS, allowed
from xieshang.core.services import event_record

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Transition:
    """One row of a workflow's table: from `source`, `action` leads to `target` for an actor
    holding permission `perm` on the record. `public` events show on the citizen's (or the
    public) timeline; `note_required` asks for a reason."""

    source: str
    action: EventAction
    target: str
    public: bool = False
    note_required: bool = False
    # "app.action_model" unless given: the workflow fills it in from its model.
    perm: str = ""

    @property
    def label(self) -> str:
        return str(self.action.label)


@dataclass(frozen=True)
class TimelineEntry:
    event: Event
    action: str
    from_state: str
    to_state: str


def event_timeline(obj: Any) -> list[TimelineEntry]:
    """The timeline of a record without states (an activity, a meeting), oldest first, its
    actions in words. The caller has checked that the user may see `obj`."""
    return [
        TimelineEntry(event=e, action=e.action_display, from_state="", to_state="")
        for e in Event.objects.for_object(obj).select_related("actor", "content_type")
    ]


class Workflow(Generic[M]):
    # Every workflow, for docs/permissions.md and the tests that check the tables.
    registry: ClassVar[list[Workflow[Any]]] = []

    def __init__(
        self,
        *,
        model: type[M],
        states: type[models.TextChoices],
        actions: type[EventAction],
        transitions: Iterable[Transition],
        field: str = "status",
    ) -> None:
        self.model = model
        self.states = states
        self.actions_enum = actions
        self.field = field
        self.table: dict[tuple[str, str], Transition] = {}
        meta = model._meta
        for t in transitions:
            if not t.perm:
                t = replace(t, perm=f"{meta.app_label}.{t.action}_{meta.model_name}")
            if t.source not in states.values or t.target not in states.values:
                raise ValueError(f"Unknown state in {t}")
            if t.action not in actions.values:
                raise ValueError(f"{t.action!r} is not one of {actions.__name__}")
            if (t.source, t.action) in self.table:
                raise ValueError(f"Duplicate transition {t.source} --{t.action}->")
            self.table[(t.source, t.action)] = t
        Workflow.registry.append(self)

    def __repr__(self) -> str:
        return f"<Workflow of {self.model.__name__}>"

    def check_permissions(self) -> list[str]:
        """The transitions naming a permission no rules.py registered (a test asks)."""
        return [
            f"{self.model.__name__} {t.source} --{t.action}-> {t.perm}"
            for t in self.table.values()
            if t.perm not in PERMISSIONS
        ]

    @property
    def actions(self) -> frozenset[str]:
        return frozenset(action for _source, action in self.table)

    def state_label(self, value: str) -> str:
        return str(self.states(value).label) if value in self.states.values else value

    def available(self, obj: M, actor: Any) -> list[Transition]:
        """Transitions the actor may take from the record's current state."""
        current = getattr(obj, self.field)
        return [
            t
            for (source, _action), t in self.table.items()
            if source == current and allowed(actor, t.perm, obj)
        ]

    def available_by_action(self, obj: M, actor: Any) -> dict[str, Transition]:
        """The same, keyed by action: what a page asks ("may this user sign it?")."""
        return {str(t.action): t for t in self.available(obj, actor)}

    def apply(
        self,
        obj: M,
        *,
        action: str,
        actor: Any,
        note: str = "",
        expected_state: str | None = None,
        on_apply: Callable[[M, Transition], None] | None = None,
    ) -> Event:
        """Move `obj` by `action`, or raise without changing anything.

        `expected_state` is the state the actor saw; if the record has moved on since
        (a stale form, a second click) the request is refused with 409. `on_apply` may
        set other fields on the locked row in the same transaction.
        """
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
            current: str = getattr(locked, self.field)
            if expected_state is not None and current != expected_state:
                raise StaleState(
                    _("This record is now “%(state)s”; the page you used is out of date.")
                    % {"state": self.state_label(current)}
                )
            if action not in self.actions:
                raise TransitionNotAllowed(_("Unknown action “%(action)s”.") % {"action": action})
            transition = self.table.get((current, action))
            if transition is None:
                raise TransitionNotAllowed(
                    _("“%(action)s” is not possible while the record is “%(state)s”.")
                    % {"action": self._action_label(action), "state": self.state_label(current)}
                )
            if not allowed(actor, transition.perm, locked):
                raise Forbidden(
                    _("You may not “%(action)s” this record.")
                    % {"action": self._action_label(action)}
                )
            if transition.note_required and not note.strip():
                raise TransitionNotAllowed(_("Please give a reason."))
            setattr(locked, self.field, transition.target)
            if on_apply is not None:
                on_apply(locked, transition)
            locked.save()  # the row is locked: saving all of it overwrites nothing newer
            event = event_record(
                obj=locked,
                committee_id=locked.committee_id,  # type: ignore[attr-defined]
                actor=actor,
                action=transition.action,
                from_state=current,
                to_state=transition.target,
                note=note,
                is_public=transition.public,
            )
        setattr(obj, self.field, transition.target)
        return event

    def describe(self, event: Event) -> TimelineEntry:
        """The event with its action and states in words, for a timeline."""
        return TimelineEntry(
            event=event,
            action=self._action_label(event.action),
            from_state=self.state_label(event.from_state) if event.from_state else "",
            to_state=self.state_label(event.to_state) if event.to_state else "",
        )

    def timeline(self, obj: M, *, public_only: bool) -> list[TimelineEntry]:
        """The record's timeline in words, oldest first. The caller has checked that the
        user may see `obj`; citizens and public pages get only its public steps."""
        qs = Event.objects.for_object(obj).select_related("actor")
        if public_only:
            qs = qs.filter(is_public=True)
        return [self.describe(event) for event in qs]

    def _action_label(self, action: str) -> str:
        if action in self.actions_enum.values:
            return str(self.actions_enum(action).label)
        return action_label(action)


@dataclass(frozen=True)
class Handling:
    """The shape every department-handling workflow shares (交办 → 签收 → 答复 → 审核): a
    record given to a department, which signs for it or asks to return it (the committee
    takes it back or refuses), replies, and whose reply is approved or sent back. Referrals
    of suggestions, proposal assignments and consultation opinions name their own states
    and actions here; `transitions()` builds the one table they all follow."""

    waiting: str
    signed: str
    return_requested: str
    returned: str
    replied: str
    approved: str
    sign: EventAction
    ask_return: EventAction
    accept_return: EventAction
    refuse_return: EventAction
    reply: EventAction
    approve: EventAction
    send_back: EventAction
    # May the department still ask to return it once it has signed for it?
    return_after_signing: bool = True
    # A refused return goes back to waiting for a signature (else: signed for).
    refused_return_waits: bool = False

    def transitions(self) -> list[Transition]:
        return_from = [self.waiting, self.signed] if self.return_after_signing else [self.waiting]
        refused_to = self.waiting if self.refused_return_waits else self.signed
        return [
            Transition(self.waiting, self.sign, self.signed),
            *(
                Transition(state, self.ask_return, self.return_requested, note_required=True)
                for state in return_from
            ),
            Transition(self.return_requested, self.accept_return, self.returned),
            Transition(self.return_requested, self.refuse_return, refused_to, note_required=True),
            Transition(self.signed, self.reply, self.replied),
            Transition(self.replied, self.approve, self.approved),
            Transition(self.replied, self.send_back, self.signed, note_required=True),
        ]
