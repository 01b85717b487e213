"""Shared test helpers: a writable copy of the course data to break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


LISTS = ("figures", "events", "turning_points", "glossary", "bibliography", "citations", "topics")


def copy_data(tmp_path: Path) -> Path:
    """A small course in tmp_path: the real texts, sources and readings, no themes, empty lists.

    Tests then add exactly the records their case needs, independent of the course's own data."""
    dest = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "texts", dest / "texts")
    for name in ("sources.yml", "readings.yml"):
        shutil.copy(ROOT / "data" / name, dest / name)
    for name in LISTS:
        (dest / f"{name}.yml").write_text("[]\n", encoding="utf-8")
    (dest / "themes").mkdir()
    return dest


def edit_yaml(path: Path, change) -> None:
    """Load a YAML file, let `change` mutate it, write it back."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
