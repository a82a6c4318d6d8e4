"""Intake benchmark: citizens handing in suggestions through the real submit page.

Creates a PostgreSQL database (unless it exists), migrates it, collects the static
files, adds one committee "bench", starts gunicorn on 127.0.0.1 and lets concurrent
clients submit the public form at /c/bench/suggest/ for a fixed time, the way a browser
does: GET the form once per client (CSRF cookie and token), then POST it again and again,
each time with a new idempotency key. A share of the submissions is sent twice at once
with the same key (a double click). Afterwards it checks in the database that every
acknowledged submission is stored exactly once, and prints one JSON object.

    .venv/bin/python bench/intake.py --data ../shared/data/tipdm2020/messages.jsonl

A benchmark, not a test: it exits 0 when the targets are missed ("met": false), and
non-zero only when it could not run. Everything it talks to is on this machine.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import importlib.metadata
import json
import os
import platform
import random
import re
import resource
import secrets
import shutil
import signal
import socket
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
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
COMMITTEE_CODE = "bench"
SUBMIT_PATH = f"/c/{COMMITTEE_CODE}/suggest/"
TARGETS = {"submissions_per_s": 250.0, "p99_ms": 150.0}
# Policy.hourly_limit is a PositiveSmallIntegerField: 32767 is the largest it can hold.
# All submissions come from 127.0.0.1, so the per-address limit (default 10 an hour) would
# stop the run at once; with --forwarded-for each submission comes from its own address
# and the default limit stays.
HOURLY_LIMIT = 32767
DEFAULT_HOURLY_LIMIT = 10
REQUEST_TIMEOUT_S = 15.0
IDLE_REOPEN_S = 1.0
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}
CELERY_QUEUE = "celery"  # the default queue's list in Redis

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TRACK_LOCATION = re.compile(r"^/t/([0-9A-Z]+)/\?new=1$")

# The seven first-level categories of the 2020 data set, and a few streets and communities.
_SEED = """
import json
from xieshang.core.models import Committee
from xieshang.suggestions.models import Area, Category, Policy
c, _ = Committee.objects.get_or_create(
    code="bench",
    defaults=dict(name="基准测试区政协", short_name="基准测试", level="district"),
)
Policy.objects.update_or_create(committee=c, defaults=dict(hourly_limit=HOURLY_LIMIT))
for i, name in enumerate(
    ["城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "商贸旅游", "卫生计生"]
):
    Category.objects.get_or_create(committee=c, name=name, defaults=dict(order=i))
for street in ["天园街道", "石牌街道", "猎德街道", "珠吉街道"]:
    s, _ = Area.objects.get_or_create(committee=c, parent=None, name=street, kind="street")
    for community in ["东社区", "西社区", "南社区"]:
        Area.objects.get_or_create(committee=c, parent=s, name=community, kind="community")
print(json.dumps({
    "categories": list(Category.objects.filter(committee=c).values_list("pk", flat=True)),
    "areas": list(Area.objects.filter(committee=c).values_list("pk", flat=True)),
}))
"""


def log(message: str) -> None:
    print(f"[intake] {message}", file=sys.stderr, flush=True)


# --- Text the citizens write ------------------------------------------------------------

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
_PLACES = ["天河路", "体育西路", "石牌桥", "珠江新城", "猎德村", "员村", "龙口西", "棠下"]
_PROBLEMS = [
    "路灯坏了一个多月没有人修",
    "人行道被电动车占用，老人孩子只能走机动车道",
    "垃圾收集点夏天气味很大，蚊蝇多",
    "公交站没有遮雨棚，下雨天等车很不方便",
    "小区门口的十字路口没有红绿灯，早晚高峰很危险",
    "施工噪音晚上十一点以后还在继续，影响休息",
    "社区卫生服务站周末不开门，看病要跑很远",
    "学校附近的道路缺少减速带，车速太快",
]
_ASKS = [
    "建议有关部门尽快派人查看处理。",
    "希望能增设设施，方便居民出行。",
    "请相关单位加强管理，定期巡查。",
    "恳请政协委员关注，推动问题解决。",
]


@dataclass(frozen=True)
class Message:
    title: str
    content: str


def load_messages(path: Path | None, count: int = 2000) -> tuple[list[Message], str]:
    """Real messages from the data file when there is one, else generated ones."""
    if path is not None and path.exists():
        messages: list[Message] = []
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                title = str(row.get("title", "")).strip()[:60]
                content = str(row.get("body", "")).strip()[:2000]
                if len(title) >= 4 and len(content) >= 10:
                    messages.append(Message(title, content))
        if messages:
            return messages, str(path)
    rng = random.Random(2026)
    generated = []
    for _ in range(count):
        place, problem = rng.choice(_PLACES), rng.choice(_PROBLEMS)
        content = f"{place}附近{problem}。" + "".join(rng.sample(_ASKS, 2))
        generated.append(Message(f"关于{place}{problem[:12]}的建议", content))
    return generated, "generated"


def random_phone(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def random_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.choice([1, 2])))


# --- The database and the server ----------------------------------------------------------


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def database_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def check_local(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit("--database-url must be a postgres:// URL")
    if (parts.hostname or "") not in LOCAL_HOSTS:
        raise SystemExit("--database-url must point to this machine (127.0.0.1)")
    if not database_name(url):
        raise SystemExit("--database-url must name a database")


def create_database(url: str) -> bool:
    """Create the database unless it exists; True when this run created it."""
    name = database_name(url)
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def drop_database(url: str) -> None:
    name = database_name(url)
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def fernet_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def server_database_url(args: argparse.Namespace) -> str:
    """The URL the server gets: --db-options become Django's database OPTIONS (read by
    dj-database-url from the query string), e.g. server_side_binding=true."""
    if not args.db_options:
        return str(args.database_url)
    return f"{args.database_url}{'&' if '?' in args.database_url else '?'}{args.db_options}"


def server_env(args: argparse.Namespace, var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "XIESHANG_", "CELERY_"))
        and key not in ("REDIS_URL", "DEBUG", "LOG_LEVEL")
    }
    env.update(
        DATABASE_URL=server_database_url(args),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
        FIELD_ENCRYPTION_KEY=fernet_key(),
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0",
        XIESHANG_VAR_DIR=str(var_dir),
        AXES_ENABLED="0",
        # No SMS is sent during a run; without DEBUG the console backend must be allowed.
        SMS_CONSOLE_ALLOWED="1",
        # --forwarded-for plays nginx: the server then trusts X-Forwarded-For.
        BEHIND_PROXY="1" if args.forwarded_for else "0",
        DB_CONN_MAX_AGE=str(args.conn_max_age),
        LOG_LEVEL=args.log_level,
        PYTHONUNBUFFERED="1",
    )
    redis_url = getattr(args, "redis_url", "")  # bench/booking.py reads its texts in-process
    if redis_url:  # production: jobs go to the broker, a worker runs them
        env["REDIS_URL"] = redis_url
    return env


def queued_jobs(redis_url: str, *, clear: bool = False) -> int:
    """Jobs waiting in Celery's default queue. No worker runs during the benchmark: what
    the submissions started (acknowledgements, analysis) waits there, and is removed
    afterwards with `clear`."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        waiting = int(client.llen(CELERY_QUEUE))
        if clear:
            client.delete(CELERY_QUEUE)
        return waiting
    finally:
        client.close()


