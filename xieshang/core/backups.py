"""Backups: the database and the uploads in one encrypted file, restored into an empty
database and checked.

A backup is a gzipped tar of

- `manifest.json`: when, from which engine, the migrations applied, and for every model its
  row count and a sample of its rows (their primary keys and a hash of each row's
  serialised fields); for every upload its name, size and SHA-256;
- `db.jsonl`: every row of every model (Django's serialisation, so a backup taken on
  SQLite restores on PostgreSQL and back), read in one consistent snapshot;
- `media/…`: every upload, through the storage API,

sealed with AES-256-GCM in chunks under a key derived (HKDF) from BACKUP_KEY and a random
salt: a changed, reordered or cut file is refused, not half-restored. BACKUP_KEY (32
random bytes, url-safe base64: the same shape as a Fernet key) lives outside the backup;
FIELD_ENCRYPTION_KEY must be kept too, or the restored phone numbers stay unreadable.

`restore` migrates the target, refuses a database that holds any row of a model in the
backup or was migrated by other code, loads the rows (one transaction), writes the uploads,
then checks the counts, the sampled rows and every upload's hash against the manifest.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import os
import struct
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MAGIC = b"XSBACKUP1\n"
SALT_BYTES = 16
CHUNK = 1024 * 1024
SAMPLE_SIZE = 25
# Rebuilt by `migrate` on the target (content types, permissions) or not worth keeping
# (sessions: everybody logs in again after a restore); the figures' monthly
# pre-aggregates are a cache of the records (`manage.py figures_cube` rebuilds them; until
# then the figures are counted from the records), and the database's triggers write
# month changes while the records are loaded.
LEFT_OUT = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "figures.monthfigures",
    "figures.monthbuilt",
    "figures.monthchange",
}


class BackupError(Exception):
    """A backup that cannot be made, read or restored; nothing was half-done."""


def backup_key(value: str | None) -> bytes:
    """The 32-byte key of BACKUP_KEY (url-safe base64), or BackupError."""
    if not value:
        raise BackupError(
            "BACKUP_KEY is not set. Generate one and keep it apart from the backups: "
            'python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"'
        )
    try:
        key = base64.urlsafe_b64decode(value.strip())
    except (binascii.Error, ValueError) as exc:
        raise BackupError("BACKUP_KEY is not url-safe base64") from exc
    if len(key) != 32:
        raise BackupError("BACKUP_KEY must be 32 bytes (url-safe base64, like a Fernet key)")
    return key


# --- Sealing: AES-256-GCM in chunks ----------------------------------------------------------


def _file_key(key: bytes, salt: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"xieshang backup")
    return AESGCM(derived.derive(key))


def _nonce(counter: int) -> bytes:
    return counter.to_bytes(12, "big")


class SealedWriter(io.RawIOBase):
    """Writes MAGIC, a salt, then chunks: 4-byte length, ciphertext of up to CHUNK bytes.
    Each chunk's associated data is its number and whether it is the last one, so chunks
    cannot be reordered, dropped or cut off at the end."""

    def __init__(self, out: IO[bytes], key: bytes) -> None:
        super().__init__()
        salt = os.urandom(SALT_BYTES)
        self._out, self._aead, self._counter = out, _file_key(key, salt), 0
        self._buffer = bytearray()
        out.write(MAGIC + salt)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        aad = struct.pack(">Q?", self._counter, last)
        sealed = self._aead.encrypt(_nonce(self._counter), plain, aad)
        self._out.write(struct.pack(">I", len(sealed)) + sealed)
        self._counter += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


class SealedReader(io.RawIOBase):
    """Reads what SealedWriter wrote; BackupError on a wrong key or a changed file."""

    def __init__(self, source: IO[bytes], key: bytes) -> None:
        super().__init__()
        head = source.read(len(MAGIC) + SALT_BYTES)
        if head[: len(MAGIC)] != MAGIC or len(head) != len(MAGIC) + SALT_BYTES:
            raise BackupError("not a xieshang backup")
        self._source, self._aead = source, _file_key(key, head[len(MAGIC) :])
        self._counter, self._plain, self._done = 0, b"", False

    def readable(self) -> bool:
        return True

    def _next(self) -> None:
        size = self._source.read(4)
        if len(size) != 4:
            raise BackupError("the backup is cut short")
        sealed = self._source.read(struct.unpack(">I", size)[0])
        for last in (False, True):
            aad = struct.pack(">Q?", self._counter, last)
            try:
                self._plain = self._aead.decrypt(_nonce(self._counter), sealed, aad)
            except InvalidTag:  # not this flag: try the other, then give up
                self._plain = b""
            else:
                self._counter += 1
                self._done = last
                return
        raise BackupError("the backup cannot be decrypted: wrong BACKUP_KEY, or a changed file")

    def readinto(self, target: Any) -> int:
        while not self._plain and not self._done:
            self._next()
        if self._done and not self._plain:
            if self._source.read(1):
                raise BackupError("the backup has data after its end")
            return 0
        n = min(len(target), len(self._plain))
        target[:n] = self._plain[:n]
        self._plain = self._plain[n:]
        return n


# --- What is backed up --------------------------------------------------------------------


def _models() -> list[type[models.Model]]:
    """Every concrete model whose rows are kept, in an order that loads (dependencies
    first)."""
    chosen = [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in LEFT_OUT
    ]
    ordered = serializers.sort_dependencies([(None, chosen)], allow_cycles=True)
    return list(ordered)


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to milliseconds,
    which a restore would notice as changed rows)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _dump_rows(rows: models.QuerySet[Any], stream: IO[str]) -> None:
    """Every row as one JSON line that `loaddata` reads (the "jsonl" format)."""
    batch: list[models.Model] = []
    for obj in rows.iterator(chunk_size=2000):
        batch.append(obj)
        if len(batch) == 2000:
            _dump_batch(batch, stream)
            batch = []
    _dump_batch(batch, stream)


def _dump_batch(batch: list[models.Model], stream: IO[str]) -> None:
    for data in serializers.serialize("python", batch, use_natural_foreign_keys=True):
        stream.write(json.dumps(data, cls=_ExactEncoder, ensure_ascii=False) + "\n")


def _row_hash(obj: models.Model) -> str:
    # Natural keys for content types and permissions: their ids differ between databases.
    (data,) = serializers.serialize("python", [obj], use_natural_foreign_keys=True)
    text = json.dumps(data["fields"], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _sample(model: type[models.Model]) -> dict[str, str]:
    """Up to SAMPLE_SIZE rows spread over the table: primary key → hash of the row."""
    manager = model._base_manager
    pks = list(manager.order_by("pk").values_list("pk", flat=True))
    if len(pks) > SAMPLE_SIZE:
        step = len(pks) / SAMPLE_SIZE
        pks = [pks[int(i * step)] for i in range(SAMPLE_SIZE - 1)] + [pks[-1]]
    return {str(obj.pk): _row_hash(obj) for obj in manager.filter(pk__in=pks)}


def _media_names(directory: str = "") -> Iterator[str]:
    if not default_storage.exists(directory or "."):
        return
    folders, files = default_storage.listdir(directory or ".")
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for folder in sorted(folders):
        yield from _media_names(f"{directory}/{folder}" if directory else folder)


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(CHUNK), b""):
        digest.update(block)
    return digest.hexdigest()


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


@contextmanager
def _snapshot() -> Iterator[None]:
    """Every read inside sees one moment of the database, writers carrying on."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
    elif connection.vendor == "sqlite" and connection.get_autocommit():
        # The project's SQLite transactions BEGIN IMMEDIATE (the write lock); a backup
        # only reads: a deferred transaction is a WAL snapshot that blocks no writer.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        yield


