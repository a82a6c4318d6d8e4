"""Booking benchmark: citizens racing for a few slots through the real booking page.

Creates a PostgreSQL database (unless it exists), migrates it, adds one committee "bench"
with an open workroom and future shifts split into slots, starts gunicorn on 127.0.0.1
and lets concurrent clients book for a fixed time, the way a phone does: GET the form of
a slot (CSRF cookie and token), ask for an SMS code (the server's SMS backend is a file
per number, which the client reads), then POST the booking form. Every client aims at a
random one of the first few slots that are not known to be full, so many of them race
for the same place; a 409 ("已被预约") sends the client on to another slot with the same
code. Afterwards it counts, straight from the database, the slots whose confirmed
bookings exceed their capacity, and prints one JSON object.

    .venv/bin/python bench/booking.py

A benchmark, not a test: it exits 0 when a target is missed, and non-zero only when it
could not run. `overbooked_slots` must be 0. Everything it talks to is on this machine.

This file is also the server's SMS backend for the run (`booking.FileSmsBackend`, with
bench/ on PYTHONPATH): a text to a number is written to a file named after it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
WORKROOM_CODE = "bench-room"
BOOK_PATH = f"/w/{WORKROOM_CODE}/book/"
REQUEST_TIMEOUT_S = 15.0
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_CODE = re.compile(r"\b([0-9]{6})\b")


class FileSmsBackend:
    """The server's SMS backend during the run: the last text to a number, in a file."""

    def send(self, phone: str, text: str) -> None:
        folder = Path(os.environ["BENCH_SMS_DIR"])
        (folder / f"{phone}.tmp").write_text(text, encoding="utf-8")
        (folder / f"{phone}.tmp").replace(folder / phone)


# The server side imports this module only for FileSmsBackend; the rest needs psycopg and
# the intake benchmark's helpers.
if __name__ == "__main__":
    import psycopg
    from intake import (
        check_local,
        create_database,
        database_name,
        drop_database,
        free_port,
        gunicorn_command,
        manage,
        percentile,
        server_env,
        stop,
    )

_SEED = """
import json
from datetime import datetime, time, timedelta
from django.utils import timezone
from xieshang.core.models import Committee
from xieshang.duty.models import Shift, Slot
from xieshang.people.models import Member, User
from xieshang.workrooms.models import Workroom

c, _ = Committee.objects.get_or_create(
    code="bench", defaults=dict(name="基准测试区政协", short_name="基准测试", level="district")
)
w, _ = Workroom.objects.get_or_create(
    code="WORKROOM_CODE", defaults=dict(committee=c, name="基准测试委员工作室", kind="street")
)
Workroom.objects.filter(pk=w.pk).update(status="active", address="基准路 1 号")
user, _ = User.objects.get_or_create(username="bench.member", defaults=dict(name="基准委员"))
member, _ = Member.objects.get_or_create(user=user, committee=c)
tz = timezone.get_current_timezone()
day = timezone.localdate() + timedelta(days=1)
made = 0
while made < SLOTS:
    start = datetime.combine(day, time(8, 0), tzinfo=tz)
    n = min(60, SLOTS - made)
    shift = Shift.objects.create(
        committee=c, workroom=w, member=member, date=day, starts_at=start,
        ends_at=start + timedelta(minutes=10 * n),
    )
    Slot.objects.bulk_create(
        Slot(shift=shift, starts_at=start + timedelta(minutes=10 * i),
             ends_at=start + timedelta(minutes=10 * (i + 1)), capacity=CAPACITY)
        for i in range(n)
    )
    made += n
    day += timedelta(days=1)
ids = list(
    Slot.objects.filter(shift__workroom=w, booked=0, starts_at__gt=timezone.now())
    .order_by("starts_at").values_list("pk", flat=True)
)
print(json.dumps({"slots": ids}))
"""


def log(message: str) -> None:
    print(f"[booking] {message}", file=sys.stderr, flush=True)


class SlotBoard:
    """What the clients believe about the slots: the first `window` not known to be full
    are the ones they race for."""

    def __init__(self, slots: list[int], capacity: int, window: int) -> None:
        self.slots = slots
        self.capacity = capacity
        self.window = window
        self.full: set[int] = set()
        self.won: Counter[int] = Counter()
        self.start = 0
        self.lock = threading.Lock()

    def pick(self, rng: Any) -> int | None:
        with self.lock:
            while self.start < len(self.slots) and self.slots[self.start] in self.full:
                self.start += 1
            open_ = [
                s
                for s in self.slots[self.start : self.start + 4 * self.window]
                if s not in self.full
            ][: self.window]
            return rng.choice(open_) if open_ else None

    def booked(self, slot: int) -> None:
        with self.lock:
            self.won[slot] += 1
            if self.won[slot] >= self.capacity:
                self.full.add(slot)

    def taken(self, slot: int) -> None:
        with self.lock:
            self.full.add(slot)


@dataclass
class ClientResult:
    latencies_ms: list[float] = field(default_factory=list)
    booked: int = 0
    conflicts: int = 0
    code_requests: int = 0
    errors: Counter[str] = field(default_factory=Counter)


