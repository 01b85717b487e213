"""Fixtures for the grading tests: a small class of submissions graded once per test run."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kit  # noqa: E402

from courseware.grading.gradebook import Gradebook  # noqa: E402
from courseware.grading.intake import collect  # noqa: E402
from courseware.grading.pipeline import grade  # noqa: E402
from courseware.grading.sandbox import Limits  # noqa: E402

PARTLY = {  # q1 right, q2 wrong, q3 one adjacent swap (5/6 of 3), q4 two of four, q5 right
    "soviets_q2": 'q2_reading = "anarchist"',
    "soviets_q3": 'q3_order = ["oct", "feb", "kron", "nep"]',
    "soviets_q4": 'q4_match = {"callinicos-1977": "sc", "icf-98-2017": "dws", "anarchist-essay": "sc", '
    '"hampton-awl": "sc"}',
}
CLASS = {  # student file → answers (None: the solutions)
    "alice": None,
    "bob": PARTLY,
    "carol": {
        "soviets_q1": 'q1_year_choice = "a"',
        "soviets_q5": "q5_delegates = 12.0",
        "soviets_q6": 'q6_essay = "The soviets were councils."',
    },
    "dave": {},
}
BOB_TOTAL = 1 + 0 + 2.5 + 2 + 2  # 7.5
LIMITS = Limits(cell_timeout=5, notebook_timeout=15, memory_mb=512)


def write_class(folder: Path) -> Path:
    ex = kit.fixture_exercise()
    folder.mkdir(parents=True, exist_ok=True)
    for student, answers in CLASS.items():
        if answers is None:
            nb = kit.build(ex)
        elif answers == {}:
            nb = kit.build(ex, {})
        else:
            full = dict(kit.solutions(ex))
            full.update(answers)
            nb = kit.build(ex, full)
        (folder / f"{student}.ipynb").write_bytes(kit.dumps(nb))
    (folder / "broken.ipynb").write_bytes(b'{"nbformat": 4, "cells": [')
    return folder


@pytest.fixture(scope="session")
def class_gradebook(tmp_path_factory) -> Path:
    """A gradebook with the small class graded (read-only: copy it before changing it)."""
    tmp = tmp_path_factory.mktemp("class")
    subs = write_class(tmp / "submissions")
    path = tmp / "gradebook.db"
    with Gradebook(path) as gb:
        grade(kit.fixture_exercise(), collect(subs), gb, limits=LIMITS, jobs=2)
    return path


@pytest.fixture
def gradebook_copy(class_gradebook: Path, tmp_path: Path) -> Path:
    with Gradebook(class_gradebook) as gb:
        gb.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    dest = tmp_path / "gradebook.db"
    shutil.copy(class_gradebook, dest)
    return dest
