"""Citizens' phone numbers: normalised, masked, encrypted at rest, hashed for look-ups."""

from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from xieshang.core.privacy import (
    decrypt,
    encrypt,
    lookup_hash,
    mask_mobile,
    normalize_mobile,
    rotate,
)

ROOT = Path(__file__).resolve().parents[3]
NUMBER = "13812341234"
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


# --- Normalising -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13812341234",
        "138 1234 1234",
        "138-1234-1234",
        " 138 - 1234 - 1234 ",
        "+8613812341234",
        "+86 138 1234 1234",
        "8613812341234",
        "86-138-1234-1234",
        "008613812341234",
        "0086 138 1234 1234",
        "１３８１２３４１２３４",  # full-width, as a Chinese keyboard types them
        "＋８６\u3000138－1234－1234",
        "13812341234\n",
    ],
)
def test_it_normalises_a_mobile_number(raw: str) -> None:
    assert normalize_mobile(raw) == NUMBER


@pytest.mark.parametrize("first_two", ["13", "14", "15", "16", "17", "18", "19"])
def test_it_accepts_every_mobile_prefix(first_two: str) -> None:
    assert normalize_mobile(f"{first_two}012345678") == f"{first_two}012345678"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "1381234123",  # 10 digits
        "138123412345",  # 12 digits
        "12812341234",  # no mobile network starts 12
        "10086",
        "23812341234",
        "020-12345678",  # a Guangzhou landline
        "+1 415 555 0123",
        "+85 13812341234",
        "861381234123",  # 86 and only 10 digits
        "0086-1381234123",
        "138.1234.1234",
        "138o1234123",
        "\u0661\u0663\u0668\u0661\u0662\u0663\u0664\u0661\u0662\u0663\u0664",  # Arabic-Indic
    ],
)
def test_it_refuses_what_is_not_a_mainland_mobile_number(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_mobile(raw)
    assert caught.value.code == "invalid_mobile"


def test_the_refusal_is_in_chinese() -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        normalize_mobile("12345")
    assert caught.value.messages == ["请输入有效的中国大陆手机号码（以 1 开头的 11 位数字）。"]


# --- Masking -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("13812341234", "138****1234"),
        ("+86 138 1234 1234", "138****1234"),
        ("020-12345678", "********5678"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_it_masks_a_number(number: str, masked: str) -> None:
    assert mask_mobile(number) == masked


# --- Encrypting --------------------------------------------------------------------------


def test_it_decrypts_what_it_encrypted() -> None:
    assert decrypt(encrypt(NUMBER)) == NUMBER
    assert decrypt(encrypt("张三 13812341234")) == "张三 13812341234"


def test_the_token_does_not_show_the_number() -> None:
    token = encrypt(NUMBER)

    assert NUMBER not in token
    assert "1234" not in token
    assert token.isascii()


def test_it_makes_a_new_token_each_time() -> None:
    assert encrypt(NUMBER) != encrypt(NUMBER)


def test_a_token_of_another_key_is_refused() -> None:
    with override_settings(FIELD_ENCRYPTION_KEY=OLD_KEY):
        token = encrypt(NUMBER)
    with override_settings(FIELD_ENCRYPTION_KEY=NEW_KEY), pytest.raises(InvalidToken):
        decrypt(token)


def test_a_tampered_token_is_refused() -> None:
    token = encrypt(NUMBER)
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]

    with pytest.raises(InvalidToken):
        decrypt(tampered)


def test_it_still_decrypts_after_a_new_key_is_put_first() -> None:
    with override_settings(FIELD_ENCRYPTION_KEY=OLD_KEY):
        old_token = encrypt(NUMBER)

    with override_settings(FIELD_ENCRYPTION_KEY=f"{NEW_KEY}, {OLD_KEY}"):
        assert decrypt(old_token) == NUMBER
        new_token = encrypt(NUMBER)
        rotated = rotate(old_token)
        assert decrypt(rotated) == NUMBER

    # The first key encrypts: once the old key is dropped, only the new tokens remain.
    with override_settings(FIELD_ENCRYPTION_KEY=NEW_KEY):
        assert decrypt(new_token) == NUMBER
        assert decrypt(rotated) == NUMBER
        with pytest.raises(InvalidToken):
            decrypt(old_token)


# --- Look-up hashes ----------------------------------------------------------------------


def test_the_lookup_hash_is_stable() -> None:
    digest = lookup_hash(NUMBER)

    assert digest == lookup_hash(NUMBER)
    assert len(digest) == 64
    assert int(digest, 16) >= 0
    assert NUMBER not in digest


def test_the_lookup_hash_differs_between_numbers() -> None:
    assert lookup_hash(NUMBER) != lookup_hash("13812341235")


def test_the_lookup_hash_is_keyed() -> None:
    with override_settings(FIELD_ENCRYPTION_KEY=OLD_KEY):
        under_old = lookup_hash(NUMBER)
        with_the_fernet_key = hmac.new(OLD_KEY.encode(), NUMBER.encode(), "sha256").hexdigest()
    with override_settings(FIELD_ENCRYPTION_KEY=NEW_KEY):
        under_new = lookup_hash(NUMBER)

    assert under_old != under_new
    assert under_old != hashlib.sha256(NUMBER.encode()).hexdigest()
    # The Fernet key is not the HMAC key: the HMAC key is derived from it.
    assert under_old != with_the_fernet_key


def test_the_lookup_hash_follows_the_first_key() -> None:
    with override_settings(FIELD_ENCRYPTION_KEY=NEW_KEY):
        alone = lookup_hash(NUMBER)
    with override_settings(FIELD_ENCRYPTION_KEY=f"{NEW_KEY},{OLD_KEY}"):
        assert lookup_hash(NUMBER) == alone


# --- The setting -------------------------------------------------------------------------


def load_settings(keys: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XIESHANG_TESTING": "1", "FIELD_ENCRYPTION_KEY": keys}
    return subprocess.run(
        [sys.executable, "-c", "import xieshang.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_setting_takes_a_list_of_keys() -> None:
    result = load_settings(f"{NEW_KEY}, {OLD_KEY}")

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "keys", [f"{NEW_KEY},not-a-key", f"{NEW_KEY},"], ids=["bad-second-key", "empty-second-key"]
)
def test_the_setting_refuses_a_list_with_a_bad_key(keys: str) -> None:
    result = load_settings(keys)

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY" in result.stderr
