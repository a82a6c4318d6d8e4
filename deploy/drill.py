"""The Python half of deploy/drill.sh: seeds the drill's database, then drives the load,
causes the failures, measures and prints one JSON summary. Run only by drill.sh, which
starts (and stops) everything this talks to, on 127.0.0.1.

    drill.py seed         (Django set up against the primary) the bench committee, a staff
                          account; prints JSON
    drill.py run DIR      the drill, DIR being drill.sh's temporary directory
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import intake  # noqa: E402  (bench/intake.py: the citizens, the stored-rows check)
import psycopg  # noqa: E402

STAFF_USERNAME = "drill.staff"
STAFF_PASSWORD = "drill-" + "staff-2026"
SEARCH_WORDS = "路灯"
LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "25"))
CLIENTS = int(os.environ.get("CLIENTS", "12"))
LATENCY_ROUNDS = 12

_TLS = ssl.create_default_context()
_TLS.check_hostname = False
_TLS.verify_mode = ssl.CERT_NONE  # the drill's self-signed certificate


def log(message: str) -> None:
    print(f"[drill.py {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- seed ----------------------------------------------------------------------------------


def seed() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
    import django

    django.setup()
    from xieshang.core.models import Committee
    from xieshang.people.models import StaffPosition, StaffRole, User

    printed: list[str] = []
    code = intake._SEED.replace("HOURLY_LIMIT", str(intake.HOURLY_LIMIT))
    exec(code, {"print": printed.append})  # the benchmark's own seed
    seeded = json.loads(printed[-1])
    committee = Committee.objects.get(code=intake.COMMITTEE_CODE)
    user, _ = User.objects.get_or_create(
        username=STAFF_USERNAME, defaults={"name": "演练工作人员", "is_staff": True}
    )
    user.set_password(STAFF_PASSWORD)
    user.save()
    for role in StaffRole.values:
        StaffPosition.objects.get_or_create(user=user, committee=committee, role=role)
    print(json.dumps(seeded))


# --- the citizens, over TLS through nginx ---------------------------------------------------


class TlsClient(intake.Client):
    """bench/intake.py's citizen, speaking HTTPS to nginx, noting when each submission was
    acknowledged."""

    def __init__(self, number: int, plan: intake.Plan) -> None:
        super().__init__(number, plan)
        self.origin = f"https://127.0.0.1:{plan.port}"
        self.ack_times: list[float] = []
        self.error_times: list[float] = []

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPSConnection(
            "127.0.0.1", self.plan.port, timeout=intake.REQUEST_TIMEOUT_S, context=_TLS
        )

    def receive(self, conn: http.client.HTTPConnection, started: float) -> str | None:
        before = sum(self.result.errors.values())
        code = super().receive(conn, started)
        if code is not None:
            self.ack_times.append(time.monotonic())
        elif sum(self.result.errors.values()) > before:
            self.error_times.append(time.monotonic())
        return code


def drive(plan_of: Any, seconds: float, events: list[tuple[float, str, Any]]) -> dict[str, Any]:
    """CLIENTS citizens for `seconds`; each event (offset, name, action) runs meanwhile."""
    started = time.monotonic()
    plan = plan_of(started + seconds)
    clients = [TlsClient(number + int(started * 1000) % 10_000, plan) for number in range(CLIENTS)]
    threads = [threading.Thread(target=c.run, daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    happened: dict[str, Any] = {}
    for offset, name, action in events:
        time.sleep(max(0.0, started + offset - time.monotonic()))
        at = time.monotonic()
        try:
            outcome = action()
        except Exception as exc:  # reported, the drill goes on
            outcome = {"failed": repr(exc)}
        happened[name] = {"at_s": round(at - started, 2), "result": outcome}
        log(f"event {name} at +{at - started:.1f}s: {outcome}")
    for thread in threads:
        thread.join(timeout=seconds + 3 * intake.REQUEST_TIMEOUT_S)
    ended = time.monotonic()
    return {
        "clients": clients,
        "started": started,
        "ended": ended,
        "events": happened,
    }


def summarise(run: dict[str, Any], since: float | None = None) -> dict[str, Any]:
    clients: list[TlsClient] = run["clients"]
    start = run["started"] if since is None else since
    acks = sum(1 for c in clients for t in c.ack_times if t >= start)
    errors: Counter[str] = Counter()
    for c in clients:
        errors.update(c.result.errors)
    latencies = sorted(ms for c in clients for ms in c.result.latencies_ms)
    seconds = run["ended"] - start
    return {
        "submissions_per_s": round(acks / seconds, 1),
        "acknowledged": sum(len(c.result.acknowledged) for c in clients),
        "measured_s": round(seconds, 1),
        "p50_ms": round(intake.percentile(latencies, 0.5), 1),
        "p99_ms": round(intake.percentile(latencies, 0.99), 1),
        "client_errors": sum(errors.values()),
        "client_error_kinds": dict(errors),
    }


# --- the databases ----------------------------------------------------------------------------


def pg(port: int) -> psycopg.Connection[Any]:
    return psycopg.connect(
        f"postgresql://postgres@127.0.0.1:{port}/xieshang", autocommit=True, connect_timeout=3
    )


def scalar(port: int, query: str, *params: Any) -> Any:
    with pg(port) as conn:
        row = conn.execute(query, params).fetchone()
    return row[0] if row else None


class LagWatch:
    """Samples the replica's lag every half second: bytes of WAL not replayed yet, and the
    age of the last transaction replayed while the primary is writing."""

    def __init__(self, primary: int, replica: int) -> None:
        self.primary, self.replica = primary, replica
        self.samples: list[tuple[float, int, float]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def sample(self) -> tuple[int, float]:
        with pg(self.primary) as p, pg(self.replica) as r:
            current = p.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]  # type: ignore[index]
            row = r.execute(
                "SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn()),"
                " coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)",
                (current,),
            ).fetchone()
        assert row is not None
        return int(row[0]), float(row[1])

    def loop(self) -> None:
        while not self.stop.is_set():
            try:
                lag_bytes, lag_s = self.sample()
                self.samples.append((time.monotonic(), lag_bytes, lag_s))
            except psycopg.Error:
                pass
            self.stop.wait(0.5)


# --- pages -----------------------------------------------------------------------------------


class Browser:
    """A staff member's browser: cookies kept by name, over HTTPS to nginx."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        extra_cookies: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str, float]:
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30, context=_TLS)
        cookies = {**self.cookies, **(extra_cookies or {})}
        sent = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Origin": f"https://127.0.0.1:{self.port}",
            "Referer": f"https://127.0.0.1:{self.port}{path}",
            **(headers or {}),
        }
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.headers.items()), text, elapsed

    def login(self) -> None:
        status, _, html, _ = self.request("GET", "/accounts/login/")
        match = intake._CSRF_INPUT.search(html)
        assert status == 200 and match, f"login form: {status}"
        body = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1),
                "username": STAFF_USERNAME,
                "password": STAFF_PASSWORD,
            }
        ).encode()
        status, _, _, _ = self.request(
            "POST",
            "/accounts/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 302 and "sessionid" in self.cookies, f"login: {status}"
        self.cookies.pop("xieshang_primary", None)


def pin_cookie(secret: str) -> str:
    """A fresh signed pin (what the application sets after a POST that wrote)."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(SECRET_KEY=secret)
    from django.core import signing

    from xieshang.core import replica

    return signing.get_cookie_signer(salt=replica.PIN_COOKIE + replica._PIN_SALT).sign("1")


def latencies(browser: Browser, secret: str, bouncer_queries: Any) -> dict[str, Any]:
    pages = {"dashboard": "/work/figures/", "search": f"/work/search/?q={quote(SEARCH_WORDS)}"}
    results: dict[str, dict[str, list[float]]] = {
        page: {"replica": [], "primary": []} for page in pages
    }
    served: dict[str, dict[str, int]] = {}
    for target in ("replica", "primary"):  # which database answered: pgbouncer's counts
        before = bouncer_queries()
        for _ in range(5):
            extra = {"xieshang_primary": pin_cookie(secret)} if target == "primary" else {}
            status, *_ = browser.request("GET", pages["dashboard"], extra_cookies=extra)
            assert status == 200, f"dashboard {status}"
        after = bouncer_queries()
        served[f"{target}_routed_5_dashboards"] = {
            "queries_on_replica": after.get("xieshang_replica", 0)
            - before.get("xieshang_replica", 0),
            "queries_on_primary_celery_included": after.get("xieshang", 0)
            - before.get("xieshang", 0),
        }
    for _ in range(LATENCY_ROUNDS):  # interleaved, so both see the same machine
        for page, path in pages.items():
            for target in ("replica", "primary"):
                extra = {"xieshang_primary": pin_cookie(secret)} if target == "primary" else {}
                status, _, _, ms = browser.request("GET", path, extra_cookies=extra)
                assert status == 200, f"{page} {status}"
                results[page][target].append(ms)
    out: dict[str, Any] = {"rounds": LATENCY_ROUNDS, "served_by": served}
    for page, by_target in results.items():
        out[page] = {
            target: {
                "p50_ms": round(intake.percentile(sorted(values), 0.5), 1),
                "p90_ms": round(intake.percentile(sorted(values), 0.9), 1),
            }
            for target, values in by_target.items()
        }
    return out


# --- processes ---------------------------------------------------------------------------------


def read_env(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def pid_of(directory: Path, name: str) -> int:
    return int((directory / "pids" / name).read_text().strip())


def kill_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


def alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_http(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
            conn.request("GET", path, headers={"X-Forwarded-Proto": "https"})
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"nothing answered on port {port} within {seconds:.0f} s")


def main_run(directory: Path) -> None:
    env = read_env(directory / "drill.env")
    app_env = read_env(directory / "app.env")
    seeded = json.loads((directory / "seed.json").read_text().strip().splitlines()[-1])
    p_primary, p_replica = int(env["P_PRIMARY"]), int(env["P_REPLICA"])
    p_https = int(env["P_HTTPS"])
    pgbin = env["PGBIN"]
    for port in (int(env["P_WEB1"]), int(env["P_WEB2"])):
        wait_http(port, intake.SUBMIT_PATH)
    messages, source = intake.load_messages(None)

    def plan_of(deadline: float) -> intake.Plan:
        return intake.Plan(
            port=p_https,
            deadline=deadline,
            messages=messages,
            categories=seeded["categories"],
            areas=seeded["areas"],
            retry_fraction=0.05,
            phone_fraction=0.5,
            encoding="multipart",
            forwarded_for=False,
        )

    lag = LagWatch(p_primary, p_replica)
    lag.thread.start()
    drive(plan_of, 3, [])  # warm-up: imports, templates, connections in every worker
    since = time.time()
    dispatched = "SELECT count(*) FROM suggestions_suggestion WHERE dispatched_at IS NOT NULL"

    def pause_replica() -> dict[str, Any]:
        with pg(p_replica) as conn:
            conn.execute("SELECT pg_wal_replay_pause()")
        return {"paused": True}

    def restart_worker() -> dict[str, Any]:
        old = pid_of(directory, "worker")
        began = time.monotonic()
        kill_group(old, signal.SIGTERM)  # Celery's warm shutdown
        while alive(old) and time.monotonic() - began < 30:
            time.sleep(0.1)
        stopped_s = time.monotonic() - began
        if alive(old):
            kill_group(old, signal.SIGKILL)
        log_file = (directory / "logs" / "worker-2.log").open("ab")
        new = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "xieshang",
                "worker",
                "--loglevel",
                "WARNING",
                "--concurrency",
                "1",
                "--queues",
                "intake,celery",
                "--hostname",
                "drill2@%h",
            ],
            cwd=ROOT,
            env={
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": str(directory),
                **app_env,
            },
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        (directory / "pids" / "worker").write_text(str(new.pid))
        return {
            "old_pid": old,
            "stopped_in_s": round(stopped_s, 1),
            "new_pid": new.pid,
            "dispatched_before_restart": scalar(p_primary, dispatched),
        }

    log(f"two web instances: {CLIENTS} citizens for {LOAD_SECONDS:g} s")
    two = drive(
        plan_of,
        LOAD_SECONDS,
        [(5, "replica_paused", pause_replica), (10, "celery_worker_restarted", restart_worker)],
    )
    kill_at: dict[str, float] = {}

    def kill_web2() -> dict[str, Any]:
        pid = pid_of(directory, "web2")
        kill_group(pid, signal.SIGKILL)  # the host is gone: no graceful anything
        kill_at["t"] = time.monotonic()
        return {"killed_pid": pid, "signal": "SIGKILL"}

    log("one web instance: web2 killed 3 s into the load")
    one = drive(plan_of, LOAD_SECONDS + 3, [(3, "web2_killed", kill_web2)])
    # One instance: measured from a second after the kill to the end.
    one_summary = summarise(one, since=kill_at["t"] + 1)
    around_kill = summarise(one)  # every error of the phase, the kill included

    clients = two["clients"] + one["clients"]
    acknowledged = {k: v for c in clients for k, v in c.result.acknowledged.items()}
    doubles = [d for c in clients for d in c.result.doubles]
    stored = intake.check_stored(
        f"postgresql://postgres@127.0.0.1:{p_primary}/xieshang", acknowledged, doubles, since
    )
    errors: Counter[str] = Counter()
    for c in clients:
        errors.update(c.result.errors)

    # The replica, paused since the first phase: its lag, then its catch-up.
    lag_paused = lag.sample()
    with pg(p_replica) as conn:
        conn.execute("SELECT pg_wal_replay_resume()")
    resumed = time.monotonic()
    while time.monotonic() - resumed < 60 and lag.sample()[0] > 0:
        time.sleep(0.2)
    caught_up_s = time.monotonic() - resumed
    lag.stop.set()
    max_bytes = max((b for _, b, _ in lag.samples), default=0)
    max_seconds = max((s for _, _, s in lag.samples), default=0.0)

    log("dashboard and search: replica against primary")
    browser = Browser(p_https)
    browser.login()

    def bouncer_queries() -> dict[str, int]:
        """Queries pgbouncer passed to each database so far (its admin console)."""
        done = subprocess.run(
            [
                f"{pgbin}/psql",
                "-X",
                "-At",
                "-F,",
                "-h",
                "127.0.0.1",
                "-p",
                env["P_BOUNCER"],
                "-U",
                "postgres",
                "pgbouncer",
                "-c",
                "SHOW STATS",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        lines = [line.split(",") for line in done.stdout.splitlines()]
        # Columns: database, total_xact_count, total_query_count, ...
        return {row[0]: int(row[2]) for row in lines if len(row) > 2}

    try:
        page_latency = latencies(browser, app_env["SECRET_KEY"], bouncer_queries)
    except (AssertionError, OSError, subprocess.CalledProcessError) as exc:
        page_latency = {"failed": repr(exc)}

    # --- The primary stops: what a citizen sees, then the replica is promoted -------------
    log("stopping the primary")
    citizen = TlsClient(99_999, plan_of(time.monotonic() + 60))
    page_conn = citizen.connection()
    assert citizen.open_form(page_conn), "the form before the outage"
    key = uuid.uuid4().hex
    body, content_type = citizen.encode(citizen.fields(key))
    rows_before = scalar(p_primary, "SELECT count(*) FROM suggestions_suggestion")
    jobs_dispatched = scalar(p_primary, dispatched)
    subprocess.run(
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            f"{pgbin}/pg_ctl",
            "-D",
            str(directory / "pg" / "primary"),
            "-m",
            "fast",
            "-w",
            "stop",
        ],
        check=True,
        capture_output=True,
    )
    outage: dict[str, Any] = {"primary_stopped": True}
    started = time.perf_counter()
    citizen.send(page_conn, body, content_type, {})
    response = page_conn.getresponse()
    page = response.read().decode("utf-8", "replace")
    outage["submission_during_outage"] = {
        "status": response.status,
        "retry_after": response.getheader("Retry-After"),
        "answered_in_ms": round((time.perf_counter() - started) * 1000, 1),
        "says_try_later": "稍后再试" in page,
        "page": "application 503.html"
        if "数据库暂时无法访问" in page
        else ("nginx _busy.html" if "服务器暂时无法处理" in page else "other"),
    }
    page_conn.close()
    began = time.monotonic()
    subprocess.run(
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            f"{pgbin}/pg_ctl",
            "-D",
            str(directory / "pg" / "replica"),
            "-w",
            "promote",
        ],
        check=True,
        capture_output=True,
    )
    outage["replica_promoted_in_s"] = round(time.monotonic() - began, 2)
    outage["promoted_is_primary"] = not scalar(p_replica, "SELECT pg_is_in_recovery()")
    outage["rows_on_old_primary"] = rows_before
    outage["rows_on_promoted_replica"] = scalar(
        p_replica, "SELECT count(*) FROM suggestions_suggestion"
    )
    outage["outage_submission_stored"] = scalar(
        p_replica, "SELECT count(*) FROM suggestions_suggestion WHERE idempotency_key = %s", key
    )
    # pgbouncer follows: its primary entry now names the promoted replica.
    ini = directory / "pg" / "pgbouncer.ini"
    ini.write_text(
        ini.read_text().replace(
            f"xieshang = host=127.0.0.1 port={p_primary}",
            f"xieshang = host=127.0.0.1 port={p_replica}",
        )
    )
    os.kill(int((directory / "pg" / "pgbouncer.pid").read_text()), signal.SIGHUP)
    time.sleep(1)
    page_conn = citizen.connection()
    citizen.send(page_conn, body, content_type, {})  # the citizen submits again, same form
    response = page_conn.getresponse()
    response.read()
    page_conn.close()
    outage["same_form_after_promotion"] = {
        "status": response.status,
        "stored": scalar(
            p_replica,
            "SELECT count(*) FROM suggestions_suggestion WHERE idempotency_key = %s",
            key,
        ),
    }

    error_log = (directory / "nginx" / "error.log").read_text(errors="replace")
    statuses: Counter[str] = Counter()
    for line in (directory / "nginx" / "access.log").read_text(errors="replace").splitlines():
        fields = line.split('"')
        if len(fields) > 2 and fields[2].split():
            statuses[fields[2].split()[0]] += 1
    nginx = {
        "responses_by_status": dict(sorted(statuses.items())),
        "upstream_connect_refused_then_next": error_log.count("Connection refused"),
        "upstream_died_mid_request_then_next": error_log.count("prematurely closed"),
        "no_live_upstreams": error_log.count("no live upstreams"),
    }

    summary: dict[str, Any] = {
        "drill": "deploy/drill.sh",
        "nginx": nginx,
        "intake_through_nginx": {
            "two_web_instances": summarise(two),
            "one_web_instance": one_summary,
            "one_web_phase_including_the_kill": around_kill,
        },
        "events": {**two["events"], **one["events"]},
        "submissions": {
            "acknowledged": stored["acknowledged"],
            "stored": stored["rows_stored"],
            "acknowledged_missing": stored["acknowledged_missing"],
            "stored_not_acknowledged": stored["stored_not_acknowledged"],
            "duplicates": stored["duplicates"],
            "double_sent": stored["double_sent"],
            "double_sent_same_code": stored["double_sent_same_code"],
            "client_errors": sum(errors.values()),
            "client_error_kinds": dict(errors),
            "jobs_dispatched_by_the_beat_and_worker": jobs_dispatched,
        },
        "replica": {
            "paused_for_s": round(resumed - (two["started"] + 5), 1),
            "lag_when_resumed_bytes": lag_paused[0],
            "lag_when_resumed_s": round(lag_paused[1], 1),
            "max_lag_bytes": max_bytes,
            "max_lag_s": round(max_seconds, 1),
            "caught_up_in_s": round(caught_up_s, 2),
        },
        "page_latency": page_latency,
        "outage_and_promotion": outage,
        "setup": {
            "clients": CLIENTS,
            "load_seconds": LOAD_SECONDS,
            "web_workers_per_instance": int(os.environ.get("WEB_WORKERS", "3")),
            "messages": source,
            "cpu_count": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
    }
    summary["ok"] = {
        "acknowledged_equals_stored": stored["acknowledged"] == stored["rows_stored"]
        and stored["acknowledged_missing"] == 0
        and stored["duplicates"] == 0,
        "no_client_errors": not errors,
        "outage_page_503_try_later": outage["submission_during_outage"]["status"] == 503
        and outage["submission_during_outage"]["says_try_later"],
        "nothing_stored_during_outage": outage["outage_submission_stored"] == 0,
        "no_row_lost_in_failover": outage["rows_on_promoted_replica"] == rows_before,
        "stored_once_after_promotion": outage["same_form_after_promotion"]["stored"] == 1,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))


def main(argv: list[str]) -> int:
    if argv[:1] == ["seed"]:
        seed()
        return 0
    if argv[:1] == ["run"] and len(argv) == 2:
        main_run(Path(argv[1]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
