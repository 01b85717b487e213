"""Exports: Canvas and Moodle CSV as their importers expect, and plain CSV."""

from __future__ import annotations

import csv
import io

from courseware.cli import main
from courseware.grading.export import CANVAS_FIXED, MOODLE_COLUMNS, export
from courseware.grading.gradebook import Gradebook


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_canvas_has_its_fixed_columns_points_possible_and_one_column_per_exercise(class_gradebook):
    with Gradebook(class_gradebook) as gb:
        out = export(gb, "canvas", [], assignment_ids={"soviets-fixture": "4321"})
    rows = table(out.text)
    assert rows[0] == CANVAS_FIXED + ["Soviets: a grading fixture (4321)"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "16"]
    by_id = {r[1]: r for r in rows[2:]}
    assert by_id["alice"][5] == "12" and by_id["bob"][5] == "7.5" and by_id["dave"][5] == "0"
    assert by_id["broken"][5] == ""  # under review: left blank
    assert any("need review" in w and "broken" in w for w in out.warnings)
    assert any("not marked yet" in w for w in out.warnings)
    assert any("did not come from a canvas download" in w for w in out.warnings)


def test_provisional_scores_on_request(class_gradebook):
    with Gradebook(class_gradebook) as gb:
        rows = table(export(gb, "canvas", [], include_provisional=True).text)
    assert {r[1]: r[5] for r in rows[2:]}["broken"] == "0"


def test_moodle_grading_worksheet(class_gradebook):
    with Gradebook(class_gradebook) as gb:
        rows = table(export(gb, "moodle", ["soviets-fixture"]).text)
    assert rows[0] == MOODLE_COLUMNS
    alice = next(r for r in rows if r[0] == "Participant alice")
    assert alice[1:7] == ["alice", "", "Submitted for grading", "12", "16", "Yes"]


def test_plain_csv_has_every_item_and_the_reasons(class_gradebook):
    with Gradebook(class_gradebook) as gb:
        rows = table(export(gb, "csv", []).text)
    assert rows[0][:6] == ["student", "name", "exercise", "status", "total", "max_total"]
    assert rows[0][6:13] == [f"soviets_q{n}" for n in range(1, 8)] and rows[0][-1] == "reasons"
    bob = next(r for r in rows if r[0] == "bob")
    assert bob[6:12] == ["1", "0", "2.5", "2", "2", "pending"]
    broken = next(r for r in rows if r[0] == "broken")
    assert broken[3] == "review" and "truncated" in broken[-1]


def test_the_export_command_writes_a_file_and_notes_on_stderr(class_gradebook, tmp_path, capsys):
    out = tmp_path / "canvas.csv"
    assert main(["export", "--format", "canvas", "--gradebook", str(class_gradebook), "-o", str(out)]) == 0
    assert table(out.read_text())[0][:5] == CANVAS_FIXED
    assert "note: soviets-fixture: 1 submission(s) need review" in capsys.readouterr().err


def test_the_export_command_without_a_gradebook(tmp_path, capsys):
    assert main(["export", "--format", "csv", "--gradebook", str(tmp_path / "none.db")]) == 1
    assert (
        "none.db: no such gradebook. Run `courseware grade` first or give --gradebook."
        in capsys.readouterr().err
    )
