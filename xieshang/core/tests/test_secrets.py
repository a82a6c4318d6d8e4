"""Secrets and codes (issue 20, item 5): placeholder keys refuse to start outside DEBUG, the
console SMS backend starts there only when allowed, and no log line carries a code that
opens a citizen's record."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import Client, override_settings

from xieshang.conftest import Cast
from xieshang.core.redact import mask_codes
from xieshang.core.sms import ConsoleBackend, sms_send
from xieshang.core.tests.test_settings import ROOT, manage, production_env

EXAMPLE_SECRET = "change-me-to-a-random-string-of-at-least-fifty-characters-0123456789"
DEV_FERNET_KEY = "ZGV2LW9ubHktZmVybmV0LWtleS0zMi1ieXRlcy0hISE="
PROVIDER = "sms_provider.Backend"  # a provider's backend: imported only to send a text


@pytest.mark.parametrize(
    "secret",
    [
        EXAMPLE_SECRET,
        "django-insecure-" + "k" * 40 + "q8w7e6r5t4y3",
        "x" * 60,
        "your-secret-key-goes-here-and-it-is-long-enough-to-pass-the-length-check",
    ],
)
def test_a_placeholder_secret_key_refuses_to_start(tmp_path: Path, secret: str) -> None:
    env = production_env(tmp_path, SECRET_KEY=secret, SMS_CONSOLE_ALLOWED="1")
    result = manage(env, "check", "--deploy")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        DEV_FERNET_KEY,
        Fernet.generate_key().decode() + "," + DEV_FERNET_KEY,  # an old key to rotate out
        "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=",  # "AAAA…": well-formed, made up
    ],
    ids=["dev-key", "dev-key-as-old-key", "made-up-key"],
)
def test_a_placeholder_field_encryption_key_refuses_to_start(tmp_path: Path, key: str) -> None:
    env = production_env(tmp_path, FIELD_ENCRYPTION_KEY=key, SMS_CONSOLE_ALLOWED="1")
    result = manage(env, "check")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY" in result.stderr


def test_the_console_sms_backend_starts_outside_debug_only_when_allowed(tmp_path: Path) -> None:
    refused = manage(production_env(tmp_path, SMS_CONSOLE_ALLOWED=""), "check")
    assert refused.returncode != 0
    assert "SMS_CONSOLE_ALLOWED" in refused.stderr
    allowed = manage(production_env(tmp_path, SMS_CONSOLE_ALLOWED="1"), "check")
    assert allowed.returncode == 0, allowed.stderr
    other = manage(production_env(tmp_path, SMS_BACKEND=PROVIDER), "check")
    assert other.returncode == 0, other.stderr


def example_values() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_the_example_configuration_carries_no_usable_secret_nor_the_console_backend(
    tmp_path: Path,
) -> None:
    example = example_values()
    assert example["SECRET_KEY"] == ""
    assert example["FIELD_ENCRYPTION_KEY"] == ""
    assert "ConsoleBackend" not in example["SMS_BACKEND"]
    # Filled in by the operator (and a provider's backend chosen), it passes check --deploy.
    env = production_env(
        tmp_path,
        **{k: v for k, v in example.items() if v and k not in ("DATABASE_URL", "REDIS_URL")},
    )
    env.update(SMS_BACKEND=PROVIDER, XIESHANG_VAR_DIR=str(tmp_path))
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    # As it is, it does not start.
    unfilled = production_env(tmp_path, **{k: v for k, v in example.items() if k != "SMS_BACKEND"})
    unfilled.pop("SECRET_KEY", None)
    assert manage({**unfilled, "SECRET_KEY": ""}, "check").returncode != 0


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("SMS to 138****8000: 【协商】您的短信验证码为 482913，10 分钟内有效。", "482913"),
        ("Your verification code is 482913, valid for 10 minutes.", "482913"),
        ("您的百姓提案 7KQ2M9XH4P：已受理。", "7KQ2M9XH4P"),
        ("洽谈 K7M2Q9XH 预约成功：12月5日 14:30", "K7M2Q9XH"),
        ('"GET /t/7kq2m9xh4p/?new=1 HTTP/1.1" 200 5120', "7kq2m9xh4p"),
        ("Not Found: /t/WHATEVER-THEY-TRIED/", "WHATEVER-THEY-TRIED"),
        ('"GET /t/?code=7KQ2-M9XH-4P HTTP/1.1" 302 0', "7KQ2-M9XH-4P"),
        ('"GET /b/eyJiIjo1LCJjIjoiSzdNMlE5WEgifQ:1tAbCd:sIgNaTuRe/ HTTP/1.1" 200', "eyJiIjo1"),
        ("/c/tianhe/follow/MTIz:1tAbCd:sIgNaTuRe/", "MTIz"),
    ],
)
def test_codes_are_masked_in_a_log_line(line: str, secret: str) -> None:
    assert secret not in mask_codes(line)


@pytest.mark.parametrize(
    "line",
    [
        "Booting worker with pid: 4242; DATABASE_URL set; GET /work/suggestions/ 200",
        "Task suggestions.notify_citizen[25858d97-01e4-4566-a8e5-e6dbe123456a] succeeded",
    ],
)
def test_ordinary_log_lines_keep_their_words(line: str) -> None:
    assert mask_codes(line) == line


def test_every_logger_masks_codes(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        logging.getLogger("gunicorn.access").info(
            '%s "%s"', "203.0.113.9", "GET /t/7KQ2M9XH4P/ HTTP/1.1"
        )
        logging.getLogger("celery.app.trace").info("sent %(code)s", {"code": "482913"})
    text = caplog.text
    assert "7KQ2M9XH4P" not in text and "482913" not in text
    assert "/t/***/" in text


def test_a_missed_tracking_code_is_not_logged(
    cast: Cast, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/t/7KQ2M9XH4P/").status_code == 404
    assert "Not Found" in caplog.text
    assert "7KQ2M9XH4P" not in caplog.text


def test_the_console_backend_keeps_no_outbox_outside_development(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ConsoleBackend.outbox.clear()
    with override_settings(DEBUG=False, TESTING=False), caplog.at_level(logging.INFO):
        sms_send(phone="13800138000", text="您的短信验证码为 482913。")
    assert ConsoleBackend.outbox == []
    assert "482913" not in caplog.text and "******" in caplog.text


def test_the_console_backends_outbox_is_bounded() -> None:
    ConsoleBackend.outbox.clear()
    for i in range(600):
        sms_send(phone="13800138000", text=f"第 {i} 条")
    assert len(ConsoleBackend.outbox) == 500
    assert ConsoleBackend.outbox[-1][1].endswith("第 599 条")
