"""Chinese is the default and complete: every string of the code has its translation."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def entries(text: str) -> dict[str, str]:
    """msgid -> msgstr of a .po file (the header left out)."""
    found: dict[str, str] = {}
    for block in text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""\n"Project' not in block:
            found["<fuzzy>" + block] = ""
        parts = re.split(r"^msgstr ", block, flags=re.M)
        if len(parts) != 2 or "msgid " not in parts[0]:
            continue
        msgid = "".join(re.findall(r'"(.*)"', parts[0].split("msgid ", 1)[1]))
        msgstr = "".join(re.findall(r'"(.*)"', parts[1]))
        if msgid:
            found[msgid] = msgstr
    return found


def test_every_message_is_translated() -> None:
    catalogue = entries(PO.read_text())
    assert len(catalogue) > 200
    untranslated = [msgid for msgid, msgstr in catalogue.items() if not msgstr]
    assert not untranslated, untranslated


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext's msgfmt")
def test_the_compiled_catalogue_is_current(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True)
    assert compiled.read_bytes() == MO.read_bytes(), "run `make messages` and commit the .mo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext's xgettext")
def test_no_string_of_the_code_is_missing_from_the_catalogue() -> None:
    before = PO.read_text()
    try:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "--locale=zh_Hans",
                "--no-obsolete",
                "--no-location",
                "--ignore=.venv/*",
                "--ignore=var/*",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        after = PO.read_text()
    finally:
        PO.write_text(before)
    missing = sorted(set(entries(after)) - set(entries(before)))
    assert not missing, f"new strings to translate (run `make messages`): {missing}"
