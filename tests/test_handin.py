"""A student's session, as lived: answer an exercise in a live kernel (one answer cell failing), see
the stale warning, sum up with `check_all()`, hand in with `hand_in()`, and grade the handed-in file
with `courseware grade` to the expected score."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel

from courseware.handin import HandIn, slug
from courseware.items import INSTRUCTOR, ROOT, load_exercise

EXERCISE = "soviets"


class Kernel:
    """A live kernel, as JupyterLab drives one: cell by cell, each with its cell id."""

    def __init__(self, cwd: Path) -> None:
        self.km, self.kc = start_new_kernel(kernel_name="python3", cwd=str(cwd))

    def run(self, source: str) -> tuple[str, str | None]:
        """(text of every output, error name or None)."""
        msg_id = self.kc.execute(source, store_history=True)
        texts, error = [], None
        while True:
            msg = self.kc.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                texts.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                texts.append(content["data"].get("text/plain", ""))
            elif kind == "error":
                error = content["ename"]
                texts.append(f"{content['ename']}: {content['evalue']}")
            elif kind == "status" and content["execution_state"] == "idle":
                return "\n".join(texts), error

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


@pytest.fixture
def session(tmp_path):
    shutil.copy(ROOT / "exercises" / f"{EXERCISE}.ipynb", tmp_path / f"{EXERCISE}.ipynb")
    kernel = Kernel(tmp_path)
    yield tmp_path, kernel
    kernel.close()


def _answer_cells(nb) -> dict[str, nbformat.NotebookNode]:
    return {
        c.metadata["courseware"]["item"]: c
        for c in nb.cells
        if c.metadata.get("courseware", {}).get("role") == "answer"
    }


@pytest.mark.slow
def test_a_student_answers_sees_a_stale_warning_hands_in_and_is_graded(session, tmp_path):
    folder, kernel = session
    exercise = load_exercise(INSTRUCTOR / f"{EXERCISE}.yml")
    path = folder / f"{EXERCISE}.ipynb"
    nb = nbformat.read(path, as_version=4)
    setup = next(c for c in nb.cells if c.metadata["courseware"]["role"] == "setup")
    out, error = kernel.run(setup.source)
    assert error is None, out

    # every answer from the solutions, but q3 first right and then retyped without its quotes
    answers = _answer_cells(nb)
    for item in exercise.items:
        answers[item.id].source = item.solution.strip()
        out, error = kernel.run(item.solution.strip())
        assert error is None, (item.id, out)
    answers["soviets_q3"].source = "q3 = hampton-awl"
    out, error = kernel.run(answers["soviets_q3"].source)
    assert error == "NameError"

    stale, _ = kernel.run('check("soviets_q3")')
    assert "raised an error the last time it ran" in stale and "NameError" in stale
    assert "Well-formed" not in stale  # the earlier, right answer is not judged
    good, _ = kernel.run('check("soviets_q2")')
    assert "Well-formed" in good

    summary, _ = kernel.run("check_all()")
    graded = sum(i.points for i in exercise.items if i.graded)
    q3 = next(i for i in exercise.items if i.id == "soviets_q3")
    assert f"{EXERCISE}: 8 of 8 questions answered; {graded - q3.points:g} of {graded:g} points" in summary
    assert "To fix: soviets_q3" in summary

    nbformat.write(nb, path)  # the student saves
    report, error = kernel.run('hand_in("Ada Lovelace")')
    assert error is None, report
    handed = folder / "hand-in" / f"{EXERCISE}-{slug('Ada Lovelace')}.ipynb"
    assert handed.is_file(), report
    assert "Ran the saved notebook in a fresh kernel" in report
    assert "IPKernelApp" not in report  # the fresh kernel's own log stays out of the notebook
    assert "Missing: soviets_q3." in report
    assert "the answer cell of soviets_q3: NameError" in report
    assert "hand-in/soviets-ada-lovelace.ipynb" in report
    print(stale, summary, report, sep="\n----\n")

    gradebook = tmp_path / "grades.db"
    grade = subprocess.run(
        [
            str(Path(sys.executable).with_name("courseware")),
            "grade",
            EXERCISE,
            str(handed.parent),
            "--gradebook",
            str(gradebook),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert grade.returncode == 0, grade.stdout + grade.stderr
    export = subprocess.run(
        [
            str(Path(sys.executable).with_name("courseware")),
            "export",
            "--format",
            "csv",
            "--gradebook",
            str(gradebook),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert export.returncode == 0, export.stdout + export.stderr
    rows = list(csv.DictReader(io.StringIO(export.stdout)))
    print(export.stdout)
    written = sum(i.points for i in exercise.items if i.kind == "written")
    expected = graded - q3.points - written  # q3 raised: unanswered; the written answer awaits marking
    row = next(r for r in rows if r["exercise"] == EXERCISE)
    assert float(row["total"]) == pytest.approx(expected), row
    assert float(row["soviets_q3"]) == 0 and row["soviets_q8"] == "pending", row


def test_hand_in_without_a_name_says_what_to_do():
    report = __import__("courseware.handin", fromlist=["hand_in"]).hand_in("")
    assert isinstance(report, HandIn) and report.file is None
    assert 'hand_in("Ada Lovelace")' in str(report)


def test_the_exercise_notebook_opens_with_how_to_save_and_hand_in_and_ends_with_hand_in():
    nb = json.loads((ROOT / "exercises" / f"{EXERCISE}.ipynb").read_text(encoding="utf-8"))
    intro = "".join(nb["cells"][0]["source"])
    assert "**Save and hand in.**" in intro and "File → Download" in intro and "hand_in(" in intro
    assert "".join(nb["cells"][-1]["source"]) == 'hand_in("")'
    assert 'start("soviets")' in "".join(nb["cells"][1]["source"])