class Client:
    def __init__(self, number: int, port: int, deadline: float, board: SlotBoard, sms: Path):
        import random

        self.number = number
        self.rng = random.Random(number)
        self.port = port
        self.deadline = deadline
        self.board = board
        self.sms = sms
        self.result = ClientResult()
        self.cookie = ""
        self.token = ""
        self.sequence = 0

    def request(
        self, conn: http.client.HTTPConnection, method: str, path: str, body: dict[str, Any]
    ) -> tuple[int, str, str]:
        headers = {
            "Cookie": self.cookie,
            "Referer": f"http://127.0.0.1:{self.port}{path}",
            # Each citizen comes from an address of their own, as nginx reports it (the
            # server runs with BEHIND_PROXY=1): the per-address limit on SMS codes stays on.
            "X-Forwarded-For": f"10.{self.number % 256}.{self.sequence // 256 % 256}."
            f"{self.sequence % 256}",
        }
        data = None
        if method == "POST":
            data = urlencode({**body, "csrfmiddlewaretoken": self.token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        html = response.read().decode("utf-8", "replace")
        cookies: SimpleCookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        if "csrftoken" in cookies:
            self.cookie = f"csrftoken={cookies['csrftoken'].value}"
        return response.status, response.headers.get("Location", ""), html

    def open_form(self, conn: http.client.HTTPConnection, slot: int) -> bool:
        status, _location, html = self.request(conn, "GET", f"{BOOK_PATH}?slot={slot}", {})
        match = _CSRF_INPUT.search(html)
        if status != 200 or match is None:
            self.result.errors[f"form GET {status}"] += 1
            return False
        self.token = match.group(1)
        return True

    def phone(self) -> str:
        self.sequence += 1
        return f"13{self.number:03d}{self.sequence:06d}"

    def code_for(self, conn: http.client.HTTPConnection, slot: int, phone: str) -> str | None:
        body = {"slot": slot, "phone": phone, "idempotency_key": uuid.uuid4().hex}
        status, _location, _html = self.request(
            conn, "POST", BOOK_PATH, {**body, "action": "send_code"}
        )
        self.result.code_requests += 1
        text = (self.sms / phone).read_text("utf-8") if (self.sms / phone).exists() else ""
        found = _CODE.search(text)
        if status != 200 or found is None:
            self.result.errors[f"send code {status}"] += 1
            return None
        return found.group(1)

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S)
        try:
            while time.monotonic() < self.deadline:
                slot = self.board.pick(self.rng)
                if slot is None:
                    self.result.errors["no slot left"] += 1
                    return
                try:
                    if not self.token and not self.open_form(conn, slot):
                        time.sleep(0.2)
                        continue
                    phone = self.phone()
                    code = self.code_for(conn, slot, phone)
                    if code is None:
                        continue
                    self.book(conn, slot, phone, code)
                except (OSError, http.client.HTTPException) as exc:
                    self.result.errors[type(exc).__name__] += 1
                    conn.close()
        finally:
            conn.close()

    def book(
        self, conn: http.client.HTTPConnection, slot: int | None, phone: str, code: str
    ) -> None:
        """Book with this code, moving on to another slot after each 409."""
        while slot is not None and time.monotonic() < self.deadline:
            body = {
                "slot": slot,
                "mode": "own_phone",
                "citizen_name": "陈女士",
                "phone": phone,
                "code": code,
                "topic": "小区加装电梯",
                "consent": "on",
                "idempotency_key": uuid.uuid4().hex,
                "action": "book",
            }
            started = time.perf_counter()
            status, location, _html = self.request(conn, "POST", BOOK_PATH, body)
            self.result.latencies_ms.append((time.perf_counter() - started) * 1000)
            if status == 302 and location.startswith("/b/"):
                self.result.booked += 1
                self.board.booked(slot)
                return
            if status == 409:
                self.result.conflicts += 1
                self.board.taken(slot)
                slot = self.board.pick(self.rng)
                continue
            self.result.errors[f"book {status}"] += 1
            return


def check_database(url: str, since: float) -> dict[str, Any]:
    with psycopg.connect(url) as conn:
        overbooked = conn.execute(
            """
            SELECT count(*) FROM (
              SELECT s.id FROM duty_slot s
              JOIN duty_shift h ON h.id = s.shift_id
              JOIN workrooms_workroom w ON w.id = h.workroom_id AND w.code = %s
              JOIN duty_booking b ON b.slot_id = s.id AND b.status IN ('confirmed', 'checked_in')
              GROUP BY s.id, s.capacity HAVING count(b.id) > s.capacity
            ) over_capacity
            """,
            (WORKROOM_CODE,),
        ).fetchone()
        mismatch = conn.execute(
            """
            SELECT count(*) FROM duty_slot s
            JOIN duty_shift h ON h.id = s.shift_id
            JOIN workrooms_workroom w ON w.id = h.workroom_id AND w.code = %s
            WHERE s.booked <> (SELECT count(*) FROM duty_booking b WHERE b.slot_id = s.id
                               AND b.status IN ('confirmed', 'checked_in'))
            """,
            (WORKROOM_CODE,),
        ).fetchone()
        stored = conn.execute(
            "SELECT count(*) FROM duty_booking b JOIN workrooms_workroom w"
            " ON w.id = b.workroom_id AND w.code = %s WHERE b.created_at >= to_timestamp(%s)",
            (WORKROOM_CODE, since),
        ).fetchone()
    return {
        "overbooked_slots": overbooked[0] if overbooked else None,
        "slots_whose_count_differs_from_their_bookings": mismatch[0] if mismatch else None,
        "bookings_stored": stored[0] if stored else None,
    }


def wait_until_up(proc: subprocess.Popen[bytes], port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode} before answering")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", BOOK_PATH)
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on port {port} within {timeout:.0f} s")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/xieshang_bench_booking"
    )
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker-class", default="")
    parser.add_argument("--slots", type=int, default=1200, help="slots made for the run")
    parser.add_argument("--capacity", type=int, default=1, help="citizens per slot")
    parser.add_argument(
        "--window", type=int, default=3, help="how many open slots the clients race for at once"
    )
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument("--db-options", default="")
    parser.add_argument("--forwarded-for", action="store_false", help=argparse.SUPPRESS)
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    check_local(args.database_url)
    args.port = args.port or free_port()
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="xieshang-bench-booking-"))
    sms = tmp / "sms"
    sms.mkdir()
    created = False
    server: subprocess.Popen[bytes] | None = None
    try:
        created = create_database(args.database_url)
        log(("created" if created else "reusing") + f" database {database_name(args.database_url)}")
        env = server_env(args, tmp)
        env.update(
            SMS_BACKEND="booking.FileSmsBackend",
            BENCH_SMS_DIR=str(sms),
            PYTHONPATH=os.pathsep.join(filter(None, [str(BENCH_DIR), env.get("PYTHONPATH")])),
        )
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        seed = (
            _SEED.replace("WORKROOM_CODE", WORKROOM_CODE)
            .replace("SLOTS", str(args.slots))
            .replace("CAPACITY", str(args.capacity))
        )
        slots = json.loads(manage(env, "shell", "-c", seed).strip().splitlines()[-1])["slots"]
        server_log = (tmp / "gunicorn.log").open("wb")
        server = subprocess.Popen(
            gunicorn_command(args),
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until_up(server, args.port)
        log(f"{args.clients} clients racing for {len(slots)} slots for {args.seconds:g} s")
        board = SlotBoard(slots, args.capacity, args.window)
        since = time.time()
        started = time.monotonic()
        clients = [
            Client(n, args.port, started + args.seconds, board, sms) for n in range(args.clients)
        ]
        threads = [threading.Thread(target=c.run, daemon=True) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 3 * REQUEST_TIMEOUT_S)
        elapsed = time.monotonic() - started
        stop(server)
        server_log.close()
        results = [c.result for c in clients]
        latencies = sorted(ms for r in results for ms in r.latencies_ms)
        errors: Counter[str] = Counter()
        for r in results:
            errors.update(r.errors)
        booked = sum(r.booked for r in results)
        conflicts = sum(r.conflicts for r in results)
        checked = check_database(args.database_url, since)
        log_text = (tmp / "gunicorn.log").read_text(errors="replace")
        report: dict[str, Any] = {
            "benchmark": "booking",
            "bookings_per_s": round(booked / elapsed, 1),
            "p50_ms": round(percentile(latencies, 0.50), 1),
            "p99_ms": round(percentile(latencies, 0.99), 1),
            **checked,
            "acknowledged_bookings": booked,
            "already_booked_409": conflicts,
            "booking_posts": len(latencies),
            "code_requests": sum(r.code_requests for r in results),
            "errors": sum(errors.values()),
            "error_kinds": dict(errors),
            "server_tracebacks": log_text.count("Traceback"),
            "exactly_once": checked["bookings_stored"] == booked,
            "met": checked["overbooked_slots"] == 0
            and checked["slots_whose_count_differs_from_their_bookings"] == 0
            and not errors
            and checked["bookings_stored"] == booked,
            "max_ms": round(latencies[-1], 1) if latencies else None,
            "clients": args.clients,
            "workers": args.workers,
            "threads": args.threads,
            "slots": len(slots),
            "capacity": args.capacity,
            "window": args.window,
            "seconds": args.seconds,
            "elapsed_s": round(elapsed, 2),
            "load_average_before": [round(x, 2) for x in os.getloadavg()],
        }
        if errors and log_text:
            report["server_log_tail"] = log_text[-2000:]
        return report
    finally:
        stop(server)
        if created and not args.keep:
            try:
                drop_database(args.database_url)
            except psycopg.Error as exc:
                log(f"could not drop the database: {exc}")
        shutil.rmtree(tmp, ignore_errors=True)


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGHUP, _interrupted)
    try:
        report = run(args)
    except KeyboardInterrupt:
        log("interrupted; gunicorn stopped and the database cleaned up")
        return 130
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