@dataclass(frozen=True)
class Summary:
    models: int
    rows: int
    files: int
    bytes: int


def backup_write(*, out: IO[bytes], key: bytes) -> Summary:
    """Write a sealed backup of the database and the uploads to `out`."""
    with tempfile.TemporaryDirectory(prefix="xieshang-backup-") as tmp:
        dump = Path(tmp) / "db.jsonl"
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "models": {},
            "media": {},
        }
        with _snapshot():
            manifest["migrations"] = _applied_migrations()
            with dump.open("w", encoding="utf-8") as stream:
                for model in _models():
                    rows = model._base_manager.order_by("pk")
                    count = rows.count()
                    manifest["models"][model._meta.label_lower] = {
                        "count": count,
                        "sample": _sample(model),
                    }
                    _dump_rows(rows, stream)
        for name in _media_names():
            with default_storage.open(name, "rb") as handle:
                manifest["media"][name] = {
                    "size": default_storage.size(name),
                    "sha256": _sha256(handle),
                }
        sealed = SealedWriter(out, key)
        with tarfile.open(fileobj=sealed, mode="w|gz") as archive:
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
            archive.add(str(dump), arcname="db.jsonl")
            for name, meta in manifest["media"].items():
                info = tarfile.TarInfo(f"media/{name}")
                info.size = meta["size"]
                with default_storage.open(name, "rb") as handle:
                    archive.addfile(info, handle)
        sealed.close()
    counts = [m["count"] for m in manifest["models"].values()]
    return Summary(
        models=len(counts),
        rows=sum(counts),
        files=len(manifest["media"]),
        bytes=sum(m["size"] for m in manifest["media"].values()),
    )