def manage(env: dict[str, str], *command: str, timeout: float = 600) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {command[0]} failed:\n{done.stderr[-4000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def gunicorn_has_setting(name: str) -> bool:
    check = f"import gunicorn.config as c; print({name!r} in {{s.name for s in c.KNOWN_SETTINGS}})"
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60, check=False
    )
    return done.stdout.strip() == "True"


def gunicorn_command(args: argparse.Namespace) -> list[str]:
    beside = Path(sys.executable).parent / "gunicorn"
    command = [str(beside)] if beside.exists() else [sys.executable, "-m", "gunicorn"]
    command += [
        "xieshang.wsgi",
        "--workers",
        str(args.workers),
        "--bind",
        f"127.0.0.1:{args.port}",
        "--access-logfile",
        "/dev/null",
        "--timeout",
        "60",
    ]
    if gunicorn_has_setting("control_socket_disable"):
        # gunicorn 24+ opens a control socket in ~/.gunicorn, shared by every instance.
        command.append("--no-control-socket")
    if args.threads > 1:
        command += ["--threads", str(args.threads)]
    if args.worker_class:
        command += ["--worker-class", args.worker_class]
    return command


def wait_until_up(proc: subprocess.Popen[bytes], port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode} before answering")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", SUBMIT_PATH)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on port {port} within {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


# --- CPU accounting (Linux /proc) ----------------------------------------------------------

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def process_tree_cpu_s(root: int) -> float:
    """CPU seconds used so far by a process, its living children and its children that
    have ended (gunicorn's workers; PostgreSQL's backends, one per connection)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields is None:
            continue
        if int(entry.name) == root:  # utime, stime, cutime, cstime
            total += sum(int(v) for v in fields[11:15]) / _CLOCK_TICKS
        elif int(fields[1]) == root:
            total += (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    return total


def postmaster_pid(url: str) -> int | None:
    """PostgreSQL's main process, when it runs on this machine and /proc shows it."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
    fields = _stat_fields(int(row[0])) if row else None
    return int(fields[1]) if fields else None


def system_cpu_s() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / _CLOCK_TICKS, sum(values) / _CLOCK_TICKS


# --- The clients --------------------------------------------------------------------------


@dataclass
class ClientResult:
    latencies_ms: list[float] = field(default_factory=list)
    acknowledged: dict[str, str] = field(default_factory=dict)  # idempotency key -> code
    doubles: list[tuple[str, str, str]] = field(default_factory=list)  # key, code, code
    errors: Counter[str] = field(default_factory=Counter)
    posts: int = 0
    sessions: int = 0


@dataclass(frozen=True)
class Plan:
    port: int
    deadline: float
    messages: list[Message]
    categories: list[int]
    areas: list[int]
    retry_fraction: float
    phone_fraction: float
    encoding: str
    forwarded_for: bool


class Client:
    """One citizen's browser: keeps its cookie and CSRF token, submits until the deadline."""

    def __init__(self, number: int, plan: Plan) -> None:
        self.plan = plan
        self.rng = random.Random(number)
        self.result = ClientResult()
        self.cookie = ""
        self.token = ""
        self.origin = f"http://127.0.0.1:{plan.port}"
        self.last_used: dict[int, float] = {}

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.plan.port, timeout=REQUEST_TIMEOUT_S)

    def fresh(self, conn: http.client.HTTPConnection) -> http.client.HTTPConnection:
        """The connection, closed first when it has been idle long enough for the server
        to drop it (gunicorn keeps idle connections 2 s): like a browser, don't send a
        form into a socket the server is closing."""
        if time.monotonic() - self.last_used.get(id(conn), 0.0) > IDLE_REOPEN_S:
            conn.close()
        self.last_used[id(conn)] = time.monotonic()
        return conn

    def open_form(self, conn: http.client.HTTPConnection) -> bool:
        conn.request("GET", SUBMIT_PATH, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        response = conn.getresponse()
        html = response.read().decode("utf-8", "replace")
        cookies: SimpleCookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        match = _CSRF_INPUT.search(html)
        if response.status != 200 or "csrftoken" not in cookies or match is None:
            self.result.errors[f"form GET {response.status}"] += 1
            return False
        self.cookie = f"csrftoken={cookies['csrftoken'].value}"
        self.token = match.group(1)
        self.result.sessions += 1
        return True

    def fields(self, key: str) -> list[tuple[str, str]]:
        rng, plan = self.rng, self.plan
        message = rng.choice(plan.messages)
        with_phone = rng.random() < plan.phone_fraction
        fields = [
            ("csrfmiddlewaretoken", self.token),
            ("idempotency_key", key),
            ("latitude", ""),
            ("longitude", ""),
            ("website", ""),
            ("title", message.title),
            ("content", message.content),
            ("category", str(rng.choice(plan.categories)) if rng.random() < 0.7 else ""),
            ("area", str(rng.choice(plan.areas)) if rng.random() < 0.5 else ""),
            ("address", rng.choice(_PLACES) + f"{rng.randint(1, 300)}号"),
            ("citizen_name", random_name(rng) if with_phone else ""),
            ("phone", random_phone(rng) if with_phone else ""),
        ]
        if with_phone and rng.random() < 0.3:
            fields.append(("show_name", "on"))
        fields.append(("consent", "on"))
        return fields

    def encode(self, fields: list[tuple[str, str]]) -> tuple[bytes, str]:
        if self.plan.encoding == "urlencoded":
            return urlencode(fields).encode(), "application/x-www-form-urlencoded"
        boundary = "----xieshangbench" + uuid.uuid4().hex
        parts = []
        for name, value in fields:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            )
            if name == "address":  # the empty file input a browser sends along
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
                    'filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n'
                )
        parts.append(f"--{boundary}--\r\n")
        return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"

    def address(self) -> dict[str, str]:
        """The header nginx would add for a citizen of its own address (--forwarded-for)."""
        if not self.plan.forwarded_for:
            return {}
        address = "10." + ".".join(str(self.rng.randint(0, 255)) for _ in range(3))
        return {"X-Forwarded-For": address}

    def send(
        self,
        conn: http.client.HTTPConnection,
        body: bytes,
        content_type: str,
        extra: dict[str, str],
    ) -> None:
        conn.request(
            "POST",
            SUBMIT_PATH,
            body=body,
            headers={
                "Content-Type": content_type,
                "Cookie": self.cookie,
                "Origin": self.origin,
                "Referer": self.origin + SUBMIT_PATH,
                "Accept-Language": "zh-CN,zh;q=0.9",
                **extra,
            },
        )

    def receive(self, conn: http.client.HTTPConnection, started: float) -> str | None:
        """The tracking code of an accepted submission, or None (counted as an error)."""
        try:
            response = conn.getresponse()
            response.read()
        except TimeoutError:
            self.result.errors["timeout"] += 1
            conn.close()
            return None
        except (OSError, http.client.HTTPException) as exc:
            self.result.errors[type(exc).__name__] += 1
            conn.close()
            return None
        self.result.latencies_ms.append((time.perf_counter() - started) * 1000)
        self.last_used[id(conn)] = time.monotonic()
        match = _TRACK_LOCATION.match(response.headers.get("Location", ""))
        if response.status != 302 or match is None:
            self.result.errors[f"POST {response.status}"] += 1
            return None
        return match.group(1)

    def submit_once(self, conn: http.client.HTTPConnection) -> None:
        key = uuid.uuid4().hex
        body, content_type = self.encode(self.fields(key))
        started = time.perf_counter()
        self.result.posts += 1
        try:
            self.send(self.fresh(conn), body, content_type, self.address())
        except (OSError, http.client.HTTPException) as exc:
            self.result.errors[type(exc).__name__] += 1
            conn.close()
            return
        code = self.receive(conn, started)
        if code is not None:
            self.result.acknowledged[key] = code

    def submit_twice(
        self, conn: http.client.HTTPConnection, second: http.client.HTTPConnection
    ) -> None:
        """A double click: the same form sent twice, the second before the first returns."""
        key = uuid.uuid4().hex
        body, content_type = self.encode(self.fields(key))
        self.result.posts += 2
        extra = self.address()  # one citizen clicking twice
        sent: list[tuple[http.client.HTTPConnection, float]] = []
        for connection in (conn, second):
            started = time.perf_counter()
            try:
                self.send(self.fresh(connection), body, content_type, extra)
            except (OSError, http.client.HTTPException) as exc:
                self.result.errors[type(exc).__name__] += 1
                connection.close()
                continue
            sent.append((connection, started))
        codes = [self.receive(connection, started) for connection, started in sent]
        acknowledged = [code for code in codes if code is not None]
        if acknowledged:
            self.result.acknowledged[key] = acknowledged[0]
        if len(acknowledged) == 2:
            self.result.doubles.append((key, acknowledged[0], acknowledged[1]))

    def run(self) -> None:
        conn, second = self.connection(), self.connection()
        try:
            while time.monotonic() < self.plan.deadline:
                if not self.token:
                    try:
                        if not self.open_form(self.fresh(conn)):
                            time.sleep(0.2)
                            continue
                    except (OSError, http.client.HTTPException) as exc:
                        self.result.errors[f"form GET {type(exc).__name__}"] += 1
                        conn.close()
                        time.sleep(0.2)
                        continue
                if self.rng.random() < self.plan.retry_fraction:
                    self.submit_twice(conn, second)
                else:
                    self.submit_once(conn)
        finally:
            conn.close()
            second.close()


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not values:
        return float("nan")
    rank = max(1, min(len(values), round(share * len(values) + 0.5)))
    return values[rank - 1]


