"""The hostile corpus, graded as one batch through `courseware grade`: every case gets the outcome
in its table row, the batch never crashes, no submission is lost and no score is inflated."""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from kit import FIXTURE

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("make_corpus", HERE / "hostile" / "make_corpus.py")
corpus = importlib.util.module_from_spec(spec)
sys.modules["make_corpus"] = corpus
spec.loader.exec_module(corpus)

SECRET = "grader-secret-7f3a"

# the corpus (30+ hostile notebooks) is graded once for the module: the full run, not the quick tier
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    gradebook = tmp / "gradebook.db"
    keys = tmp / "instructor" / "exercises" / "soviets-fixture.yml"
    keys.parent.mkdir(parents=True)
    keys.write_bytes(FIXTURE.read_bytes())
    targets = corpus.Targets(gradebook, keys, keys.parent.parent, tmp / "outside.txt")
    cases = corpus.write(tmp / "submissions", targets)
    env = dict(os.environ, COURSEWARE_GRADING_SECRET=SECRET)
    cmd = [
        sys.executable,
        "-m",
        "courseware.cli",
        "grade",
        str(keys),
        str(tmp / "submissions"),
        "--gradebook",
        str(gradebook),
        "--jobs",
        "2",
        # generous enough that benign heavy cells (the bounded output flood) finish on a busy machine
        "--cell-timeout",
        "6",
        "--timeout",
        "20",
        "--memory",
        "256",
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    db = sqlite3.connect(gradebook)
    rows = {
        r[0]: r
        for r in db.execute("SELECT student, status, total, reasons, answers, sha256 FROM submissions")
    }
    archived = {r[0] for r in db.execute("SELECT sha256 FROM archive")}
    return cases, result, rows, archived, targets, gradebook


def test_the_corpus_has_at_least_thirty_cases(graded):
    cases = graded[0]
    assert len(cases) >= 30
    assert len({c.name for c in cases}) == len(cases)


def test_the_batch_completes_and_summarises(graded):
    cases, result, rows, _, _, _ = graded
    assert result.returncode == 0, result.stderr
    assert "need review" in result.stdout
    assert f"Graded {len(cases)} submission(s)" in result.stdout


def test_no_submission_is_lost_and_every_file_is_archived(graded):
    cases, _, rows, archived, _, _ = graded
    assert set(rows) == {c.name for c in cases}
    assert {r[5] for r in rows.values()} <= archived


ALL = corpus.cases(corpus.Targets(*(Path("x"),) * 4)) + corpus.attacks(corpus.Targets(*(Path("x"),) * 4))


@pytest.mark.parametrize("name", [c.name for c in ALL])
def test_each_case_gets_its_outcome(graded, name):
    cases, _, rows, _, _, _ = graded
    case = next(c for c in cases if c.name == name)
    student, status, total, reasons, _, _ = rows[name]
    reasons = json.loads(reasons)
    assert (status, total) == (case.status, case.total), reasons
    if case.status == "review":
        assert any(case.reason in r for r in reasons), reasons
    else:
        assert reasons == []


def test_nothing_was_written_outside_the_scratch_folder(graded):
    assert not graded[4].outside.exists()


def test_the_grader_environment_does_not_reach_the_notebook(graded):
    rows = graded[2]
    assert all(SECRET not in (r[4] or "") for r in rows.values())


def test_feedback_is_written_for_every_hostile_submission(graded, tmp_path):
    cases, gradebook = graded[0], graded[5]
    out = tmp_path / "feedback"
    cmd = [sys.executable, "-m", "courseware.cli", "feedback", "--gradebook", str(gradebook), "-o", str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(list(out.rglob("*.html"))) == len(cases)


def test_the_thief_finds_nothing_of_its_classmate(graded):
    rows = graded[2]
    thief = rows["0-thief-reads-queued-submissions"]
    assert json.loads(thief[4] or "{}").get("q1_year_choice") is None
