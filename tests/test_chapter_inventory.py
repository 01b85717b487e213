"""Shortening a chapter must not lose what it teaches: every claim (question × text), every
disagreement and the texts on each side of it, and every passage a chapter links to (by its quotations
in the theme file or by a `{q}` quotation in its prose) stay, compared with the inventory recorded in
`tests/fixtures/chapter_inventory.yml` before the chapters were cut.

When a chapter gains an item, nothing here changes. When an item is dropped on purpose (a claim the
texts turn out not to make), regenerate the inventory and say why in the commit:
`python tests/test_chapter_inventory.py > tests/fixtures/chapter_inventory.yml`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from courseware.load import load_course

ROOT = Path(__file__).resolve().parent.parent
INVENTORY = ROOT / "tests" / "fixtures" / "chapter_inventory.yml"
QUOTE_ROLE = re.compile(r"\{q\}`([\w-]+) (\d+):")


def inventory() -> dict[str, dict]:
    """Per theme: its claims, its disagreements with their sides, and the passages it links to."""
    course = load_course()
    out: dict[str, dict] = {}
    for theme in sorted(course.themes.values(), key=lambda t: t.number):
        passages = {(q.source, q.paragraph) for c in theme.claims for q in c.quotes}
        passages |= {(s.quote.source, s.quote.paragraph) for d in theme.disagreements for s in d.sides}
        prose = (ROOT / f"{theme.page}.md").read_text(encoding="utf-8")
        passages |= {(m[1], int(m[2])) for m in QUOTE_ROLE.finditer(prose)}
        out[theme.id] = {
            "claims": sorted(f"{c.question} {c.source}" for c in theme.claims),
            "disagreements": {d.id: sorted(s.source for s in d.sides) for d in theme.disagreements},
            "passages": sorted(f"{s} {p}" for s, p in passages),
        }
    return out


BEFORE = {} if __name__ == "__main__" else yaml.safe_load(INVENTORY.read_text(encoding="utf-8"))
NOW = inventory()


@pytest.mark.parametrize("theme", sorted(BEFORE))
def test_no_claim_is_lost(theme: str):
    assert set(BEFORE[theme]["claims"]) - set(NOW[theme]["claims"]) == set()


@pytest.mark.parametrize("theme", sorted(BEFORE))
def test_no_disagreement_or_side_is_lost(theme: str):
    lost = {
        d: sorted(set(sides) - set(NOW[theme]["disagreements"].get(d, [])))
        for d, sides in BEFORE[theme]["disagreements"].items()
    }
    assert {d: s for d, s in lost.items() if s} == {}


@pytest.mark.parametrize("theme", sorted(BEFORE))
def test_no_quoted_passage_loses_its_link(theme: str):
    assert set(BEFORE[theme]["passages"]) - set(NOW[theme]["passages"]) == set()


def test_the_inventory_covers_every_theme():
    assert set(BEFORE) == set(NOW)
    assert sum(len(t["claims"]) for t in BEFORE.values()) > 100


if __name__ == "__main__":
    print("# Recorded by tests/test_chapter_inventory.py: what each chapter must keep when it is cut.")
    print(yaml.safe_dump(inventory(), sort_keys=True, allow_unicode=True, width=100), end="")
