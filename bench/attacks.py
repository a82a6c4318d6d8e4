"""Replays the attacks of issue 20 against gunicorn with production settings behind a
(simulated) proxy, and prints what each one gets: status codes, seconds, worker memory.

Not a test: it reports. It starts `gunicorn xieshang.wsgi` with DEBUG=0, BEHIND_PROXY=1
(each request carries the X-Forwarded-For address nginx would append), django-axes on,
Redis as cache and broker, on a PostgreSQL database holding the demo data (created,
migrated and seeded when missing, dropped afterwards unless `--keep`). Only 127.0.0.1.

    .venv/bin/python bench/attacks.py --port 8122 --redis-url redis://127.0.0.1:6379/12 \
        --database-url postgres://postgres@127.0.0.1:5432/xs_attacks

Attacks (the keys of the JSON):

- `lockout`: five wrong passwords for huadu.staff from one address, then the right one
  from another; wrong passwords for many usernames from one address.
- `photos`: six 6300x6300 PNGs (about 130 KB each) from an address already over its
  hourly limit, the same from a fresh address, three such requests at once with a
  citizen's GET / meanwhile, and six ordinary 12-megapixel JPEGs; the workers' peak
  memory (VmHWM) before and after.
- `crafted`: NUL bytes, huge integers, odd charsets, invalid UTF-8, bidi controls.
- `tracking`: 300 look-ups of random tracking codes from one address.
- `csp`: the Content-Security-Policy header of a few pages.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def log(message: str) -> None:
    print(f"[attacks] {message}", file=sys.stderr, flush=True)


# --- HTTP -----------------------------------------------------------------------------------


class Client:
    """A browser from one address: cookies, CSRF token, X-Forwarded-For."""

    def __init__(self, port: int, address: str) -> None:
        self.port = port
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> tuple[int, dict[str, str], bytes, float]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        sent = {"Host": "127.0.0.1", "X-Forwarded-For": self.address}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        elapsed = time.perf_counter() - started
        received = {k.lower(): v for k, v in response.getheaders()}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie: SimpleCookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
        return response.status, received, data, elapsed

    def get(self, path: str) -> tuple[int, dict[str, str], bytes, float]:
        return self.request("GET", path)

    def form(self, path: str) -> dict[str, str]:
        """GET a page and return its first form's hidden inputs (CSRF token, keys)."""
        status, _h, body, _t = self.get(path)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
        text = body.decode("utf-8", "replace")
        return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text))

    def post(
        self,
        path: str,
        fields: dict[str, str],
        files: list[tuple[str, str, bytes]] | None = None,
        content_type: str | None = None,
        raw: bytes | None = None,
    ) -> tuple[int, dict[str, str], bytes, float]:
        headers = {"Referer": f"http://127.0.0.1:{self.port}{path}"}
        if raw is not None:
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
            return self.request("POST", path, raw, headers)
        if files is None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            return self.request("POST", path, urlencode(fields).encode(), headers)
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        for name, value in fields.items():
            body.write(f"--{boundary}\r\n".encode())
            body.write(f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
            body.write(value.encode() + b"\r\n")
        for name, filename, content in files:
            body.write(f"--{boundary}\r\n".encode())
            body.write(
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
            )
            body.write(content + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        return self.request("POST", path, body.getvalue(), headers)


# --- Server ---------------------------------------------------------------------------------


def fernet_key() -> str:
    import base64

    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def server_env(args: argparse.Namespace, var_dir: Path, fernet: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "XIESHANG_", "CELERY_"))
        and key not in ("REDIS_URL", "DEBUG", "LOG_LEVEL", "DATABASE_URL")
    }
    env.update(
        DATABASE_URL=args.database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(45),
        FIELD_ENCRYPTION_KEY=fernet,
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0",
        XIESHANG_VAR_DIR=str(var_dir),
        AXES_ENABLED="1",
        BEHIND_PROXY="1",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # The console SMS backend is refused outside DEBUG unless allowed (issue 20, 5).
        SMS_CONSOLE_ALLOWED="1",
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return env


def manage(env: dict[str, str], *command: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {command[0]} failed:\n{done.stderr[-4000:]}")
    return done.stdout


def database_exists(url: str) -> bool:
    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [parts.path.lstrip("/")]
        ).fetchone()
    return row is not None


def database_create(url: str, *, drop: bool = False) -> None:
    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    name = sql.Identifier(parts.path.lstrip("/"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if drop:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def worker_pids(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def memory_mb(pid: int, field: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def workers_memory(master: int) -> dict[str, float]:
    pids = worker_pids(master)
    return {
        "rss_mb_max": round(max((memory_mb(p, "VmRSS") for p in pids), default=0), 1),
        "peak_mb_max": round(max((memory_mb(p, "VmHWM") for p in pids), default=0), 1),
    }


def wait_for(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


# --- Attacks --------------------------------------------------------------------------------


def login(client: Client, username: str, password: str) -> int:
    hidden = client.form("/accounts/login/")
    status, _h, _b, _t = client.post(
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": hidden.get("csrfmiddlewaretoken", ""),
            "username": username,
            "password": password,
        },
    )
    return status


def attack_lockout(port: int) -> dict[str, Any]:
    attacker = "198.51.100.10"
    wrong = [login(Client(port, attacker), "huadu.staff", "wrong-password") for _ in range(5)]
    real_user = login(Client(port, "203.0.113.20"), "huadu.staff", "demo2026")
    sixth = login(Client(port, attacker), "huadu.staff", "wrong-password")
    sprayer = "198.51.100.11"
    names = [f"guess{i}" for i in range(40)]
    spray = [login(Client(port, sprayer), name, "wrong-password") for name in names]
    first_refused = next((i + 1 for i, s in enumerate(spray) if s == 429), None)
    return {
        "five_wrong_from_one_address": wrong,
        "right_password_from_another_address": real_user,
        "sixth_wrong_from_the_attacker": sixth,
        "forty_usernames_from_one_address": dict(Counter(spray)),
        "spray_first_refused_at_attempt": first_refused,
    }


def png_bomb(side: int = 6300) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (side, side), (200, 220, 240)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def phone_jpeg() -> bytes:
    import numpy as np
    from PIL import Image

    pixels = np.random.default_rng(1).integers(0, 255, (3000, 4000, 3), dtype=np.uint8)
    pixels[:, :2000] //= 4
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def submit(
    port: int, address: str, files: list[tuple[str, str, bytes]] | None = None
) -> tuple[int, float, str]:
    client = Client(port, address)
    hidden = client.form("/c/huadu/suggest/")
    fields = {
        "csrfmiddlewaretoken": hidden.get("csrfmiddlewaretoken", ""),
        "idempotency_key": uuid.uuid4().hex,
        "title": "路灯不亮了",
        "content": "新华街道某路段的路灯已经坏了两周，晚上很黑，请尽快维修。",
        "consent": "on",
        "website": "",
    }
    status, headers, _b, elapsed = client.post("/c/huadu/suggest/", fields, files or [])
    return status, round(elapsed, 3), headers.get("location", "")


def attack_photos(port: int, master: int) -> dict[str, Any]:
    bomb = png_bomb()
    bombs = [("photos", f"p{i}.png", bomb) for i in range(6)]
    result: dict[str, Any] = {"png_bytes_each": len(bomb), "memory_at_start": None}
    result["memory_at_start"] = workers_memory(master)
    over = "198.51.100.30"
    fills = [submit(port, over)[0] for _ in range(10)]
    result["ten_plain_submissions"] = dict(Counter(fills))
    status, elapsed, _loc = submit(port, over, bombs)
    result["six_bombs_over_the_limit"] = {"status": status, "seconds": elapsed}
    status, elapsed, _loc = submit(port, "198.51.100.31", bombs)
    result["six_bombs_fresh_address"] = {"status": status, "seconds": elapsed}
    result["memory_after_single"] = workers_memory(master)

    # Three at once from addresses over their limit, and a citizen's GET / meanwhile.
    addresses = [f"198.51.100.{40 + i}" for i in range(3)]
    for address in addresses:
        for _ in range(10):
            submit(port, address)
    outcomes: list[tuple[int, float]] = []

    def one(address: str) -> None:
        status, elapsed, _loc = submit(port, address, bombs)
        outcomes.append((status, elapsed))

    threads = [threading.Thread(target=one, args=(a,)) for a in addresses]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    citizen = Client(port, "203.0.113.50").get("/")
    for thread in threads:
        thread.join()
    result["three_at_once_over_the_limit"] = {
        "statuses": [s for s, _ in outcomes],
        "seconds_max": max(t for _, t in outcomes),
        "citizen_get_home": {"status": citizen[0], "seconds": round(citizen[3], 3)},
    }
    result["memory_after_three"] = workers_memory(master)

    jpeg = phone_jpeg()
    photos = [("photos", f"IMG_{i}.jpg", jpeg) for i in range(6)]
    # Ordinary photos (within every size limit) from an address over its hourly limit.
    status, elapsed, _loc = submit(port, over, photos)
    result["six_phone_jpegs_over_the_limit"] = {"status": status, "seconds": elapsed}
    status, elapsed, location = submit(port, "203.0.113.60", photos)
    result["six_phone_jpegs_12mp"] = {
        "status": status,
        "seconds": elapsed,
        "bytes_each": len(jpeg),
        "stored": location.startswith("/t/"),
    }
    result["memory_at_end"] = workers_memory(master)
    return result


def staff_client(port: int) -> Client:
    client = Client(port, "203.0.113.70")
    if login(client, "tianhe.staff", "demo2026") != 302:
        raise SystemExit("tianhe.staff could not log in")
    return client


def attack_crafted(port: int) -> dict[str, Any]:
    public = Client(port, "203.0.113.80")
    staff = staff_client(port)
    gets: list[tuple[str, Client, str]] = [
        ("nul_in_path", public, "/t/%00/"),
        ("nul_in_results_query", public, "/c/tianhe/results/?q=%00"),
        ("nul_in_staff_list_query", staff, "/work/suggestions/?q=%00"),
        ("nul_in_export_query", staff, "/work/suggestions/export.xlsx?q=%00"),
        ("nul_in_search_query", staff, "/work/search/?q=%00"),
        ("huge_category_public", public, "/c/tianhe/results/?category=" + "9" * 30),
        ("huge_category_staff", staff, "/work/suggestions/?category=" + "9" * 30),
        ("huge_page", public, "/c/tianhe/results/?page=" + "9" * 30),
        ("slash_in_tracking_code", public, "/t/?code=a/b"),
        ("bidi_in_query", public, "/c/tianhe/results/?q=%E2%80%AE"),
        ("invalid_utf8_in_query", public, "/c/tianhe/results/?q=%FF%FE"),
    ]
    out: dict[str, Any] = {}
    for name, client, path in gets:
        status, _h, _b, elapsed = client.get(path)
        out[name] = {"status": status, "seconds": round(elapsed, 3)}

    def suggest(name: str, title: bytes, content_type: str, charset_body: str = "") -> None:
        client = Client(port, f"203.0.113.{90 + len(out) % 100}")
        hidden = client.form("/c/tianhe/suggest/")
        fields = {
            "csrfmiddlewaretoken": hidden.get("csrfmiddlewaretoken", ""),
            "idempotency_key": uuid.uuid4().hex,
            "content": "这里有一个问题需要解决，请相关部门尽快处理。",
            "consent": "on",
        }
        body = urlencode(fields).encode() + b"&title=" + title
        if charset_body:
            body = urlencode({**fields, "title": "测试标题内容"}).encode(charset_body)
        status, headers, _b, elapsed = client.post(
            "/c/tianhe/suggest/", {}, raw=body, content_type=content_type
        )
        out[name] = {
            "status": status,
            "seconds": round(elapsed, 3),
            "stored": headers.get("location", "").startswith("/t/"),
        }

    form = "application/x-www-form-urlencoded"
    suggest("body_charset_utf16", b"", form + "; charset=utf-16", charset_body="utf-16")
    suggest("body_charset_gbk", b"", form + "; charset=gbk", charset_body="gbk")
    suggest("invalid_utf8_in_title", b"%FF%FE%E8%B7%AF%E7%81%AF%E5%9D%8F", form)
    suggest("rlo_in_title", b"%E2%80%AE%E8%B7%AF%E7%81%AF%E5%9D%8F%E4%BA%86", form)
    suggest("nul_in_title", b"%00%E8%B7%AF%E7%81%AF%E5%9D%8F%E4%BA%86", form)
    return out


def attack_tracking(port: int) -> dict[str, Any]:
    client = Client(port, "198.51.100.90")
    statuses: Counter[int] = Counter()
    started = time.perf_counter()
    for _ in range(300):
        code = "".join(random.choices(string.ascii_uppercase + string.digits, k=8))
        statuses[client.get(f"/t/{code}/")[0]] += 1
    elapsed = time.perf_counter() - started
    other = Client(port, "203.0.113.91").get("/t/ABCDEFGH/")[0]
    return {
        "lookups": 300,
        "statuses": dict(statuses),
        "per_second": round(300 / elapsed, 1),
        "another_address_afterwards": other,
    }


def attack_csp(port: int) -> dict[str, Any]:
    client = Client(port, "203.0.113.95")
    out = {}
    for path in ("/", "/c/tianhe/suggest/", "/accounts/login/"):
        _s, headers, _b, _t = client.get(path)
        out[path] = headers.get("content-security-policy") or headers.get(
            "content-security-policy-report-only"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/xieshang_attacks"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--port", type=int, default=8122)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep a database made here")
    parser.add_argument(
        "--only", default="", help="comma-separated: lockout,photos,crafted,tracking,csp"
    )
    args = parser.parse_args()
    for url in (args.database_url, args.redis_url):
        if url and (urlsplit(url).hostname or "") not in LOCAL_HOSTS:
            parser.error("only 127.0.0.1")

    var_dir = Path(tempfile.mkdtemp(prefix="xieshang-attacks-"))
    fernet_file = var_dir / "fernet"
    made_here = not database_exists(args.database_url)
    fernet = fernet_key()
    env = server_env(args, var_dir, fernet)
    proc: subprocess.Popen[bytes] | None = None
    try:
        if made_here:
            log(f"creating {args.database_url} with the demo data")
            database_create(args.database_url)
            manage(env, "migrate", "--noinput")
            manage(env, "seed_demo")
        else:
            manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        fernet_file.write_text(fernet)
        if args.redis_url:
            import redis

            redis.Redis.from_url(args.redis_url).flushdb()
        beside = Path(sys.executable).parent / "gunicorn"
        command = [str(beside), "xieshang.wsgi", "--workers", str(args.workers)]
        command += ["--bind", f"127.0.0.1:{args.port}", "--timeout", "120"]
        command += ["--no-control-socket"]
        server_log = (var_dir / "gunicorn.log").open("wb")
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=server_log, stderr=server_log)
        wait_for(args.port, proc)
        time.sleep(1)
        only = set(filter(None, args.only.split(",")))
        results: dict[str, Any] = {}
        attacks: dict[str, Callable[[], dict[str, Any]]] = {
            "lockout": lambda: attack_lockout(args.port),
            "photos": lambda: attack_photos(args.port, proc.pid if proc else 0),
            "crafted": lambda: attack_crafted(args.port),
            "tracking": lambda: attack_tracking(args.port),
            "csp": lambda: attack_csp(args.port),
        }
        for name, attack in attacks.items():
            if only and name not in only:
                continue
            log(name)
            results[name] = attack()
        log_text = (var_dir / "gunicorn.log").read_text(errors="replace")
        results["server_errors_logged"] = log_text.count("Traceback")
        results["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        print(json.dumps(results, ensure_ascii=False, indent=2))
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if made_here and not args.keep:
            database_create(args.database_url, drop=True)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