# --- Checking what was stored ------------------------------------------------------------


def check_stored(
    url: str, acknowledged: dict[str, str], doubles: list[tuple[str, str, str]], since: float
) -> dict[str, Any]:
    with psycopg.connect(url) as conn:
        committee = conn.execute(
            "SELECT id FROM core_committee WHERE code = %s", (COMMITTEE_CODE,)
        ).fetchone()
        assert committee is not None
        rows = conn.execute(
            "SELECT idempotency_key, tracking_code, dispatched_at IS NULL"
            " FROM suggestions_suggestion"
            " WHERE committee_id = %s AND created_at >= to_timestamp(%s)",
            (committee[0], since),
        ).fetchall()
        events = conn.execute(
            "SELECT count(*) FROM core_event e JOIN django_content_type t"
            " ON t.id = e.content_type_id"
            " WHERE t.app_label = 'suggestions' AND t.model = 'suggestion'"
            " AND e.action = 'submit' AND e.committee_id = %s"
            " AND e.created_at >= to_timestamp(%s)",
            (committee[0], since),
        ).fetchone()
    by_code: Counter[str] = Counter(code for _, code, _due in rows)
    stored_key_of = {code: key for key, code, _due in rows}
    keys_stored = Counter(key for key, _, _due in rows)
    missing = sum(1 for code in acknowledged.values() if by_code[code] == 0)
    wrong_record = sum(
        1 for key, code in acknowledged.items() if by_code[code] == 1 and stored_key_of[code] != key
    )
    return {
        "rows_stored": len(rows),
        # Extra rows for one submission (one idempotency key). With no transport errors
        # this equals rows - distinct acknowledged keys.
        "duplicates": len(rows) - len(keys_stored),
        "acknowledged": len(acknowledged),
        "acknowledged_missing": missing,
        "acknowledged_stored_more_than_once": sum(
            1 for code in acknowledged.values() if by_code[code] > 1
        )
        + sum(1 for key in acknowledged if keys_stored[key] > 1),
        "acknowledged_code_of_other_record": wrong_record,
        "stored_not_acknowledged": sum(1 for key, _, _due in rows if key not in acknowledged),
        # Stored, what follows them (fingerprint, search entry, acknowledgement, analysis)
        # not yet started: no beat runs during the benchmark. Without Redis it ran in the
        # request: 0.
        "jobs_due": sum(1 for _, _, due in rows if due),
        "submit_events": events[0] if events else 0,
        "double_sent": len(doubles),
        "double_sent_same_code": sum(1 for _, a, b in doubles if a == b),
    }


