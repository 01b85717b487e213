"""The gradebook: whole submissions only, so that kill -9 + re-run == one clean run; re-runs are
idempotent; rubric marks survive re-grading."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import kit
import pytest

from courseware.grading.gradebook import Gradebook, GradebookError
from courseware.grading.judge import RubricMark

N = 12


def slow_class(folder: Path) -> Path:
    """N solved or partly solved notebooks that each take a moment to run."""
    ex = kit.fixture_exercise()
    folder.mkdir()
    for n in range(N):
        answers = dict(kit.solutions(ex))
        if n % 2:
            answers["soviets_q1"] = 'q1_year_choice = "a"'
        nb = kit.build(ex, answers, before="import time\ntime.sleep(0.3)")
        (folder / f"student{n:02d}.ipynb").write_bytes(kit.dumps(nb))
    return folder


def grade_cmd(subs: Path, gb: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "courseware.cli",
        "grade",
        str(kit.FIXTURE),
        str(subs),
        "--gradebook",
        str(gb),
        "--jobs",
        "2",
    ]


def rows(gb: Path) -> int:
    try:
        with sqlite3.connect(gb, timeout=1) as db:
            return db.execute("SELECT count(*) FROM submissions").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def dump(path: Path) -> list[tuple]:
    with Gradebook(path) as gb:
        return gb.dump()


@pytest.mark.slow
def test_kill_9_during_a_run_then_rerun_gives_the_clean_gradebook(tmp_path):
    subs = slow_class(tmp_path / "subs")
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    subprocess.run(grade_cmd(subs, clean), check=True, capture_output=True, timeout=300)

    proc = subprocess.Popen(grade_cmd(subs, killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while rows(killed) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_when_killed = rows(killed)
    assert 0 < done_when_killed < N, "the run was not interrupted in the middle"

    rerun = subprocess.run(grade_cmd(subs, killed), check=True, capture_output=True, text=True, timeout=300)
    assert f"{done_when_killed} unchanged since the last run were kept" in rerun.stdout
    assert dump(killed) == dump(clean)


def test_a_forced_rerun_changes_nothing_and_keeps_rubric_marks(gradebook_copy, tmp_path):
    from conftest import write_class

    with Gradebook(gradebook_copy) as gb:
        gb.update_or_create_mark("soviets-fixture", "alice", "soviets_q6", RubricMark(["cites"], None, "ok"))
    subs = write_class(tmp_path / "again")
    out = subprocess.run(
        grade_cmd(subs, gradebook_copy) + ["--force"], check=True, capture_output=True, text=True, timeout=300
    )
    assert "Graded 5 submission(s)" in out.stdout
    with Gradebook(gradebook_copy) as gb:
        assert gb.find_marks("soviets-fixture")[("alice", "soviets_q6")].comment == "ok"
        q6 = next(s for s in gb.find_scores("soviets-fixture", "alice") if s.item == "soviets_q6")
        assert (q6.points, q6.status) == (2, "marked")
        assert gb.find_submission("soviets-fixture", "alice").total == kit.FULL_AUTO + 2
    once = dump(gradebook_copy)
    subprocess.run(
        grade_cmd(subs, gradebook_copy) + ["--force"], check=True, capture_output=True, timeout=300
    )
    assert dump(gradebook_copy) == once


def test_the_gradebook_is_private_to_its_owner(tmp_path):
    Gradebook(tmp_path / "g.db").close()
    assert (tmp_path / "g.db").stat().st_mode & 0o077 == 0


def test_a_file_that_is_not_a_gradebook_is_refused_with_the_fix(tmp_path):
    (tmp_path / "g.db").write_text("not sqlite " * 100)
    with pytest.raises(GradebookError, match="not a gradebook .* Give another --gradebook"):
        Gradebook(tmp_path / "g.db")


# ---------------------------------------------------------------- schema 2: lateness, grade times, shard


def test_a_schema_1_gradebook_is_upgraded_in_place(tmp_path):
    old = tmp_path / "old.db"
    with sqlite3.connect(old) as db:  # the tables schema 1 had, and its version
        db.executescript(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO meta VALUES ('schema', '1');"
        )
    with Gradebook(old) as gb:
        assert gb.find_meta("schema") == "2"
        assert gb.find_lateness("soviets") == {} and gb.find_grade_times("soviets") == {}


def test_a_newer_gradebook_is_refused(tmp_path):
    with Gradebook(tmp_path / "g.db") as gb:
        gb.update_or_create_meta("schema", "99")
    with pytest.raises(GradebookError, match="made by a newer courseware .schema 99.. Upgrade courseware"):
        Gradebook(tmp_path / "g.db")


def test_rows_are_read_by_column_name(tmp_path):
    from synthetic import key_answers_for, record, soviets

    ex = soviets()
    with Gradebook(tmp_path / "g.db") as gb:
        record(gb, ex, "1", key_answers_for(ex))
        gb.db.execute("ALTER TABLE submissions ADD COLUMN later TEXT")  # a column a later version adds
        row = gb.find_submission("soviets", "1")
        assert (row.student, row.status, row.accepted, row.answers["q7"]) == ("1", "graded", False, 31.8)


def test_grade_times_are_a_log_and_lateness_is_part_of_the_gradebook(tmp_path):
    from synthetic import key_answers_for, record, soviets

    from courseware.grading.deadlines import Deadlines, apply_deadlines

    ex = soviets()
    with Gradebook(tmp_path / "g.db") as gb:
        record(gb, ex, "1", key_answers_for(ex), modified="2026-10-13T10:00:00+00:00")
        before = gb.dump()
        first = gb.find_grade_times("soviets")["1"]
        apply_deadlines(
            gb,
            "soviets",
            Deadlines.model_validate({"exercises": {"soviets": {"deadline": "2026-10-01T00:00Z"}}}),
        )
        assert [r for r in gb.dump() if r not in before][0][:3] == ("lateness", "soviets", "1")
        assert not any(r[0] in ("grade_times", "runs", "meta") for r in gb.dump())
        assert gb.find_grade_times("soviets")["1"] >= first
