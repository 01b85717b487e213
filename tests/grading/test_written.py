"""Marking written answers: saved as you go, resumable, and hard to get wrong: Next never saves,
unsaved changes and points for an empty answer need a second press, criteria are shown whole, the
gradebook is found or asked for, and the quick-entry box drives it all from the keyboard."""

from __future__ import annotations

import shutil

import pytest

from courseware.grading.gradebook import Gradebook, MissingEntry
from courseware.grading.written import (
    EmptyAnswerError,
    WrittenGrading,
    WrittenGradingUI,
    find_gradebooks,
    grading_ui,
)

EX = "soviets-fixture"


def marks(path) -> dict:
    with Gradebook(path) as gb:
        return gb.find_marks(EX)


def ui_at(path, student: str) -> WrittenGradingUI:
    ui = WrittenGradingUI(WrittenGrading(path, EX))
    ui.show([a.student for a in ui.answers].index(student))
    return ui


def test_marks_are_saved_at_once_and_rescore_the_student(gradebook_copy):
    g = WrittenGrading(gradebook_copy, EX)
    assert g.item.id == "soviets_q6"
    assert [a.student for a in g.answers()] == ["alice", "bob", "broken", "carol", "dave"]
    assert g.answers()[3].text == "The soviets were councils."
    assert g.save("alice", ["cites", "explains"], "Well argued.") == 4
    with Gradebook(gradebook_copy) as gb:
        assert gb.find_submission(EX, "alice").total == 16


def test_marking_resumes_at_the_first_unmarked_answer(gradebook_copy):
    g = WrittenGrading(gradebook_copy, EX)
    g.save("alice", ["cites"])
    g.save("bob", [])
    again = WrittenGrading(gradebook_copy, EX)
    assert again.first_unmarked() == 2 and again.progress() == (2, 5)


def test_unknown_criteria_and_items_are_refused(gradebook_copy):
    g = WrittenGrading(gradebook_copy, EX)
    with pytest.raises(ValueError, match=r"no rubric criteria \['style'\]"):
        g.save("alice", ["style"])
    with pytest.raises(MissingEntry, match="not a written item"):
        WrittenGrading(gradebook_copy, EX, "soviets_q1")


def test_points_for_an_empty_answer_need_confirming(gradebook_copy):
    g = WrittenGrading(gradebook_copy, EX)
    with pytest.raises(EmptyAnswerError, match="dave wrote no answer, but the mark gives 2 point"):
        g.save("dave", ["cites"])
    assert g.save("dave", []) == 0  # no points: nothing to confirm
    assert g.save("dave", ["cites"], confirm_empty=True) == 2


def test_the_widget_saves_and_moves_on(gradebook_copy):
    ui = WrittenGradingUI(WrittenGrading(gradebook_copy, EX))
    assert "alice" in ui.who.value
    ui.boxes["cites"].value = True
    assert ui.points.value == 2
    ui.comment.value = "Name the paragraphs."
    ui.save_next.click()
    assert "bob" in ui.who.value and "1 of 5 marked" in ui.status.value
    ui.previous.click()  # nothing changed on bob's form: moves at once
    assert ui.boxes["cites"].value and ui.comment.value == "Name the paragraphs."
    mark = marks(gradebook_copy)[("alice", "soviets_q6")]
    assert (mark.criteria, mark.comment) == (["cites"], "Name the paragraphs.")


def test_next_moves_on_without_saving(gradebook_copy):
    ui = WrittenGradingUI(WrittenGrading(gradebook_copy, EX))
    ui.next.click()
    assert "bob" in ui.who.value and marks(gradebook_copy) == {}


def test_leaving_unsaved_changes_asks_first(gradebook_copy):
    ui = WrittenGradingUI(WrittenGrading(gradebook_copy, EX))
    ui.boxes["explains"].value = True
    ui.next.click()
    assert "alice" in ui.who.value  # still here
    assert "This mark is not saved. Press the same button again to discard it" in ui.status.value
    ui.next.click()
    assert "bob" in ui.who.value and marks(gradebook_copy) == {}
    assert not any(b.value for b in ui.boxes.values())  # bob's own (empty) form