# --- Main ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/xieshang_bench",
        help="created when missing and then dropped at the end (unless --keep); "
        "a database that exists is used and kept",
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="measured time")
    parser.add_argument("--clients", type=int, default=16, help="concurrent citizens")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--worker-class", default="", help="gunicorn --worker-class")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--retry-fraction",
        type=float,
        default=0.05,
        help="share of submissions sent twice at once with the same key (double click)",
    )
    parser.add_argument(
        "--phone-fraction",
        type=float,
        default=0.5,
        help="share of submissions leaving a mobile number (encrypted; SMS job after commit)",
    )
    parser.add_argument(
        "--encoding",
        choices=["multipart", "urlencoded"],
        default="multipart",
        help="body encoding; the page's form is multipart (it has a file input)",
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="DB_CONN_MAX_AGE for the server (the project's default 60; 0 opens one per request)",
    )
    parser.add_argument(
        "--db-options",
        default="",
        help="query string added to the server's DATABASE_URL, read as Django database "
        "OPTIONS, e.g. 'server_side_binding=true&prepare_threshold=2'",
    )
    parser.add_argument(
        "--forwarded-for",
        action="store_true",
        help="send each submission with X-Forwarded-For from its own 10.x address, as nginx "
        "does for many citizens, and keep the default hourly limit",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/13",
        help="REDIS_URL for the server (broker and cache, as in production); no beat runs, "
        "so the submissions' jobs stay due (`jobs_due`), and the Celery queue is emptied "
        "at the end. Empty: no Redis, jobs run in the request (the embedded default of "
        "`make run`)",
    )
    parser.add_argument("--log-level", default="WARNING", help="LOG_LEVEL for the server")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of load not measured")
    parser.add_argument("--data", type=Path, default=None, help="messages.jsonl of tipdm2020")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    check_local(args.database_url)
    if args.redis_url and (urlsplit(args.redis_url).hostname or "") not in LOCAL_HOSTS:
        parser.error("--redis-url must point to this machine (127.0.0.1)")
    if not 0 <= args.retry_fraction <= 1 or not 0 <= args.phone_fraction <= 1:
        parser.error("fractions are between 0 and 1")
    if args.seconds <= 0 or args.seconds > 3600 or args.clients < 1 or args.workers < 1:
        parser.error("--seconds in (0, 3600], --clients and --workers at least 1")
    args.port = args.port or free_port()
    return args


