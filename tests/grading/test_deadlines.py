"""Deadlines, extensions and late policies: the instructor's file validated with clear messages, the
time a submission came in, the lateness and penalty recorded in the gradebook, and `grade --deadlines`."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import kit
import pytest
from synthetic import key_answers_for, record, soviets

from courseware.cli import main
from courseware.grading.deadlines import (
    Deadlines,
    DeadlinesError,
    apply_deadlines,
    describe,
    lateness_html,
    lateness_of,
    load_deadlines,
)
from courseware.grading.gradebook import Gradebook, SubmissionRow
from courseware.grading.runrecord import RunRecord

ROOT = Path(__file__).resolve().parents[2]


def rule(**late) -> Deadlines:
    return Deadlines.model_validate(
        {
            "exercises": {
                "soviets": {
                    "deadline": "2026-10-12T23:59:00+00:00",
                    "extensions": {12345: "2026-10-15T23:59:00+00:00"},
                    "late": late or {"policy": "penalty", "per_day": 10, "cap": 30, "grace_minutes": 15},
                }
            }
        }
    )


def row(modified: str, student: str = "1", lms: str = "folder", filename: str = "x.ipynb") -> SubmissionRow:
    return SubmissionRow(
        "soviets",
        student,
        "n",
        lms,
        filename,
        "",
        modified,
        "graded",
        0,
        0,
        0,
        [],
        [],
        RunRecord(),
        None,
        "",
        False,
    )


def late(modified: str, d: Deadlines | None = None, **kw) -> object:
    d = d or rule()
    return lateness_of(row(modified, **kw), d.exercises["soviets"], d.download_zone)


# ---------------------------------------------------------------- the file


def test_the_shipped_file_is_valid_and_sets_no_deadline():
    assert load_deadlines(ROOT / "instructor" / "deadlines.yml").exercises == {}


def test_a_missing_file_means_no_deadlines(tmp_path):
    assert load_deadlines(tmp_path / "none.yml") == Deadlines()


def test_every_problem_is_reported_with_its_field_and_fix(tmp_path):
    f = tmp_path / "deadlines.yml"
    f.write_text(
        "download_utc_offset: '1 hour'\n"
        "exercises:\n"
        "  soviets:\n"
        "    deadline: 2026-10-12 23:59\n"
        "    late: {policy: penalty, cap: 150, colour: red}\n"
    )
    with pytest.raises(DeadlinesError) as err:
        load_deadlines(f)
    msg = str(err.value)
    assert msg.startswith(f"{f}: 4 problem(s)")
    assert "download_utc_offset: '1 hour' is not an offset like \"+01:00\"" in msg
    assert (
        "exercises.soviets.deadline: 2026-10-12T23:59:00 has no UTC offset; write it as e.g. "
        "2026-10-12T23:59+00:00" in msg
    )
    assert "exercises.soviets.late.cap: Input should be less than or equal to 100" in msg
    assert "exercises.soviets.late.colour: is not a known field; correct the spelling or remove it" in msg


def test_a_penalty_policy_needs_a_rate(tmp_path):
    f = tmp_path / "d.yml"
    f.write_text("exercises: {soviets: {deadline: 2026-10-12T23:59:00Z, late: {policy: penalty}}}\n")
    with pytest.raises(DeadlinesError, match="per_day: a penalty policy needs per_day"):
        load_deadlines(f)


# ---------------------------------------------------------------- lateness and penalty


def test_on_time_and_within_the_grace_period():
    assert late("2026-10-12T20:00:00+00:00").days_late == 0
    within = late("2026-10-13T00:10:00+00:00")  # 11 minutes late, 15 of grace
    assert (within.late_seconds, within.days_late, within.penalty) == (660, 0, 0.0)


def test_a_started_day_counts_as_a_day_and_the_penalty_is_capped():
    one = late("2026-10-13T00:30:00+00:00")
    assert (one.days_late, one.penalty, one.policy) == (1, 0.1, "penalty")
    assert late("2026-10-14T00:00:00+00:00").days_late == 2  # one day and a minute
    assert late("2026-10-20T00:00:00+00:00").penalty == 0.3  # 8 days, capped at 30 %


def test_an_extension_moves_the_deadline_for_that_student_only():
    mine = late("2026-10-14T12:00:00+00:00", student="12345")
    assert (mine.days_late, mine.extended, mine.deadline) == (0, 1, "2026-10-15T23:59:00+00:00")
    assert late("2026-10-14T12:00:00+00:00", student="999").days_late == 2


def test_policies_none_and_review():
    none = late("2026-10-13T12:00:00+00:00", rule(policy="none"))
    assert (none.days_late, none.penalty, none.review) == (1, 0.0, 0)
    review = late("2026-10-13T12:00:00+00:00", rule(policy="review"))
    assert (review.penalty, review.review) == (0.0, 1)


def test_canvas_late_marker_is_compared_with_the_file_time():
    marked = late("2026-10-12T20:00:00+00:00", lms="canvas", filename="smithjane_LATE_1_2_soviets.ipynb")
    assert marked.days_late == 0 and marked.review == 1 and "Canvas marks this submission LATE" in marked.note
    unmarked = late("2026-10-13T20:00:00+00:00", lms="canvas", filename="smithjane_1_2_soviets.ipynb")
    assert unmarked.days_late == 1 and "Canvas does not mark this submission late" in unmarked.note
    agree = late("2026-10-13T20:00:00+00:00", lms="canvas", filename="smithjane_LATE_1_2_soviets.ipynb")
    assert (agree.note, agree.review) == ("", 0)


def test_lms_zip_times_are_read_in_the_download_zone():
    d = Deadlines.model_validate({**rule().model_dump(), "download_utc_offset": "+02:00"})
    # 01:30 on the 13th in the zip, written at UTC+2: 23:30 UTC on the 12th, on time
    on_time = late(
        "2026-10-13T01:30:00+00:00", d, lms="moodle", filename="A B_1_assignsubmission_file_/x.ipynb"
    )
    assert on_time.days_late == 0 and on_time.submitted == "2026-10-12T23:30:00+00:00"
    assert "Moodle download" in on_time.source


def test_the_student_is_told_in_plain_words():
    one = late("2026-10-13T10:00:00+00:00")
    assert describe(one) == (
        "Submitted 2026-10-13 10:00 UTC, 1 day after the deadline (2026-10-12 23:59 UTC): "
        "10% of the points were taken off."
    )
    assert "on time (the extended deadline was 2026-10-15 23:59 UTC)" in describe(
        late("2026-10-14T12:00:00+00:00", student="12345")
    )
    assert lateness_html(None) == "" and lateness_html(one).startswith("<p class='late'>Submitted")


# ---------------------------------------------------------------- the gradebook


def test_lateness_is_recorded_and_removed_with_the_deadline(tmp_path):
    ex = soviets()
    with Gradebook(tmp_path / "g.db") as gb:
        record(gb, ex, "1", key_answers_for(ex), modified="2026-10-13T10:00:00+00:00")
        record(gb, ex, "2", key_answers_for(ex), modified="2026-10-12T10:00:00+00:00")
        apply_deadlines(gb, "soviets", rule())
        got = gb.find_lateness("soviets")
        assert (got["1"].days_late, got["1"].penalty, got["2"].days_late) == (1, 0.1, 0)
        assert ("lateness", "soviets", "1") in {r[:3] for r in gb.dump()}  # part of "the same gradebook"
        apply_deadlines(gb, "soviets", Deadlines())
        assert gb.find_lateness("soviets") == {}


def test_grade_with_deadlines_records_lateness(tmp_path, capsys):
    ex = kit.fixture_exercise()
    subs = tmp_path / "subs"
    subs.mkdir()
    for name, uid, when in (("ontime", "11", "2026-10-12T10:00:00"), ("late", "12", "2026-10-14T10:00:00")):
        f = subs / f"{name}_{'LATE_' if name == 'late' else ''}{uid}_9{uid}_fixture.ipynb"
        f.write_bytes(kit.dumps(kit.build(ex)))
        t = datetime.fromisoformat(when).replace(tzinfo=UTC).timestamp()
        os.utime(f, (t, t))
    deadlines = tmp_path / "deadlines.yml"
    deadlines.write_text(
        "exercises:\n  soviets-fixture:\n    deadline: 2026-10-12T23:59:00+00:00\n"
        "    late: {policy: penalty, per_day: 25}\n"
    )
    gb = tmp_path / "g.db"
    code = main(["grade", str(kit.FIXTURE), str(subs), "--gradebook", str(gb), "--deadlines", str(deadlines)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "  Deadlines: 1 of 2 submission(s) late." in out and "    12: 2 day(s) late, penalty 50%" in out
    with Gradebook(gb) as g:
        assert g.find_lateness("soviets-fixture")["12"].penalty == 0.5


def test_grade_with_a_broken_deadlines_file(tmp_path, capsys):
    bad = tmp_path / "deadlines.yml"
    bad.write_text("exercises: {soviets: {deadline: tomorrow}}\n")
    assert main(["grade", str(kit.FIXTURE), str(tmp_path), "--deadlines", str(bad)]) == 2
    assert f"{bad}: 1 problem(s)" in capsys.readouterr().err
