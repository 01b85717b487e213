"""The run record: typed from the pipeline into the gradebook and out again, in the JSON the grader
has always written, so gradebooks made before the record existed still read (and re-judge to the
same bytes)."""

from __future__ import annotations

import html
import json

import kit
import pytest

from courseware.grading.feedback import feedback_pages, student_reason
from courseware.grading.gradebook import Gradebook, GradebookError
from courseware.grading.intake import Cell, Submission
from courseware.grading.pipeline import judge_record, rejudge, run_record
from courseware.grading.runrecord import RunRecord, RunRecordError
from courseware.grading.sandbox import CellError, RunResult

# written by the dict-building grader (commit 2dbb8cc) for `ran()` and `never_ran()` below
OLD_RAN = (
    '{"answer_cells": {"soviets_q1": true}, "attempts": ["open /etc/passwd"], "confined": false, '
    '"errors": [{"cell": 3, "message": "NameError: name \'x\' is not defined"}], "intake_notes": '
    '["the notebook has 2 cells for soviets_q1; the last one counts"], "last_cell": 4, "output_bytes": '
    '2048, "present": ["q1"], "problem": "the notebook took longer than 90 s in cell 4", "status": '
    '"timeout", "walls": {"landlock": false, "namespaces": false, "seccomp": true}}'
)
OLD_NEVER_RAN = '{"answer_cells": {}, "intake_notes": [], "problem": "the file is empty (0 bytes)"}'


def ran() -> tuple[Submission, RunResult]:
    sub = Submission("ada", "Ada", "folder", "ada.ipynb", b"{}", "2026-10-12T12:00:00+00:00")
    sub.cells = [
        Cell(1, "from courseware import check"),
        Cell(2, 'q1 = "b"', "soviets_q1", "answer"),
        Cell(3, "q2 = x", "soviets_q2", "answer"),
    ]
    sub.notes = ["the notebook has 2 cells for soviets_q1; the last one counts"]
    run = RunResult(
        "timeout",
        answers={"q1": "b"},
        present=["q1"],
        errors=[CellError(3, "NameError: name 'x' is not defined")],
        attempts=["open /etc/passwd"],
        last_cell=4,
        detail="the notebook took longer than 90 s",
        seconds=91.2,
        output_bytes=2048,
        confined=False,
        walls={"landlock": False, "seccomp": True, "namespaces": False},
    )
    return sub, run


def never_ran() -> Submission:
    sub = Submission("bob", "Bob", "folder", "bob.ipynb", b"", "2026-10-12T12:00:00+00:00")
    sub.problem = "the file is empty (0 bytes)"
    return sub


def test_a_record_round_trips_through_json():
    for rec in (run_record(*ran()), run_record(never_ran(), None), RunRecord()):
        assert RunRecord.from_json(rec.to_json()) == rec


def test_the_pipeline_writes_the_json_the_dict_code_wrote():
    assert run_record(*ran()).to_json() == OLD_RAN
    assert run_record(never_ran(), None).to_json() == OLD_NEVER_RAN


def test_a_record_written_by_the_dict_code_reads_back():
    rec = RunRecord.from_json(OLD_RAN)
    assert rec.status == "timeout" and rec.ran
    assert rec.problem == "the notebook took longer than 90 s in cell 4"
    assert rec.errors == (CellError(3, "NameError: name 'x' is not defined"),)
    assert rec.attempts == ("open /etc/passwd",) and rec.present == ("q1",)
    assert rec.answer_cells == {"soviets_q1": True} and rec.last_cell == 4 and rec.output_bytes == 2048
    assert rec.confined is False and rec.walls == {"landlock": False, "seccomp": True, "namespaces": False}
    old = RunRecord.from_json(OLD_NEVER_RAN)
    assert not old.ran and old.problem == "the file is empty (0 bytes)" and old.errors == ()


def test_keys_an_older_grader_did_not_write_take_their_defaults():
    rec = RunRecord.from_json('{"problem": null, "status": "finished"}')
    assert rec == RunRecord(status="finished")


@pytest.mark.parametrize("text", ["[]", '{"status": "exploded"}', '{"errors": [{"cell": 1}]}', "{"])
def test_a_damaged_record_is_refused(text):
    with pytest.raises(RunRecordError, match="not a run record"):
        RunRecord.from_json(text)


def test_the_judge_reads_the_old_record_as_it_read_the_dict():
    outcome = judge_record(kit.fixture_exercise(), RunRecord.from_json(OLD_RAN), None, {})
    assert outcome.status == "review"
    assert outcome.notes[-4:] == [
        "the notebook has 2 cells for soviets_q1; the last one counts",
        "cell 3 raised NameError: name 'x' is not defined",
        "ran without Landlock confinement (the kernel lacks it)",
        "ran without private namespaces (its scratch folder was measured, not capped)",
    ]


def _raw_run(gb: Gradebook, student: str) -> str:
    return gb.db.execute(
        "SELECT run FROM submissions WHERE exercise=? AND student=?", (kit.fixture_exercise().id, student)
    ).fetchone()[0]


def test_an_old_gradebook_row_reads_back_and_rejudges_to_the_same_bytes(gradebook_copy):
    ex = kit.fixture_exercise()
    with Gradebook(gradebook_copy) as gb:
        row = gb.find_submission(ex.id, "bob")
        assert row.run.status == "finished" and isinstance(row.run, RunRecord)
        stored = _raw_run(gb, "bob")
        assert row.run.to_json() == stored  # what this grader writes, it reads back unchanged
        # the row as the dict-building grader left it: a run that was refused something
        old = json.loads(stored) | {"attempts": ["open /etc/shadow"]}
        old_text = json.dumps(old, sort_keys=True)
        gb.db.execute("UPDATE submissions SET run=? WHERE exercise=? AND student=?", (old_text, ex.id, "bob"))
        row = gb.find_submission(ex.id, "bob")
        assert row.run.attempts == ("open /etc/shadow",)
        assert "did something the grader does not allow" in student_reason(row)
        rejudge(gb, ex, "bob")
        assert _raw_run(gb, "bob") == old_text
        assert gb.find_submission(ex.id, "bob").status == "review"


def test_feedback_reads_the_record_of_an_unreadable_file(class_gradebook):
    with Gradebook(class_gradebook) as gb:
        row = gb.find_submission(kit.fixture_exercise().id, "broken")
        pages = feedback_pages(gb, kit.fixture_exercise().id)
    assert not row.run.ran and row.run.problem
    assert f"could not use your notebook as submitted: {html.escape(row.run.problem)}" in pages["broken"]


def test_a_damaged_run_column_names_the_gradebook_and_the_submission(gradebook_copy):
    ex = kit.fixture_exercise()
    with Gradebook(gradebook_copy) as gb:
        gb.db.execute("UPDATE submissions SET run='[1]' WHERE exercise=? AND student='bob'", (ex.id,))
        with pytest.raises(GradebookError, match=rf"{gradebook_copy}: .*'{ex.id}' by student 'bob'.*--force"):
            gb.find_submission(ex.id, "bob")
