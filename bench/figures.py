"""Figures benchmark: the dashboard's computation for a district-year and for the city
roll-up, on PostgreSQL, at scale.

Creates (unless it exists) the database `xieshang_figures_bench` on 127.0.0.1:5432,
migrates it, and fills it with generated records of 11 committees (the city and ten
districts) over 3 years — by default 1,000,000 suggestions (with dispositions and
referrals), 200,000 activities (with two members each), 100,000 proposals (with replies
and ratings), shifts, bookings and workrooms — written by INSERT … SELECT
generate_series, so a fill takes a minute or two rather than hours. Then it times, warm,
`figure_table` (this year and last, and the roll-up columns for the city) and `compute`
alone, for a district-year and the city-year, and prints one JSON object: p50 and p95 in
ms, and the queries each makes.

    .venv/bin/python bench/figures.py                     # full scale
    .venv/bin/python bench/figures.py --scale 0.1         # a tenth
    .venv/bin/python bench/figures.py --keep              # reuse the filled database

A benchmark, not a test: it exits 0 when a target (p95 < 300 ms) is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "xieshang_figures_bench"
BASE_URL = "postgres://postgres@127.0.0.1:5432/"

YEARS = (2024, 2025, 2026)


def prepare_database(db: str, keep: bool) -> bool:
    """Create the database; True when it was already there and filled (with --keep)."""
    import psycopg

    with psycopg.connect(BASE_URL + "postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,)).fetchone()
        if exists and keep:
            return True
        if exists:
            conn.execute(f'DROP DATABASE "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')
    return False


def setup_django(db: str) -> None:
    os.environ["DATABASE_URL"] = BASE_URL + db
    os.environ.setdefault("XIESHANG_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
    import django

    django.setup()


def insert_select(model: Any, count: int, given: dict[str, str]) -> None:
    """INSERT INTO model's table SELECT … FROM generate_series(1, count) AS g(i): the
    columns `given` names get their SQL expression (of `i`), the others NULL when they
    may be or their model default. `@AT@` in an expression is the record's time, rising
    with `i` over the three years: records are stored in the order they arrive, as in
    production (scattering them at random over the table would make every row of a
    period a page of its own)."""
    from django.db import connection

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.name not in given:
            continue
        columns.append(f'"{field.column}"')
        if field.name in given:
            values.append(given[field.name])
        elif field.null:
            values.append("NULL")
        elif field.has_default() and not callable(field.default):
            default = field.default
            if isinstance(default, bool):
                values.append("TRUE" if default else "FALSE")
            elif isinstance(default, int | float):
                values.append(str(default))
            else:
                values.append("'" + str(default).replace("'", "''") + "'")
        elif field.get_internal_type() in ("CharField", "TextField", "SlugField", "FileField"):
            values.append("''")
        elif field.get_internal_type() == "DateTimeField":
            values.append("now()")
        else:
            raise SystemExit(f"{model.__name__}.{field.name} needs a value")
    minutes = 365 * len(YEARS) * 1440
    at = (
        f"(timestamptz '{YEARS[0]}-01-01 00:00+08'"
        f" + (i::bigint * {minutes} / {count}) * interval '1 minute')"
    )
    values = [v.replace("@AT@", at) for v in values]
    sql = (
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '
        f"SELECT {', '.join(values)} FROM generate_series(1, {count}) AS g(i)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)


def pick(words: str) -> str:
    """SQL choosing one of the words by i, in turn."""
    items = words.split()
    return "(ARRAY[" + ",".join(f"'{w}'" for w in items) + f"])[1 + i % {len(items)}]"


def fill(scale: float) -> dict[str, int]:
    from django.core.management import call_command
    from django.db import connection

    from xieshang.activities.models import Activity, ActivityKind
    from xieshang.core.models import Committee
    from xieshang.duty.models import Booking, Shift, Slot
    from xieshang.people.models import Department, Member, User
    from xieshang.proposals.models import (
        Assignment,
        Proposal,
        ProposalCategory,
        ProposalRating,
        Reply,
    )
    from xieshang.suggestions.models import Disposition, Referral, Suggestion
    from xieshang.workrooms.models import Workroom, WorkroomMembership

    call_command("migrate", verbosity=0)
    n_sugg = int(1_000_000 * scale)
    n_act = int(200_000 * scale)
    n_prop = int(100_000 * scale)
    city = Committee.objects.create(name="广州市政协", short_name="市政协", code="gz", level="city")
    districts = [
        Committee.objects.create(
            name=f"区政协{i}", short_name=f"区{i}", code=f"d{i}", level="district", parent=city
        )
        for i in range(10)
    ]
    committees = [city, *districts]
    ids = [c.pk for c in committees]
    first, span = ids[0], len(ids)
    user = User.objects.create(username="bench")
    kinds = {c.pk: ActivityKind.objects.create(committee=c, name="进社区").pk for c in committees}
    cats = {c.pk: ProposalCategory.objects.create(committee=c, name="城建").pk for c in committees}
    deps = {c.pk: Department.objects.create(committee=c, name=f"部门{c.pk}").pk for c in committees}
    # committees are consecutive ids; pick one by i
    cid = f"({first} + (i % {span}))"
    per = 400  # members per committee
    insert_select(User, per * span, {"username": "'u' || i", "password": "'!'", "name": "'委员'"})
    user_first = User.objects.filter(username="u1").values_list("pk", flat=True).get()
    insert_select(
        Member, per * span, {"user": f"{user_first} + i - 1", "committee": cid, "is_active": "TRUE"}
    )
    member_first = Member.objects.order_by("pk").values_list("pk", flat=True).first()
    # a member of committee c: member_first + (k * span) + (c - first)
    member_of = f"({member_first} + ((i / {span}) % {per}) * {span} + (i % {span}))"
    kinds_list = list(Workroom._meta.get_field("kind").choices or [])
    insert_select(
        Workroom,
        40 * span,
        {
            "committee": cid,
            "name": "'工作室' || i",
            "code": "'w' || i",
            "kind": "(ARRAY["
            + ",".join(f"'{k}'" for k, _l in kinds_list)
            + f"])[1 + (i / {span}) % {len(kinds_list)}]",
            "status": "CASE WHEN i % 10 = 0 THEN 'preparing' ELSE 'active' END",
            "created_at": "now()",
            "updated_at": "now()",
        },
    )
    room_first = Workroom.objects.order_by("pk").values_list("pk", flat=True).first()
    room_of = f"({room_first} + (i % {40 * span}))"
    insert_select(
        WorkroomMembership,
        per * span,
        {
            "workroom": f"({room_first} + (i - 1) % {40 * span})",
            "member": f"{member_first} + i - 1",
        },
    )
    days = 365 * len(YEARS)
    when = "@AT@"  # the record's time: in order of i, as records arrive (see insert_select)
    insert_select(
        Suggestion,
        n_sugg,
        {
            "committee": cid,
            "tracking_code": "'T' || i",
            "idempotency_key": "'k' || i",
            "title": "'百姓提案' || i",
            "content": "'内容'",
            "source": "(ARRAY['web','workroom','campaign','on_behalf'])[1 + i % 4]",
            "channel": "(ARRAY['online','visit','phone','field_visit','cloud'])[1 + i % 5]",
            "workroom": f"CASE WHEN i % 3 = 0 THEN {room_of} END",
            "status": pick("new triage handling answered closed rejected"),
            "rating": "(ARRAY['','satisfied','fairly','unsatisfied'])[1 + i % 4]",
            "consented_at": when,
            "created_at": when,
            "updated_at": when,
        },
    )
    s_first = Suggestion.objects.order_by("pk").values_list("pk", flat=True).first()
    insert_select(
        Disposition,
        n_sugg // 2,
        {
            "suggestion": f"{s_first} + i * 2 - 1",
            "kind": pick("referral answer opinion topic escalation reject"),
            "created_by": str(user.pk),
            "created_at": "now()",
        },
    )
    insert_select(
        Referral,
        n_sugg // 4,
        {
            "suggestion": f"{s_first} + i * 4 - 1",
            "committee": f"({first} + ((i * 4 - 1 - 1) % {span}))",
            "department": f"({deps[first]} + ((i * 4 - 2) % {span}))",
            "deadline": when + " + interval '10 days'",
            "status": "(ARRAY['sent','signed','approved','replied'])[1 + i % 4]",
            "replied_at": when + " + (i % 15) * interval '1 day'",
            "created_by": str(user.pk),
            "created_at": when,
            "updated_at": when,
        },
    )
    insert_select(
        Activity,
        n_act,
        {
            "committee": cid,
            "kind": f"({kinds[first]} + (i % {span}))",
            "title": "'活动' || i",
            "date": f"(date '{YEARS[0]}-01-01' + (i::bigint * {days} / {n_act})::int)",
            "workroom": f"CASE WHEN i % 2 = 0 THEN {room_of} END",
            "citizens_reached": "i % 50",
            "issues_collected": "i % 7",
            "recorded_by": str(user.pk),
            "created_at": "now()",
        },
    )
    a_first = Activity.objects.order_by("pk").values_list("pk", flat=True).first()
    other_member = f"({member_first} + ((i / {span} + 7) % {per}) * {span} + (i % {span}))"
    through = Activity.members.through
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{through._meta.db_table}" (activity_id, member_id) '
            f"SELECT {a_first} + i - 1, m FROM generate_series(1, {n_act}) AS g(i), "
            f"LATERAL (VALUES ({member_of}), ({other_member})) AS v(m)"
        )
    insert_select(
        Proposal,
        n_prop,
        {
            "committee": cid,
            "kind": "'interim'",
            "title": "'提案' || i",
            "analysis": "'分析'",
            "recommendations": "'建议'",
            "category": f"({cats[first]} + (i % {span}))",
            "proposer_kind": "'member'",
            "lead": member_of,
            "status": pick("submitted accepted not_accepted handling replied closed merged"),
            "created_by": str(user.pk),
            "created_at": when,
            "submitted_at": when,
        },
    )
    p_first = Proposal.objects.order_by("pk").values_list("pk", flat=True).first()
    insert_select(
        Assignment,
        n_prop // 2,
        {
            "committee": f"({first} + ((i * 2 - 1) % {span}))",
            "proposal": f"{p_first} + i * 2 - 1",
            "department": f"({deps[first]} + ((i * 2 - 1) % {span}))",
            "role": "'lead'",
            "status": "'replied'",
            "deadline": when + " + interval '90 days'",
            "return_by": when,
            "assigned_at": when,
        },
    )
    as_first = Assignment.objects.order_by("pk").values_list("pk", flat=True).first()
    insert_select(
        Reply,
        n_prop // 2,
        {
            "assignment": f"{as_first} + i - 1",
            "text": "'答复'",
            "grade": "(ARRAY['A','B','C','D'])[1 + i % 4]",
            "drafted_by": str(user.pk),
            "sent_at": when + " + (i % 120) * interval '1 day'",
        },
    )
    insert_select(
        ProposalRating,
        n_prop // 2,
        {
            "proposal": f"{p_first} + i * 2 - 1",
            "member": f"({member_first} + ((i * 2 - 1) % {span}))",
            "value": "(ARRAY['satisfied','basically','dissatisfied'])[1 + i % 3]",
            "created_at": when,
        },
    )
    insert_select(
        Shift,
        n_act // 2,
        {
            "committee": cid,
            "workroom": room_of,
            "member": member_of,
            "date": f"(date '{YEARS[0]}-01-01' + (i::bigint * {days} / ({n_act} / 2))::int)",
            "starts_at": when,
            "ends_at": when + " + interval '2 hours'",
            "status": "'scheduled'",
            "created_at": "now()",
        },
    )
    shift_first = Shift.objects.order_by("pk").values_list("pk", flat=True).first()
    insert_select(
        Slot,
        n_act // 4,
        {
            "shift": f"{shift_first} + i - 1",
            "starts_at": when,
            "ends_at": when + " + interval '20 minutes'",
        },
    )
    slot_first = Slot.objects.order_by("pk").values_list("pk", flat=True).first()
    insert_select(
        Booking,
        n_act // 4,
        {
            "slot": f"{slot_first} + i - 1",
            "committee": cid,
            "code": "'B' || i",
            "workroom": room_of,
            "member": member_of,
            "starts_at": when,
            "ends_at": when + " + interval '20 minutes'",
            "mode": "'in_person'",
            "citizen_name": "'群众'",
            "phone_lookup": "'x'",
            "phone_masked": "'138****0000'",
            "topic": "'话题'",
            "status": "(ARRAY['confirmed','completed','no_show','cancelled'])[1 + i % 4]",
            "idempotency_key": "'b' || i",
            "video_room": "'v' || i",
            "created_at": when,
        },
    )
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk insert: statistics, and the visibility map
        # that lets a covering index answer without the table.
        cursor.execute("VACUUM ANALYZE")
    return {
        "committees": span,
        "suggestions": n_sugg,
        "activities": n_act,
        "proposals": n_prop,
    }


def timed(fn: Any, runs: int) -> tuple[float, float, int]:
    from django.db import connection, reset_queries

    fn()  # warm
    samples = []
    queries = 0
    for _ in range(runs):
        reset_queries()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
        queries = len(connection.queries)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples) + 0.5) - 1)]
    return round(statistics.median(samples), 1), round(p95, 1), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--keep", "--reuse", action="store_true", help="reuse a filled database (migrated)"
    )
    parser.add_argument("--db", default=DB, help=f"the database's name (default {DB})")
    args = parser.parse_args()
    filled = prepare_database(args.db, args.keep)
    setup_django(args.db)
    from django.conf import settings
    from django.db import connection

    from xieshang.core.models import Committee
    from xieshang.core.periods import Period
    from xieshang.figures.selectors import Scope, compute
    from xieshang.figures.views_data import figure_table

    start = time.perf_counter()
    if filled:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # indexes added since the fill
    sizes = {} if filled else fill(args.scale)
    fill_s = round(time.perf_counter() - start, 1)
    from xieshang.figures import cube
    from xieshang.figures.models import MonthChange

    start = time.perf_counter()
    built = cube.build()  # the monthly pre-aggregates, from the records
    cube_build_s = round(time.perf_counter() - start, 1)
    settings.DEBUG = True  # count queries
    connection.force_debug_cursor = True
    city = Committee.objects.get(code="gz")
    district = Committee.objects.get(code="d3")
    period = Period.year(YEARS[1])
    results: dict[str, Any] = {
        "database": "postgresql",
        "scale": args.scale,
        "sizes": sizes,
        "fill_s": fill_s,
        "runs": args.runs,
        "cube_months_built": built,
        "cube_build_s": cube_build_s,
    }
    for name, committee in (("district_year", district), ("city_year", city)):
        scope = Scope.of(committee)
        p50, p95, queries = timed(lambda scope=scope: compute(scope, period), args.runs)
        results[f"{name}_compute"] = {"p50_ms": p50, "p95_ms": p95, "queries": queries}
        p50, p95, queries = timed(
            lambda committee=committee: figure_table(committee, period), args.runs
        )
        results[f"{name}_dashboard"] = {"p50_ms": p50, "p95_ms": p95, "queries": queries}
    # The same with one month of the year changed since its pre-aggregate was built (as
    # the current month is, in use): that month is counted from the records.
    changed = MonthChange.objects.bulk_create(
        MonthChange(base=base, month=period.start.replace(month=12)) for base in cube.CUBED
    )
    for name, committee in (("district_year", district), ("city_year", city)):
        p50, p95, queries = timed(
            lambda committee=committee: figure_table(committee, period), args.runs
        )
        results[f"{name}_dashboard_one_month_changed"] = {
            "p50_ms": p50,
            "p95_ms": p95,
            "queries": queries,
        }
    start = time.perf_counter()
    results["cube_refresh_months"] = cube.refresh()
    results["cube_refresh_s"] = round(time.perf_counter() - start, 2)
    assert not MonthChange.objects.filter(pk__in=[c.pk for c in changed]).exists()
    results["target_p95_ms"] = 300
    results["met"] = all(
        results[f"{name}_dashboard"]["p95_ms"] < 300 for name in ("district_year", "city_year")
    )
    # The machine's load while timing: on a shared machine the times grow with it.
    results["load_average_1m"] = round(os.getloadavg()[0], 2)
    results["cpus"] = os.cpu_count()
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
