"""nbval over the exercise notebooks: every blank notebook runs top to bottom without an error, and
every solved notebook runs and its last cell asserts that every check passes.

nbval runs in lax mode: the blank notebooks are saved without outputs, so there is nothing to compare,
and what the solved notebooks must show is asserted by their final `require_all` cell (it raises, so
the cell fails, unless every graded item is well-formed and every practice item is right). The check
outputs contain no addresses or widget ids to sanitise.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from courseware.authoring import solved_notebook
from courseware.items import ROOT, load_exercises

EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))


def nbval(paths: list[Path], cwd: Path) -> subprocess.CompletedProcess:
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "--nbval-lax",
        "-p",
        "no:cacheprovider",
        "-q",
        "--rootdir",
        str(cwd),
        *map(str, paths),
    ]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=900)


def test_there_is_a_blank_notebook_per_exercise():
    assert [p.stem for p in EXERCISES] == [e.id for e in load_exercises()]


@pytest.mark.slow
def test_blank_notebooks_execute_without_error(tmp_path):
    done = nbval(EXERCISES, ROOT / "exercises")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    # nbval collects code cells: the setup cell, an answer and a check per item, check_all(), hand_in()
    assert f"{sum(len(e.items) * 2 + 3 for e in load_exercises())} passed" in done.stdout


@pytest.mark.slow
def test_solved_notebooks_execute_and_every_check_passes(tmp_path):
    paths = []
    for ex in load_exercises():
        path = tmp_path / f"{ex.id}-solved.ipynb"
        nbformat.write(solved_notebook(ex), path)
        paths.append(path)
    done = nbval(paths, tmp_path)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " failed" not in done.stdout and " error" not in done.stdout


@pytest.mark.slow
def test_a_wrong_practice_answer_fails_the_solved_notebook(tmp_path):
    """The final assertion cell can fail: with one practice answer wrong, nbval reports the cell."""
    ex = load_exercises()[0]
    nb = solved_notebook(ex)
    practice = next(i for i in ex.items if not i.graded)
    wrong = next(k for k in practice.options if k != practice.key)
    for cell in nb.cells:
        if cell.metadata.courseware == {"role": "answer", "item": practice.id}:
            cell.source = f"{practice.variable} = {wrong!r}"
    path = tmp_path / "wrong.ipynb"
    nbformat.write(nb, path)
    done = nbval([path], tmp_path)
    assert done.returncode == 1
    assert "1 of" in done.stdout and "checks did not pass" in done.stdout
