"""Marking written answers: saved as you go, resumable, and the widget drives the same logic."""

from __future__ import annotations

import pytest

from courseware.grading.gradebook import Gradebook, MissingEntry
from courseware.grading.written import WrittenGrading, WrittenGradingUI, grading_ui


def test_marks_are_saved_at_once_and_rescore_the_student(gradebook_copy):
    g = WrittenGrading(gradebook_copy, "soviets-fixture")
    assert g.item.id == "soviets_q6"
    assert [a.student for a in g.answers()] == ["alice", "bob", "broken", "carol", "dave"]
    assert g.answers()[3].text == "The soviets were councils."
    assert g.save("alice", ["cites", "explains"], "Well argued.") == 4
    with Gradebook(gradebook_copy) as gb:
        assert gb.find_submission("soviets-fixture", "alice").total == 16


def test_marking_resumes_at_the_first_unmarked_answer(gradebook_copy):
    g = WrittenGrading(gradebook_copy, "soviets-fixture")
    g.save("alice", ["cites"])
    g.save("bob", [])
    again = WrittenGrading(gradebook_copy, "soviets-fixture")
    assert again.first_unmarked() == 2 and again.progress() == (2, 5)


def test_unknown_criteria_and_items_are_refused(gradebook_copy):
    g = WrittenGrading(gradebook_copy, "soviets-fixture")
    with pytest.raises(ValueError, match=r"no rubric criteria \['style'\]"):
        g.save("alice", ["style"])
    with pytest.raises(MissingEntry, match="not a written item"):
        WrittenGrading(gradebook_copy, "soviets-fixture", "soviets_q1")


def test_the_widget_saves_and_moves_on(gradebook_copy):
    ui = WrittenGradingUI(WrittenGrading(gradebook_copy, "soviets-fixture"))
    assert "alice" in ui.who.value
    ui.boxes["cites"].value = True
    assert ui.points.value == 2
    ui.comment.value = "Name the paragraphs."
    ui.save_next.click()
    assert "bob" in ui.who.value and "1 of 5 marked" in ui.status.value
    ui.previous.click()
    assert ui.boxes["cites"].value and ui.comment.value == "Name the paragraphs."
    with Gradebook(gradebook_copy) as gb:
        mark = gb.find_marks("soviets-fixture")[("alice", "soviets_q6")]
    assert (mark.criteria, mark.comment) == (["cites"], "Name the paragraphs.")


def test_the_notebook_explains_a_missing_gradebook(tmp_path):
    assert "Run <code>courseware grade" in grading_ui(tmp_path / "none.db", "soviets").value