def test_the_widget_warns_before_points_for_an_empty_answer(gradebook_copy):
    ui = ui_at(gradebook_copy, "dave")
    assert "No answer." in ui.answer.value
    ui.boxes["cites"].value = True
    ui.save_next.click()
    assert "dave" in ui.who.value and ("dave", "soviets_q6") not in marks(gradebook_copy)
    assert "dave wrote no answer, but this mark gives 2 point(s)" in ui.status.value
    assert ui.save_next.description == "Save anyway ▶"
    ui.save_next.click()
    assert marks(gradebook_copy)[("dave", "soviets_q6")].criteria == ["cites"]
    assert ui.save_next.description == "Save and next ▶"


def test_criteria_are_shown_whole_and_numbered(gradebook_copy):
    ui = WrittenGradingUI(WrittenGrading(gradebook_copy, EX))
    labels = [
        row.children[1].value
        for row in ui.widget.children
        if hasattr(row, "children") and len(row.children) == 2 and row.children[0] in ui.boxes.values()
    ]
    assert len(labels) == 2
    assert "Cites both texts with paragraph numbers" in labels[0] and "white-space:normal" in labels[0]
    assert [b.description for b in ui.boxes.values()] == ["1", "2"]


def test_quick_entry_ticks_saves_and_moves(gradebook_copy):
    ui = WrittenGradingUI(WrittenGrading(gradebook_copy, EX))
    ui.quick.value = "12"
    assert "bob" in ui.who.value and ui.quick.value == ""
    assert marks(gradebook_copy)[("alice", "soviets_q6")].criteria == ["cites", "explains"]
    ui.quick.value = "7"
    assert "type criterion numbers from 1 to 2" in ui.status.value and "bob" in ui.who.value
    ui.quick.value = "n"
    assert "broken" in ui.who.value
    ui.quick.value = "p"
    assert "bob" in ui.who.value


def test_the_gradebook_is_found_in_a_folder_above(gradebook_copy, tmp_path, monkeypatch):
    course = tmp_path / "course"
    (course / "instructor").mkdir(parents=True)
    shutil.copy(gradebook_copy, course / "gradebook.db")
    monkeypatch.delenv("COURSEWARE_GRADEBOOK", raising=False)
    monkeypatch.chdir(course / "instructor")
    # two candidates (the course's and one further up): nearest first, and the instructor chooses
    assert find_gradebooks() == [course / "gradebook.db", gradebook_copy]
    box = grading_ui()
    assert "Several gradebooks were found; choose one." in box.children[0].value
    assert box.children[1].options == (str(course / "gradebook.db"), str(gradebook_copy))
    gradebook_copy.unlink()
    box = grading_ui()  # found, and the only exercise with written items is opened
    assert "alice" in box.ui.who.value and str(course / "gradebook.db") in box.children[0].value
    monkeypatch.setenv("COURSEWARE_GRADEBOOK", str(tmp_path / "elsewhere.db"))
    assert find_gradebooks() == [tmp_path / "elsewhere.db"]


def test_the_gradebook_is_asked_for_when_not_found(gradebook_copy, tmp_path_factory, monkeypatch):
    monkeypatch.delenv("COURSEWARE_GRADEBOOK", raising=False)
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    box = grading_ui()
    assert "No gradebook.db was found here or in the folders above" in box.children[0].value
    path_field, open_button = box.children[1:]
    path_field.value = str(gradebook_copy)
    open_button.click()
    assert "alice" in box.ui.who.value


def test_the_notebook_explains_a_missing_gradebook(tmp_path):
    box = grading_ui(tmp_path / "none.db", "soviets")
    assert "Run <code>courseware grade" in box.children[0].value
    assert box.children[1].value == str(tmp_path / "none.db")  # asked again, with the path to correct
