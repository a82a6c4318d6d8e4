"""The documents say what the code does: links lead somewhere, and the app lists name the
apps that are installed."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def installed_apps() -> set[str]:
    return {app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("xieshang.")}


def test_every_relative_link_in_the_documents_leads_to_a_file() -> None:
    broken = []
    for doc in DOCS:
        for target in LINK.findall(doc.read_text()):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (doc.parent / target).exists():
                broken.append(f"{doc.name}: {target}")
    assert broken == []


def test_the_architecture_lists_every_installed_app() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text()
    section = text.split("## Apps, in layers", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
    named = {app for row in rows for app in re.findall(r"`(\w+)`", row.split("|")[2])}
    assert installed_apps() | {"textkit"} == named


def test_the_readme_names_every_installed_app_in_its_layout() -> None:
    text = (ROOT / "README.md").read_text()
    layout = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(\w+)`", layout.split("Each imports", 1)[0]))
    assert installed_apps() | {"textkit"} == named


def test_the_layer_contract_names_every_installed_app() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    block = text.split("[[tool.importlinter.contracts]]", 1)[1].split("ignore_imports", 1)[0]
    layered = set(re.findall(r"\b([a-z]+)\b", block.split("layers = [", 1)[1]))
    assert installed_apps() | {"textkit"} == layered
