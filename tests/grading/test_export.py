"""Exports: Canvas and Moodle files compared with golden files written to the importers' documented
formats, the rules that keep an import from clobbering grades, and plain CSV.

Set UPDATE_GOLDENS=1 to rewrite the golden files after a deliberate change (then read the diff)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from synthetic import key_answers_for, kronstadt, record, soviets

from courseware.cli import main
from courseware.grading.deadlines import Deadlines, apply_deadlines
from courseware.grading.export import CANVAS_FIXED, MOODLE_COLUMNS, Options, export
from courseware.grading.gradebook import Gradebook
from courseware.grading.judge import RubricMark
from courseware.grading.pipeline import rejudge

GOLDEN = Path(__file__).resolve().parent / "golden"
GRADED_AT = "2026-10-20T09:30:00+00:00"
DEADLINES = Deadlines.model_validate(
    {
        "exercises": {
            "soviets": {
                "deadline": "2026-10-12T23:59:00+00:00",
                "late": {"policy": "penalty", "per_day": 10, "cap": 50},
            }
        }
    }
)


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def canvas_name(name: str, uid: str, late: bool = False) -> str:
    return f"{name}_{'LATE_' if late else ''}{uid}_5{uid}_soviets.ipynb"


def moodle_name(name: str, pid: str) -> str:
    return f"{name}_{pid}_assignsubmission_file_/soviets.ipynb"


def build_class(path: Path, lms: str) -> Path:
    """Four students of the soviets exercise (and, for Canvas, two of them in kronstadt too):

    - 1001 all right, written answer marked 5 with a comment, on time;
    - 1002 q4 and q7 unanswered, written answer marked 3, one day late (10 % a day);
    - 1003 all right, but the written answer not marked yet;
    - 1004 an unreadable file (under review).
    """
    ex = soviets()
    names = {
        "1001": ("smithjane", "Jane Smith"),
        "1002": ("doejohn", "John Doe"),
        "1003": ("roeann", "Ann Roe"),
    }
    times = {"1001": "2026-10-12T20:00:00+00:00", "1002": "2026-10-13T10:00:00+00:00"}
    with Gradebook(path) as gb:
        for uid, (cname, mname) in names.items():
            answers = key_answers_for(ex, ("soviets_q4", "soviets_q7") if uid == "1002" else ())
            if lms == "canvas":
                fields = dict(name=cname, filename=canvas_name(cname, uid, late=uid == "1002"))
            else:
                fields = dict(name=mname, filename=moodle_name(mname, uid))
            record(
                gb, ex, uid, answers, lms=lms, modified=times.get(uid, "2026-10-12T18:00:00+00:00"), **fields
            )
        record(gb, ex, "1004", None, lms=lms, name="broken", filename="broken_1004_51004_soviets.ipynb")
        gb.update_or_create_mark(
            "soviets",
            "1001",
            "soviets_q8",
            RubricMark(
                ["position", "citation", "comparison", "neutral"], None, "Clear, and fair to both texts."
            ),
        )
        gb.update_or_create_mark(
            "soviets", "1002", "soviets_q8", RubricMark(["position", "citation"], None, "")
        )
        for uid in ("1001", "1002"):
            rejudge(gb, ex, uid)
        apply_deadlines(gb, "soviets", DEADLINES)
        if lms == "canvas":
            kr = kronstadt()
            for uid in ("1001", "1003"):
                record(
                    gb,
                    kr,
                    uid,
                    key_answers_for(kr),
                    lms=lms,
                    name=names[uid][0],
                    filename=f"{names[uid][0]}_{uid}_6{uid}_kronstadt.ipynb",
                )
        gb.db.execute("UPDATE grade_times SET changed=?", (GRADED_AT,))  # a fixed time for the golden files
    return path


@pytest.fixture(scope="module")
def canvas_class(tmp_path_factory) -> Path:
    return build_class(tmp_path_factory.mktemp("canvas") / "gradebook.db", "canvas")


@pytest.fixture(scope="module")
def moodle_class(tmp_path_factory) -> Path:
    return build_class(tmp_path_factory.mktemp("moodle") / "gradebook.db", "moodle")


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDENS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


# ---------------------------------------------------------------- Canvas


def test_canvas_golden_soviets(canvas_class):
    with Gradebook(canvas_class) as gb:
        out = export(gb, "canvas", ["soviets"])
    golden("canvas-soviets.csv", out.text)
    rows = table(out.text)
    assert rows[0] == CANVAS_FIXED + ["Soviets: where they came from and what they were"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "16"]  # q8 is marked for someone: it counts
    # 1001: 16; 1002: 16 - 1 (q4) - 2 (q7) - 2 (q8 criteria not met) = 11, minus 10 % of 16 = 9.4
    assert {r[1]: r[5] for r in rows[2:]} == {"1001": "16", "1002": "9.4"}
    assert any("1003" in w and "not marked yet" in w and "left out" in w for w in out.warnings)
    assert any("1004" in w and "under review" in w for w in out.warnings)


def test_canvas_title_with_a_comma_is_kept_exactly_and_quoted(canvas_class):
    with Gradebook(canvas_class) as gb:
        out = export(gb, "canvas", ["kronstadt"])
    golden("canvas-kronstadt.csv", out.text)
    assert out.text.splitlines()[0] == 'Student,ID,SIS User ID,SIS Login ID,Section,"Kronstadt, 1921"'
    assert table(out.text)[0][5] == "Kronstadt, 1921"


def test_canvas_never_writes_a_blank_over_a_grade(canvas_class):
    with Gradebook(canvas_class) as gb:
        out = export(gb, "canvas", ["soviets", "kronstadt"])
        cleared = export(gb, "canvas", ["soviets", "kronstadt"], options=Options(clear_missing=True))
    golden("canvas-two-exercises.csv", out.text)
    rows = table(out.text)
    assert all("" not in r[5:] for r in rows[2:]), "a blank grade cell would clear a Canvas grade"
    # 1001 has both grades; 1002 has no kronstadt submission and 1003's soviets is not ready: left out
    assert [r[1] for r in rows[2:]] == ["1001"]
    assert any("1002, 1003" in w and "Export one exercise at a time" in w for w in out.warnings)
    assert {r[1]: r[5:] for r in table(cleared.text)[2:]}["1003"] == ["", "13"]  # on request only


def test_points_possible_leave_out_written_items_nobody_marked(canvas_class, tmp_path):
    copy = tmp_path / "g.db"
    copy.write_bytes(canvas_class.read_bytes())
    with Gradebook(copy) as gb:
        for uid in ("1001", "1002"):
            gb.remove_mark("soviets", uid, "soviets_q8")
            rejudge(gb, soviets(), uid)
        out = export(gb, "canvas", ["soviets"])
        every = export(gb, "canvas", ["soviets"], options=Options(all_items=True))
    rows = table(out.text)
    assert rows[1][5] == "11"  # 16 less the 5 unmarked written points
    assert {r[1]: r[5] for r in rows[2:]} == {"1001": "11", "1002": "6.9", "1003": "11"}  # 8 - 10 % of 11
    assert any("leave out the written item(s) soviets_q8" in w for w in out.warnings)
    assert table(every.text)[1][5] == "16"


# ---------------------------------------------------------------- Moodle


def test_moodle_golden_soviets_with_times_and_feedback(moodle_class):
    with Gradebook(moodle_class) as gb:
        out = export(gb, "moodle", ["soviets"])
    golden("moodle-soviets.csv", out.text)
    rows = table(out.text)
    assert rows[0] == MOODLE_COLUMNS + ["Feedback comments"]
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert sorted(by_id) == ["Participant 1001", "Participant 1002"]  # 1003 not ready, 1004 under review
    jane = by_id["Participant 1001"]
    assert (jane["Full name"], jane["Grade"], jane["Maximum Grade"]) == ("Jane Smith", "16", "16")
    assert jane["Last modified (submission)"] == "2026-10-12T20:00:00+00:00"
    assert jane["Last modified (grade)"] == GRADED_AT  # never empty: Moodle compares it with its own
    assert jane["Feedback comments"] == "soviets_q8: Clear, and fair to both texts."
    assert by_id["Participant 1002"]["Feedback comments"].startswith("Submitted 2026-10-13 10:00 UTC, 1 day")
    assert any("Moodle ignores the Maximum Grade column" in w and "16" in w for w in out.warnings)


def test_moodle_feedback_column_only_when_there_is_feedback(moodle_class):
    with Gradebook(moodle_class) as gb:
        out = export(gb, "moodle", ["soviets"], options=Options(feedback=False))
    assert table(out.text)[0] == MOODLE_COLUMNS


def test_moodle_grades_scaled_to_the_assignment_maximum(moodle_class):
    with Gradebook(moodle_class) as gb:
        rows = table(export(gb, "moodle", ["soviets"], options=Options(moodle_max=100)).text)
    assert {r[0]: (r[4], r[5]) for r in rows[1:]} == {
        "Participant 1001": ("100", "100"),
        "Participant 1002": ("58.75", "100"),  # 9.4 of 16
    }


def test_moodle_grade_time_moves_only_when_the_grade_changes(moodle_class, tmp_path):
    copy = tmp_path / "g.db"
    copy.write_bytes(moodle_class.read_bytes())
    with Gradebook(copy) as gb:
        rejudge(gb, soviets(), "1001")  # same answers, same marks: the grade did not change
        assert gb.find_grade_times("soviets")["1001"] == GRADED_AT
        gb.update_or_create_mark(
            "soviets", "1002", "soviets_q8", RubricMark(["position"], None, "More, please.")
        )
        rejudge(gb, soviets(), "1002")
        assert gb.find_grade_times("soviets")["1002"] > GRADED_AT


# ---------------------------------------------------------------- plain CSV and the command


def test_plain_csv_has_every_item_lateness_and_the_reasons(canvas_class):
    with Gradebook(canvas_class) as gb:
        rows = table(export(gb, "csv", ["soviets"]).text)
    assert rows[0][:6] == ["student", "name", "exercise", "status", "total", "max_total"]
    assert rows[0][6:14] == [f"soviets_q{n}" for n in range(1, 9)]
    assert rows[0][-3:] == ["days_late", "penalty", "reasons"]
    john = next(r for r in rows if r[0] == "1002")
    assert john[-3:-1] == ["1", "1.6"]
    assert next(r for r in rows if r[0] == "1003")[13] == "pending"


def test_the_export_command_writes_a_file_and_notes_on_stderr(canvas_class, tmp_path, capsys):
    out = tmp_path / "canvas.csv"
    args = ["export", "--format", "canvas", "--exercise", "soviets", "--gradebook", str(canvas_class)]
    assert main([*args, "-o", str(out)]) == 0
    assert table(out.read_text())[0][:5] == CANVAS_FIXED
    err = capsys.readouterr().err
    assert "note: soviets: 1 student(s) have no grade yet (under review) and were left out: 1004." in err


def test_the_export_command_refuses_a_bad_option(canvas_class, capsys):
    args = ["export", "--format", "canvas", "--gradebook", str(canvas_class)]
    assert main([*args, "--canvas-assignment", "soviets"]) == 2
    assert "--canvas-assignment soviets: give EXERCISE=ID, e.g. soviets=4321" in capsys.readouterr().err


def test_the_export_command_without_a_gradebook(tmp_path, capsys):
    assert main(["export", "--format", "csv", "--gradebook", str(tmp_path / "none.db")]) == 1
    assert (
        "none.db: no such gradebook. Run `courseware grade` first or give --gradebook."
        in capsys.readouterr().err
    )


def test_a_real_graded_class_exports(class_gradebook):
    """The sandbox-graded fixture class: its written item is not marked, so it is not counted."""
    with Gradebook(class_gradebook) as gb:
        rows = table(export(gb, "canvas", []).text)
    assert rows[1][5] == "12"
    assert {r[1]: r[5] for r in rows[2:]} == {"alice": "12", "bob": "7.5", "carol": "9", "dave": "0"}


def test_the_export_command_refuses_a_maximum_grade_of_zero(moodle_class, capsys):
    args = ["export", "--format", "moodle", "--exercise", "soviets", "--gradebook", str(moodle_class)]
    assert main([*args, "--moodle-max", "0"]) == 2
    assert "--moodle-max 0: give the assignment's maximum grade, e.g. 100" in capsys.readouterr().err
