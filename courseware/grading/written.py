"""Marking written answers with the rubric: one question at a time across the class.

`WrittenGrading` is the logic (no widgets, testable): the answers to one written item, the marks
so far, and `save`, which stores a mark in the gradebook at once and re-judges that student, so the
instructor can stop at any point and pick up where they left off. `grading_ui` wraps it in
ipywidgets for `instructor/grade_written.ipynb`: the student's answer, the rubric as checkboxes,
the points, a comment box, and buttons to move on.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..items import Exercise, Item
from .gradebook import Gradebook, MissingEntry
from .judge import RubricMark
from .pipeline import rejudge


@dataclass
class Answer:
    student: str
    name: str
    text: str | None  # None when the notebook set no answer (or never finished)
    mark: RubricMark | None


class WrittenGrading:
    def __init__(self, gradebook: Path | str | Gradebook, exercise_id: str, item_id: str | None = None):
        self.gb = gradebook if isinstance(gradebook, Gradebook) else Gradebook(Path(gradebook))
        self.exercise = Exercise.model_validate(self.gb.find_exercise(exercise_id))
        written = [i for i in self.exercise.items if i.kind == "written"]
        if not written:
            raise MissingEntry(f"exercise {exercise_id!r} has no written items.")
        if item_id is None:
            self.item: Item = written[0]
        else:
            matches = [i for i in written if i.id == item_id]
            if not matches:
                raise MissingEntry(
                    f"{item_id!r} is not a written item of {exercise_id!r}; its written items "
                    f"are {', '.join(i.id for i in written)}."
                )
            self.item = matches[0]

    @property
    def written_items(self) -> list[str]:
        return [i.id for i in self.exercise.items if i.kind == "written"]

    def answers(self) -> list[Answer]:
        """Every student's answer to the item, in student order, with their mark if any."""
        marks = self.gb.find_marks(self.exercise.id)
        out = []
        for row in self.gb.find_submissions(self.exercise.id):
            value = (row.answers or {}).get(self.item.variable)
            text = value if isinstance(value, str) else None if value is None else repr(value)
            out.append(Answer(row.student, row.name, text, marks.get((row.student, self.item.id))))
        return out

    def first_unmarked(self) -> int:
        """Index of the first answer without a mark (0 when all are marked): where to resume."""
        answers = self.answers()
        return next((i for i, a in enumerate(answers) if a.mark is None), 0)

    def progress(self) -> tuple[int, int]:
        answers = self.answers()
        return sum(a.mark is not None for a in answers), len(answers)

    def points_for(self, criteria: list[str]) -> float:
        return sum(c.points for c in self.item.rubric if c.id in criteria)

    def save(
        self, student: str, criteria: list[str], comment: str = "", points: float | None = None
    ) -> float:
        """Store the mark for one student, re-judge them, and return the item's points."""
        known = {c.id for c in self.item.rubric}
        unknown = sorted(set(criteria) - known)
        if unknown:
            raise ValueError(
                f"{self.item.id}: no rubric criteria {unknown}; the criteria are {sorted(known)}"
            )
        if points is not None and not 0 <= points <= self.item.points:
            raise ValueError(
                f"{self.item.id}: points must be between 0 and {self.item.points:g}, not {points}"
            )
        self.gb.update_or_create_mark(
            self.exercise.id, student, self.item.id, RubricMark(sorted(criteria), points, comment)
        )
        outcome = rejudge(self.gb, self.exercise, student)
        return next(s.points for s in outcome.scores if s.item == self.item.id)


class WrittenGradingUI:
    """The ipywidgets front of `WrittenGrading`. `widget` is what the notebook displays."""

    def __init__(self, grading: WrittenGrading) -> None:
        import ipywidgets as w

        self.g = grading
        self.answers = grading.answers()
        self.index = grading.first_unmarked()
        item = grading.item
        self.title = w.HTML(
            f"<h3>{html.escape(item.id)} ({item.points:g} points)</h3><p>{html.escape(item.prompt)}</p>"
        )
        self.who = w.HTML()
        self.answer = w.HTML(layout=w.Layout(border="1px solid #ccc", padding="0.5em"))
        self.boxes = {
            c.id: w.Checkbox(
                description=f"{c.text} ({c.points:g})", indent=False, layout=w.Layout(width="auto")
            )
            for c in item.rubric
        }
        self.points = w.BoundedFloatText(min=0, max=item.points, step=0.5, description="Points")
        self.comment = w.Textarea(placeholder="A comment the student will see", layout=w.Layout(width="100%"))
        self.previous = w.Button(description="◀ Previous")
        self.save_next = w.Button(description="Save and next ▶", button_style="primary")
        self.status = w.HTML()
        for box in self.boxes.values():
            box.observe(self._criteria_changed, names="value")
        self.previous.on_click(lambda _: self.show(self.index - 1))
        self.save_next.on_click(lambda _: self.save_and_next())
        self.widget = w.VBox(
            [
                self.title,
                self.who,
                self.answer,
                *self.boxes.values(),
                self.points,
                self.comment,
                w.HBox([self.previous, self.save_next]),
                self.status,
            ]
        )
        self.show(self.index)

    def _criteria_changed(self, _: Any = None) -> None:
        self.points.value = self.g.points_for([k for k, b in self.boxes.items() if b.value])

    def show(self, index: int) -> None:
        if not self.answers:
            self.who.value, self.status.value = "<p>No submissions in the gradebook yet.</p>", ""
            return
        self.index = max(0, min(index, len(self.answers) - 1))
        a = self.answers[self.index]
        self.who.value = (
            f"<p>Student {self.index + 1} of {len(self.answers)}: <strong>"
            f"{html.escape(a.name)}</strong> ({html.escape(a.student)})</p>"
        )
        text = (
            "<em>No answer.</em>"
            if not a.text
            else f"<div style='white-space:pre-wrap'>{html.escape(a.text)}</div>"
        )
        self.answer.value = text
        mark = a.mark or RubricMark([])
        for k, b in self.boxes.items():
            b.value = k in mark.criteria
        self.points.value = mark.points if mark.points is not None else self.g.points_for(mark.criteria)
        self.comment.value = mark.comment
        marked, total = self.g.progress()
        self.status.value = f"<p>{marked} of {total} marked{' (this one is marked)' if a.mark else ''}.</p>"

    def save_and_next(self) -> None:
        if not self.answers:
            return
        a = self.answers[self.index]
        criteria = [k for k, b in self.boxes.items() if b.value]
        override = None if self.points.value == self.g.points_for(criteria) else float(self.points.value)
        self.g.save(a.student, criteria, self.comment.value, override)
        self.answers = self.g.answers()
        following = [i for i in range(self.index + 1, len(self.answers)) if self.answers[i].mark is None]
        self.show(following[0] if following else min(self.index + 1, len(self.answers) - 1))


def grading_ui(gradebook: str | Path, exercise_id: str, item_id: str | None = None) -> Any:
    """The widget for the grading notebook, or a message saying what to do first."""
    import ipywidgets as w

    if not Path(gradebook).exists():
        return w.HTML(
            f"<p>No gradebook at <code>{html.escape(str(gradebook))}</code>. Run "
            "<code>courseware grade EXERCISE SUBMISSIONS</code> first, or set GRADEBOOK.</p>"
        )
    try:
        return WrittenGradingUI(WrittenGrading(gradebook, exercise_id, item_id)).widget
    except MissingEntry as e:
        return w.HTML(f"<p>{html.escape(str(e))}</p>")
