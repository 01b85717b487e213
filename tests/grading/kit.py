"""Helpers for the grading tests: the fixture exercise and student notebooks built from it.

The notebooks have the shape the course's student notebooks have (a setup cell, then for each item a
prompt, an answer cell binding the item's variable and a `check(...)` cell, each with
`courseware: {item, role}` metadata), so the grader meets what it meets in a real class.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from courseware.items import Exercise

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "soviets-fixture.yml"
FULL_AUTO = 12.0  # the fixture's points without the written item (4, pending the rubric)


def fixture_exercise() -> Exercise:
    return Exercise.model_validate(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))


def solutions(exercise: Exercise) -> dict[str, str]:
    return {i.id: i.solution.strip() for i in exercise.items}


def cell(kind: str, source: str, role: str | None = None, item: str | None = None) -> dict:
    meta = {"courseware": {k: v for k, v in (("role", role), ("item", item)) if v}} if role else {}
    c = {"cell_type": kind, "metadata": meta, "source": source}
    if kind == "code":
        c.update(execution_count=None, outputs=[])
    return c


def item_cells(exercise: Exercise, answers: dict[str, str | None]) -> list[list[dict]]:
    """One group of three cells per item; `answers` maps item id → answer-cell code (None: starter)."""
    groups = []
    for item in exercise.items:
        code = answers.get(item.id)
        groups.append(
            [
                cell("markdown", item.prompt, "prompt", item.id),
                cell("code", code if code is not None else f"{item.variable} = None", "answer", item.id),
                cell("code", f'check("{item.id}")', "check", item.id),
            ]
        )
    return groups


def notebook(cells: list[dict]) -> dict:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    }


def build(
    exercise: Exercise, answers: dict[str, str | None] | None = None, *, before: str = "", after: str = ""
) -> dict:
    """A student notebook; `before`/`after` add a code cell after the setup / at the end."""
    cells = [cell("markdown", exercise.intro, "intro"), cell("code", exercise.setup, "setup")]
    if before:
        cells.append(cell("code", before))
    for group in item_cells(exercise, answers if answers is not None else solutions(exercise)):
        cells += group
    if after:
        cells.append(cell("code", after))
    return notebook(cells)


def dumps(nb: dict) -> bytes:
    return json.dumps(nb, indent=1).encode()