# --- Restoring ------------------------------------------------------------------------------


def _check_empty(manifest: dict[str, Any]) -> None:
    holding = [
        label for label in manifest["models"] if apps.get_model(label)._base_manager.exists()
    ]
    if holding:
        raise BackupError(
            "the database is not empty (rows in " + ", ".join(sorted(holding)[:5]) + "): "
            "restore into a new, empty database"
        )
    here = _applied_migrations()
    theirs = manifest["migrations"]
    if here != theirs:
        missing = [f"{a}.{n}" for a, n in theirs if [a, n] not in here][:3]
        extra = [f"{a}.{n}" for a, n in here if [a, n] not in theirs][:3]
        raise BackupError(
            "the backup was made by another version of the code "
            f"(missing here: {missing or '-'}; not in the backup: {extra or '-'}): "
            "restore with the code that made it, then upgrade"
        )


def backup_verify(manifest: dict[str, Any]) -> list[str]:
    """What differs between the database and uploads now and the manifest (empty: all
    equal): each model's count, each sampled row, each upload's size and hash."""
    problems = []
    for label, expected in manifest["models"].items():
        model = apps.get_model(label)
        count = model._base_manager.count()
        if count != expected["count"]:
            problems.append(f"{label}: {count} rows, the backup has {expected['count']}")
            continue
        rows = {str(o.pk): o for o in model._base_manager.filter(pk__in=list(expected["sample"]))}
        for pk, digest in expected["sample"].items():
            if pk not in rows or _row_hash(rows[pk]) != digest:
                problems.append(f"{label} #{pk} differs from the backup")
    for name, meta in manifest["media"].items():
        if not default_storage.exists(name):
            problems.append(f"upload {name} is missing")
            continue
        with default_storage.open(name, "rb") as handle:
            if _sha256(handle) != meta["sha256"]:
                problems.append(f"upload {name} differs from the backup")
    return problems


def backup_restore(*, source: IO[bytes], key: bytes) -> Summary:
    """Restore a sealed backup into this (new, empty) database and storage, then check
    it; BackupError when the target is not empty, the file is not intact, or the check
    finds a difference."""
    with tempfile.TemporaryDirectory(prefix="xieshang-restore-") as tmp:
        folder = Path(tmp)
        # The whole file is decrypted and checked before the database is touched.
        with tarfile.open(fileobj=SealedReader(source, key), mode="r|gz") as archive:
            archive.extractall(folder, filter="data")
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"backup format {manifest.get('format')} is not {FORMAT}")
        call_command("migrate", interactive=False, verbosity=0)
        _check_empty(manifest)
        for name, meta in manifest["media"].items():
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as handle:
                    if _sha256(handle) == meta["sha256"]:
                        continue
                raise BackupError(
                    f"upload {name} exists with other content: restore into empty storage"
                )
        with transaction.atomic():
            if (folder / "db.jsonl").stat().st_size:
                call_command("loaddata", str(folder / "db.jsonl"), verbosity=0)
        for name in manifest["media"]:
            if not default_storage.exists(name):
                with (folder / "media" / name).open("rb") as handle:
                    saved = default_storage.save(name, File(handle))
                if saved != name:
                    raise BackupError(f"upload {name} was stored as {saved}")
    problems = backup_verify(manifest)
    if problems:
        raise BackupError("the restored data differs from the backup:\n" + "\n".join(problems))
    counts = [m["count"] for m in manifest["models"].values()]
    return Summary(
        models=len(counts),
        rows=sum(counts),
        files=len(manifest["media"]),
        bytes=sum(m["size"] for m in manifest["media"].values()),
    )


def backup_name(now: datetime | None = None) -> str:
    return f"xieshang-{timezone.localtime(now).strftime('%Y%m%d-%H%M%S')}.xsbackup"
