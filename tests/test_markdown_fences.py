"""The book's MyST pages: every ``` fence stands on a line of its own and every opened fence is
closed, so no directive (a dropdown, a code cell) swallows the text after it. A fence glued to the
end of a sentence builds without a warning but turns the rest of the page into the directive's body,
so the build alone cannot catch it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "book").rglob("*.md"))
FENCE = re.compile(r"^(`{3,})(\{[\w-]+\}.*|\w*)\s*$")


def problems(text: str) -> list[str]:
    """Lines where a fence is glued to text, and fences left open.

    >>> problems("```{dropdown} Q\\nA. ```\\n")
    ['line 2: ``` after text: give it a line of its own', 'line 1: a fence opened here is never closed']
    >>> problems("```{dropdown} Q\\nA.\\n```\\n")
    []
    """
    out, open_at = [], None
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if "```" in stripped and not stripped.startswith("```"):
            out.append(f"line {n}: ``` after text: give it a line of its own")
            continue
        m = FENCE.match(stripped)
        if not m:
            continue
        if open_at is None:
            open_at = n if m[2] or stripped == "```" else None
        elif stripped == "```":
            open_at = None
    if open_at is not None:
        out.append(f"line {open_at}: a fence opened here is never closed")
    return out


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fence_is_on_its_own_line_and_closed(page: Path):
    assert problems(page.read_text(encoding="utf-8")) == []
