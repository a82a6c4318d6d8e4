"""docs/permissions.md, written from the code: every permission the apps' rules.py register,
who holds it, every workflow's transitions and the permission each names, and every page
with what it asks for. `manage.py permissions_doc` writes it; a test checks it is current,
so the document cannot drift from the rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from xieshang.core.decorators import is_public, required_perm
from xieshang.core.models import ActorKind
from xieshang.core.rules import PERMISSIONS, allowed
from xieshang.core.workflow import Workflow
from xieshang.people.access import Access
from xieshang.people.models import StaffRole

HEADER = """# Permissions

<!-- Written by `python manage.py permissions_doc` from the apps' rules.py, workflow.py and
urls.py: do not edit by hand (a test fails when this file is not what the code says). The
how and why — scoping, citizens' contact details, the admin, the URL walk, how to add a
page — is in [access.md](access.md). -->

Access comes from **positions in committees** (`people/access.py`), never from Django groups.
Each app's `rules.py` names one permission per action (`core.rules.permission`), built from
the predicates of `people/rules.py` (who a user is in the record's committee) and the app's
own (who a user is to the record: the lead proposer, the member on duty, the department a
referral went to…). Pages ask for a permission without a record (`workspace_required`) and
again on the record; workflow transitions name theirs (`Transition.perm`, by default
`app.action_model`); services enforce theirs with `core.rules.require`. Selectors only narrow
the rows to the user's committees.

In the tables below, a role column says whether someone holding only that position holds
the permission **somewhere** (the check without a record); the rule says for which records.
"""

# Who the role columns stand for: a user holding only that position (in one committee).
ROLES = ("superuser", "staff", "proposal office", "member", "clerk", "leader", "citizen")


@dataclass(frozen=True)
class _Cast:
    """A stand-in user whose positions are given, not read from the database (its id is
    nobody's, so a predicate that asks the database finds nothing)."""

    pk: int
    _xieshang_access: Any
    is_authenticated: bool = True
    is_active: bool = True


def _actors() -> dict[str, Any]:
    one = frozenset({1})
    return {
        "superuser": _Cast(-1, Access(is_superuser=True)),
        "staff": _Cast(-2, Access(staff={1: frozenset(StaffRole.values)})),
        "proposal office": _Cast(-3, Access(staff={1: frozenset({StaffRole.PROPOSAL_OFFICE})})),
        "member": _Cast(-4, Access(member_of=one)),
        "clerk": _Cast(-5, Access(clerk_of={1: 1})),
        "leader": _Cast(-6, Access(leader_of=one)),
        "citizen": ActorKind.CITIZEN,
    }


class _NeedsDatabase(Exception):
    pass


def _no_database(*args: Any) -> Any:
    raise _NeedsDatabase


def _mark(actor: Any, perm: str) -> str:
    """✓ or nothing; · where the answer depends on rows of the database (a relation such as
    the department head): the document must not depend on what a database holds."""
    try:
        with connection.execute_wrapper(_no_database):
            return "✓" if allowed(actor, perm) else ""
    except _NeedsDatabase:
        return "·"


def _patterns(
    resolver: URLResolver, prefix: str = "", ns: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from _patterns(entry, prefix + str(entry.pattern), namespace)
        elif isinstance(entry, URLPattern):
            name = f"{ns}{entry.name}" if entry.name else ""
            yield prefix + str(entry.pattern), name, entry.callback


def render() -> str:
    pages = sorted(_patterns(get_resolver()), key=lambda p: p[0])  # loads every app's views
    actors = _actors()
    out = [HEADER]
    out.append("## Permissions\n")
    out.append(
        "· = answered only from the database's rows (a relation such as the department "
        "head); the rule column says which.\n"
    )
    by_app: dict[str, list[str]] = defaultdict(list)
    for name in PERMISSIONS:
        by_app[name.split(".", 1)[0]].append(name)
    for app in sorted(by_app):
        out.append(f"\n### {app}\n")
        out.append("| permission | what it allows | " + " | ".join(ROLES) + " | rule |")
        out.append("|---|---|" + "---|" * len(ROLES) + "---|")
        for name in sorted(by_app[app]):
            perm = PERMISSIONS[name]
            marks = " | ".join(_mark(actors[role], name) for role in ROLES)
            rule = perm.predicate.name.replace("|", "∨").replace("&", "∧")
            out.append(f"| `{name}` | {perm.doc} | {marks} | `{rule}` |")
    out.append("\n## Workflows\n")
    out.append(
        "Every state change goes through `Workflow.apply` (core/workflow.py): the row locked, "
        "the state checked against the table, the actor's permission checked on the record, "
        "an event appended. Public events show on the citizen's or the public timeline.\n"
    )
    for workflow in sorted(Workflow.registry, key=lambda w: w.model._meta.label):
        meta = workflow.model._meta
        out.append(f"\n### {meta.label} ({meta.verbose_name})\n")
        out.append("| from | action | to | permission | public | reason required |")
        out.append("|---|---|---|---|---|---|")
        for t in workflow.table.values():
            out.append(
                f"| {t.source} | `{t.action}` | {t.target} | `{t.perm}` | "
                f"{'✓' if t.public else ''} | {'✓' if t.note_required else ''} |"
            )
    out.append("\n## Pages\n")
    out.append(
        "Every page is public (`@public`: the same for everyone, POSTs CSRF-protected) or "
        "asks for a permission without a record (`workspace_required`; anonymous users go to "
        "the login page, users without it get 403) and then reads through a scoped selector "
        "(a record of another committee is a 404) and checks the record's permission "
        "(403). The admin (`/admin/`) is scoped by `people/admin.py`.\n"
    )
    out.append("| address | name | who |")
    out.append("|---|---|---|")
    for pattern, name, view in pages:
        if pattern.startswith("admin/"):
            continue
        asks = required_perm(view)
        who = "public" if is_public(view) else (f"`{asks}`" if asks else "signed in")
        out.append(f"| `/{pattern}` | `{name}` | {who} |")
    return "\n".join(out) + "\n"
