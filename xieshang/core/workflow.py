"""Workflows as data plus one door.

An app declares its states as `TextChoices` and a table of `Transition`s; `Workflow.apply`
is the only code that changes the state field. It locks the row, checks the action is in
the table for the current state and that the actor holds one of the roles, writes the new
state and appends an `Event`, all in one transaction. Anything else is refused with a
clear message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from xieshang.core.errors import Forbidden, StaleState, TransitionNotAllowed
from xieshang.core.models import ActorKind, Event
from xieshang.core.services import event_record
from xieshang.people.access import Role, access_for

M = TypeVar("M", bound=models.Model)
RolesOf = Callable[[Any, Any], frozenset[Role]]


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    roles: frozenset[Role]
    label: str | Promise = ""
    public: bool = False
    note_required: bool = False


def committee_roles(obj: Any, actor: Any) -> frozenset[Role]:
    """Default: the roles the actor holds in the record's committee."""
    if actor == ActorKind.CITIZEN:
        return frozenset({Role.CITIZEN})
    if actor == ActorKind.SYSTEM:
        return frozenset({Role.SYSTEM})
    return access_for(actor).roles_in(obj.committee_id)


@dataclass(frozen=True)
class TimelineEntry:
    event: Event
    action: str
    from_state: str
    to_state: str


class Workflow(Generic[M]):
    def __init__(
        self,
        *,
        model: type[M],
        states: type[models.TextChoices],
        transitions: Iterable[Transition],
        field: str = "status",
        roles_of: RolesOf = committee_roles,
        labels: dict[str, str | Promise] | None = None,
    ) -> None:
        self.model = model
        self.states = states
        self.field = field
        self.roles_of = roles_of
        # Words for timeline events that are not transitions (a submission, a note).
        self.labels = labels or {}
        self.table: dict[tuple[str, str], Transition] = {}
        for t in transitions:
            if t.source not in states.values or t.target not in states.values:
                raise ValueError(f"Unknown state in {t}")
            if (t.source, t.action) in self.table:
                raise ValueError(f"Duplicate transition {t.source} --{t.action}->")
            self.table[(t.source, t.action)] = t

    @property
    def actions(self) -> frozenset[str]:
        return frozenset(action for _source, action in self.table)

    def state_label(self, value: str) -> str:
        return str(self.states(value).label) if value in self.states.values else value

    def available(self, obj: M, actor: Any) -> list[Transition]:
        """Transitions the actor may take from the record's current state."""
        current = getattr(obj, self.field)
        roles = self.roles_of(obj, actor)
        return [
            t
            for (source, _action), t in self.table.items()
            if source == current and (roles & t.roles or Role.SUPERUSER in roles)
        ]

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
            roles = self.roles_of(locked, actor)
            if not (roles & transition.roles or Role.SUPERUSER in roles):
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
                action=action,
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
        if action in self.labels:
            return str(self.labels[action])
        for t in self.table.values():
            if t.action == action and t.label:
                return str(t.label)
        return action
