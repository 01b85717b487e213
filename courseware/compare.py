"""Pure functions from the data to chapter tables (text × question, ...)."""

from __future__ import annotations

from .models import Claim, Course, Theme

SILENT = "— (silent)"


def claims_by_source(course: Course, theme: Theme) -> dict[str, list[Claim]]:
    """Every text in the order of `sources.yml`, with its claims on `theme` (empty when silent)."""
    return {sid: [c for c in theme.claims if c.source == sid] for sid in course.sources}


def comparison_rows(course: Course, theme: Theme) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Header and rows of the text × question table: each cell is the claim's `short`, or silence."""
    header = ["Text"] + [q.text for q in theme.questions]
    rows = []
    for sid, claims in claims_by_source(course, theme).items():
        cells = []
        for q in theme.questions:
            mine = [c.short for c in claims if c.question == q.id]
            cells.append("; ".join(mine) if mine else SILENT)
        rows.append((sid, cells))
    return header, rows
