"""Settings come from environment variables, read by helpers that fail loudly."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from xieshang.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[3]


def test_the_helpers_read_typed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a.cn, b.cn,")
    assert env_bool("X_BOOL", False) is True
    assert env_int("X_INT", 0) == 42
    assert env_list("X_LIST", []) == ["a.cn", "b.cn"]
    assert env_str("X_UNSET", "fallback") == "fallback"


@pytest.mark.parametrize(
    ("reader", "value"), [(lambda: env_bool("X", False), "maybe"), (lambda: env_int("X", 1), "ten")]
)
def test_the_helpers_fail_loudly_on_bad_values(monkeypatch, reader, value) -> None:
    monkeypatch.setenv("X", value)
    with pytest.raises(ImproperlyConfigured, match="X="):
        reader()


def test_a_required_variable_that_is_missing_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_REQUIRED"):
        env_str("X_REQUIRED")


def test_the_time_zone_and_language_are_chinas() -> None:
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("XIESHANG_TESTING", "DEBUG", "REDIS_URL", "DATABASE_URL")
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="zx.example.gov.cn",
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        XIESHANG_VAR_DIR=str(tmp_path),
        SMS_CONSOLE_ALLOWED="1",  # no provider's backend here (test_secrets.py)
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_values(tmp_path: Path) -> None:
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SECRET_KEY", "short", "SECRET_KEY"),
        ("FIELD_ENCRYPTION_KEY", "not-a-key", "FIELD_ENCRYPTION_KEY"),
        ("DEBUG", "perhaps", "DEBUG"),
        ("VIDEO_ROOM_BASE_URL", "ftp://x", "VIDEO_ROOM_BASE_URL"),
    ],
)
def test_production_refuses_to_start_with_bad_values(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    result = manage(production_env(tmp_path, **{variable: value}), "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_a_replica_pgbouncer_and_shared_uploads_are_settings(tmp_path: Path) -> None:
    show = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'aliases': sorted(s.DATABASES), 'routers': s.DATABASE_ROUTERS,"
        "'cursors': [s.DATABASES[a]['DISABLE_SERVER_SIDE_CURSORS'] for a in sorted(s.DATABASES)],"
        "'replica': s.DATABASES['replica']['PORT'], 'reads': s.REPLICA_READS,"
        "'media': str(s.MEDIA_ROOT), 'storage': s.STORAGES['default'],"
        "'x_accel': s.XIESHANG_MEDIA_X_ACCEL}))"
    )
    env = production_env(
        tmp_path,
        DATABASE_URL="postgres://xieshang@127.0.0.1:6432/xieshang",
        DATABASE_REPLICA_URL="postgres://xieshang@127.0.0.1:6432/xieshang_replica",
        DB_POOLER="transaction",
        XIESHANG_MEDIA_ROOT="/srv/xieshang-media",
        XIESHANG_STORAGE_OPTIONS='{"location": "/srv/xieshang-media"}',
        XIESHANG_MEDIA_X_ACCEL="/_media/",
    )
    result = manage(env, "shell", "-c", show)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "aliases": ["default", "replica"],
        "routers": ["xieshang.core.replica.ReplicaRouter"],
        "cursors": [True, True],
        "replica": 6432,
        "reads": True,
        "media": "/srv/xieshang-media",
        "storage": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": "/srv/xieshang-media"},
        },
        "x_accel": "/_media/",
    }
    plain = json.loads(
        manage(
            production_env(tmp_path),
            "shell",
            "-c",
            show.replace("'replica': s.DATABASES['replica']['PORT'], ", ""),
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    assert plain["aliases"] == ["default"] and plain["routers"] == []
    for variable, value in [("DB_POOLER", "statement"), ("XIESHANG_STORAGE_OPTIONS", "{")]:
        result = manage(production_env(tmp_path, **{variable: value}), "check")
        assert result.returncode != 0 and variable in result.stderr
