"""`manage.py backup` / `restore`: the database and the uploads, encrypted with BACKUP_KEY,
restored into an empty database and checked (issue 20, Backups).

The round trip runs as production does, in processes of their own: seed a database, back it
up, restore into a second, empty database with its own empty uploads folder, and compare
counts, every row and every upload. On PostgreSQL when DATABASE_URL points to one (the
suite's second run, CI), and on SQLite always.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet
from psycopg import sql

from xieshang.core.backups import BackupError, SealedReader, SealedWriter, backup_key
from xieshang.core.tests.test_settings import ROOT

KEY = Fernet.generate_key().decode()
FIELD_KEY = Fernet.generate_key().decode()

# Read back in the restored database: every table's rows, and the uploads.
READ_BACK = """
import hashlib, json
from django.apps import apps
from django.conf import settings
from django.core import serializers
from xieshang.core.backups import _models
rows = {}
for model in _models():
    data = serializers.serialize("json", model._base_manager.order_by("pk"),
                                 use_natural_foreign_keys=True)
    rows[model._meta.label_lower] = hashlib.sha256(data.encode()).hexdigest()
media = sorted(
    (str(p.relative_to(settings.MEDIA_ROOT)), hashlib.sha256(p.read_bytes()).hexdigest())
    for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()
)
from xieshang.suggestions.models import Suggestion
from xieshang.core.privacy import decrypt
phones = sorted(decrypt(s.phone_encrypted) for s in Suggestion.objects.exclude(phone_encrypted=""))
print(json.dumps({"rows": rows, "media": media, "phones": phones}))
"""


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def shell(env: dict[str, str], code: str) -> str:
    done = run(env, "shell", "-c", code)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()[-1]


def site_env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("XIESHANG_TESTING", "DEBUG", "REDIS_URL", "DATABASE_URL")
    }
    var_dir.mkdir(parents=True, exist_ok=True)
    env.update(
        DEBUG="1",  # seed_demo and the console SMS backend, as `make run`
        DATABASE_URL=database_url,
        XIESHANG_VAR_DIR=str(var_dir),
        FIELD_ENCRYPTION_KEY=FIELD_KEY,
        BACKUP_KEY=KEY,
    )
    return env


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of the engine under test: the site's and the restore's."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield (f"sqlite:///{tmp_path / 'site.sqlite3'}", f"sqlite:///{tmp_path / 'new.sqlite3'}")
        return
    base = url.rsplit("/", 1)[0]
    names = [f"xs_backup_{uuid.uuid4().hex[:10]}_{n}" for n in ("site", "new")]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield (f"{base}/{names[0]}", f"{base}/{names[1]}")
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            for name in names:
                drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                conn.execute(drop.format(sql.Identifier(name)))


MIGRATE_AND_SEED = """
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("seed_demo")
"""

# A photo in the site's uploads and a suggestion with a phone number: what a restore must
# bring back byte for byte, and readable.
ADD_UPLOADS = """
import io, uuid
from PIL import Image
from django.core.files.uploadedfile import SimpleUploadedFile
from xieshang.core.models import Committee
from xieshang.core.photos import clean_photo
from xieshang.suggestions.services import Intake, suggestion_submit
buffer = io.BytesIO()
Image.new("RGB", (640, 480), (180, 40, 40)).save(buffer, "JPEG")
photo = clean_photo(SimpleUploadedFile("p.jpg", buffer.getvalue()), with_preview=True)
suggestion_submit(intake=Intake(
    committee=Committee.objects.get(code="tianhe"), title="备份里的照片",
    content="恢复后照片应当一模一样。", idempotency_key=uuid.uuid4().hex,
    phone="13912345678", photos=[photo],
))
"""


def test_a_backup_restores_into_an_empty_database_with_every_row_and_upload(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    site_url, new_url = databases
    site = site_env(site_url, tmp_path / "site")
    # One process migrates, loads the demo and adds an upload (each start costs seconds).
    before = shell(site, MIGRATE_AND_SEED + ADD_UPLOADS + READ_BACK)
    assert '"media": [["suggestions/' in before and "13912345678" in before

    archive = tmp_path / "site.xsbackup"
    made = run(site, "backup", "--output", str(archive))
    assert made.returncode == 0, made.stderr[-2000:]
    content = archive.read_bytes()
    assert "备份里的照片".encode() not in content and b"13912345678" not in content

    new = site_env(new_url, tmp_path / "new")
    # Without its key, or with another, the file is not read and nothing is written.
    no_key = {k: v for k, v in new.items() if k != "BACKUP_KEY"}
    refused = run(no_key, "restore", str(archive))
    assert refused.returncode != 0 and "BACKUP_KEY" in refused.stderr
    refused = run({**new, "BACKUP_KEY": Fernet.generate_key().decode()}, "restore", str(archive))
    assert refused.returncode != 0 and "cannot be decrypted" in refused.stderr

    restored = run(new, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert "Restored and checked" in restored.stdout
    # Every row and upload equal, the numbers readable with the same FIELD_ENCRYPTION_KEY.
    assert shell(new, READ_BACK) == before

    # A second restore into the same, no longer empty, database is refused.
    again = run(new, "restore", str(archive))
    assert again.returncode != 0 and "not empty" in again.stderr


def sealed(data: bytes, key: bytes) -> bytes:
    out = io.BytesIO()
    writer = SealedWriter(out, key)
    writer.write(data)
    writer.close()
    return out.getvalue()


def unsealed(data: bytes, key: bytes) -> bytes:
    return SealedReader(io.BytesIO(data), key).read()


def test_the_seal_round_trips_and_detects_every_change() -> None:
    key = backup_key(KEY)
    data = os.urandom(3 * 1024 * 1024 + 17)  # four chunks
    box = sealed(data, key)
    assert unsealed(box, key) == data
    assert data[:64] not in box
    for position in (len(b"XSBACKUP1\n") + 3, len(box) // 2, len(box) - 1):
        changed = bytearray(box)
        changed[position] ^= 1
        with pytest.raises(BackupError):
            unsealed(bytes(changed), key)
    chunk = 4 + 1024 * 1024 + 16
    start = len(b"XSBACKUP1\n") + 16
    with pytest.raises(BackupError, match="cut short"):
        unsealed(box[: start + 2 * chunk], key)  # the last chunks missing
    with pytest.raises(BackupError):
        unsealed(box[: len(box) // 2], key)  # cut inside a chunk
    dropped = box[:start] + box[start + chunk :]  # the first chunk left out
    with pytest.raises(BackupError):
        unsealed(dropped, key)
    with pytest.raises(BackupError):
        unsealed(box + b"x", key)


@pytest.mark.parametrize("value", ["", "not base64!", "c2hvcnQ="])
def test_a_missing_or_malformed_key_is_refused(value: str) -> None:
    with pytest.raises(BackupError, match="BACKUP_KEY"):
        backup_key(value)