def drive(plan_of: Any, clients: int, seconds: float) -> tuple[list[ClientResult], float]:
    """Run `clients` threads until `seconds` from now; the time until the last finished."""
    started = time.monotonic()
    plan: Plan = plan_of(started + seconds)
    workers = [Client(number, plan) for number in range(clients)]
    threads = [threading.Thread(target=c.run, daemon=True) for c in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 3 * REQUEST_TIMEOUT_S)
    return [c.result for c in workers], time.monotonic() - started


def run(args: argparse.Namespace) -> dict[str, Any]:
    load_before = [round(x, 2) for x in os.getloadavg()]
    messages, source = load_messages(args.data)
    tmp = Path(tempfile.mkdtemp(prefix="xieshang-bench-"))
    created = False
    server: subprocess.Popen[bytes] | None = None
    try:
        if args.redis_url:
            queued_jobs(args.redis_url, clear=True)  # what an earlier run left
        created = create_database(args.database_url)
        log(("created" if created else "reusing") + f" database {database_name(args.database_url)}")
        env = server_env(args, tmp)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        limit = DEFAULT_HOURLY_LIMIT if args.forwarded_for else HOURLY_LIMIT
        seed = _SEED.replace("HOURLY_LIMIT", str(limit))
        seeded = json.loads(manage(env, "shell", "-c", seed).strip().splitlines()[-1])
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
        log(
            f"gunicorn on 127.0.0.1:{args.port}: {args.workers} workers x {args.threads} "
            f"threads; {args.clients} clients for {args.seconds:g} s"
        )

        def plan_of(deadline: float) -> Plan:
            return Plan(
                port=args.port,
                deadline=deadline,
                messages=messages,
                categories=seeded["categories"],
                areas=seeded["areas"],
                retry_fraction=args.retry_fraction,
                phone_fraction=args.phone_fraction,
                encoding=args.encoding,
                forwarded_for=args.forwarded_for,
            )

        if args.warmup > 0:  # imports, template and connection warm-up in every worker
            drive(plan_of, args.clients, args.warmup)
        since = time.time()
        postmaster = postmaster_pid(args.database_url)
        cpu_postgres_0 = process_tree_cpu_s(postmaster) if postmaster else 0.0
        cpu_server_0 = process_tree_cpu_s(server.pid)
        cpu_client_0 = resource.getrusage(resource.RUSAGE_SELF)
        busy_0, total_0 = system_cpu_s()
        results, elapsed = drive(plan_of, args.clients, args.seconds)
        busy_1, total_1 = system_cpu_s()
        cpu_client_1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu_server = process_tree_cpu_s(server.pid) - cpu_server_0
        cpu_postgres = process_tree_cpu_s(postmaster) - cpu_postgres_0 if postmaster else 0.0
        stop(server)
        server_log.close()

        latencies = sorted(ms for r in results for ms in r.latencies_ms)
        acknowledged = {k: v for r in results for k, v in r.acknowledged.items()}
        doubles = [d for r in results for d in r.doubles]
        errors: Counter[str] = Counter()
        for r in results:
            errors.update(r.errors)
        stored = check_stored(args.database_url, acknowledged, doubles, since)
        jobs = queued_jobs(args.redis_url, clear=True) if args.redis_url else None
        cpu_client = (cpu_client_1.ru_utime - cpu_client_0.ru_utime) + (
            cpu_client_1.ru_stime - cpu_client_0.ru_stime
        )
        cpu_busy = busy_1 - busy_0
        per_s = len(acknowledged) / elapsed
        p99 = percentile(latencies, 0.99)
        exactly_once = (
            stored["duplicates"] == 0
            and stored["acknowledged_missing"] == 0
            and stored["acknowledged_stored_more_than_once"] == 0
            and stored["acknowledged_code_of_other_record"] == 0
            and stored["double_sent_same_code"] == stored["double_sent"]
        )
        log_text = (tmp / "gunicorn.log").read_text(errors="replace")
        report: dict[str, Any] = {
            "benchmark": "intake",
            "submissions_per_s": round(per_s, 1),
            "p50_ms": round(percentile(latencies, 0.50), 1),
            "p99_ms": round(p99, 1),
            "errors": sum(errors.values()),
            **stored,
            "exactly_once": exactly_once,
            "targets": TARGETS,
            "met": per_s >= TARGETS["submissions_per_s"]
            and p99 < TARGETS["p99_ms"]
            and exactly_once
            and not errors,
            "p90_ms": round(percentile(latencies, 0.90), 1),
            "max_ms": round(latencies[-1], 1) if latencies else None,
            "posts": sum(r.posts for r in results),
            "posts_per_s": round(sum(r.posts for r in results) / elapsed, 1),
            "form_gets": sum(r.sessions for r in results),
            "error_kinds": dict(errors),
            "server_tracebacks": log_text.count("Traceback"),
            "jobs_queued": jobs,
            "redis": bool(args.redis_url),
            "rate_limit_disabled": not args.forwarded_for,
            "hourly_limit": limit,
            "forwarded_for": args.forwarded_for,
            "cpu_s": {
                "machine_busy": round(cpu_busy, 2),
                "machine_available": round(total_1 - total_0, 2),
                "gunicorn": round(cpu_server, 2),
                "client": round(cpu_client, 2),
                "postgres": round(cpu_postgres, 2),
                "other_processes": round(cpu_busy - cpu_server - cpu_client - cpu_postgres, 2),
            },
            "cpu_ms_per_submission": {
                "gunicorn": round(1000 * cpu_server / max(1, len(acknowledged)), 2),
                "postgres": round(1000 * cpu_postgres / max(1, len(acknowledged)), 2),
                "client": round(1000 * cpu_client / max(1, len(acknowledged)), 2),
            },
            "seconds": args.seconds,
            "elapsed_s": round(elapsed, 2),
            "warmup_s": args.warmup,
            "clients": args.clients,
            "workers": args.workers,
            "threads": args.threads,
            "worker_class": args.worker_class or ("gthread" if args.threads > 1 else "sync"),
            "db_conn_max_age": args.conn_max_age,
            "db_options": args.db_options,
            "encoding": args.encoding,
            "retry_fraction": args.retry_fraction,
            "phone_fraction": args.phone_fraction,
            "data": source,
            "machine": {
                "cpu_count": os.cpu_count(),
                "load_average_before": load_before,
                "platform": platform.platform(),
                "python": platform.python_version(),
                "django": importlib.metadata.version("django"),
                "gunicorn": importlib.metadata.version("gunicorn"),
                "postgresql": postgres_version(args.database_url),
            },
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


def postgres_version(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else ""


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Stopped from outside: still stop gunicorn and drop the database (the finally blocks).
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
