"""Marking written answers with the rubric: one question at a time across the class.

`WrittenGrading` is the logic (no widgets, testable): the answers to one written item, the marks
so far, and `save`, which stores a mark in the gradebook at once and re-judges that student, so the
instructor can stop at any point and pick up where they left off. `grading_ui` wraps it in
ipywidgets for `instructor/grade_written.ipynb`, built so that a slip is hard to make:

- **Next** moves on without saving; **Save and next** saves. Moving away from changes not yet saved
  asks first (press again to discard them).
- Points for an empty answer need a second, deliberate click ("Save anyway").
- Each criterion is shown whole, numbered, with its points, however long it is.
- The gradebook is found (``COURSEWARE_GRADEBOOK``, then ``gradebook.db`` in the notebook's folder
  and the folders above it), and asked for when it cannot be found or when there are several.
- Everything works from the keyboard: Tab moves through the controls, Space ticks a criterion,
  Enter presses a button; the quick-entry box takes criterion numbers ("13" ticks 1 and 3) and
  Enter saves and moves on, "n" moves on, "p" goes back.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..items import Exercise, Item
from .gradebook import Gradebook, MissingEntry
from .judge import RubricMark
from .pipeline import rejudge

ENV = "COURSEWARE_GRADEBOOK"
DEFAULT_NAME = "gradebook.db"


class EmptyAnswerError(ValueError):
    """Points given to a student who wrote nothing, without confirming it."""


@dataclass
class Answer:
    student: str
    name: str
    text: str | None  # None when the notebook set no answer (or never finished)
    mark: RubricMark | None

    @property
    def empty(self) -> bool:
        return not (self.text or "").strip()


def find_gradebooks(start: Path | None = None) -> list[Path]:
    """Where the gradebook may be: ``$COURSEWARE_GRADEBOOK`` if set (only it), else every
    ``gradebook.db`` in `start` and the folders above it, nearest first.

    >>> find_gradebooks(Path("/"))  # doctest: +SKIP
    []
    """
    if os.environ.get(ENV):
        return [Path(os.environ[ENV])]
    here = (start or Path.cwd()).resolve()
    return [d / DEFAULT_NAME for d in (here, *here.parents) if (d / DEFAULT_NAME).is_file()]


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
        self,
        student: str,
        criteria: list[str],
        comment: str = "",
        points: float | None = None,
        *,
        confirm_empty: bool = False,
    ) -> float:
        """Store the mark for one student, re-judge them, and return the item's points. Points for
        an empty answer raise `EmptyAnswerError` unless `confirm_empty`."""
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
        given = self.points_for(criteria) if points is None else points
        answer = next((a for a in self.answers() if a.student == student), None)
        if answer is not None and answer.empty and given > 0 and not confirm_empty:
            raise EmptyAnswerError(
                f"{self.item.id}: {student} wrote no answer, but the mark gives {given:g} point(s). "
                "Confirm to save it anyway."
            )
        self.gb.update_or_create_mark(
            self.exercise.id, student, self.item.id, RubricMark(sorted(criteria), points, comment)
        )
        outcome = rejudge(self.gb, self.exercise, student)
        return next(s.points for s in outcome.scores if s.item == self.item.id)


def parse_quick(text: str, criteria: int) -> tuple[str, list[int]]:
    """The quick-entry box: ("save", criterion numbers) | ("next", []) | ("previous", []) |
    ("error", []).

    >>> parse_quick("13", 4), parse_quick("1 3", 4), parse_quick("0", 4), parse_quick("n", 4)
    (('save', [1, 3]), ('save', [1, 3]), ('save', []), ('next', []))
    >>> parse_quick("9", 4)
    ('error', [])
    """
    t = text.strip().lower()
    if t in ("n", "next"):
        return "next", []
    if t in ("p", "prev", "previous"):
        return "previous", []
    digits = t.replace(" ", "").replace(",", "")
    if not digits or not digits.isdigit():
        return "error", []
    if digits == "0":
        return "save", []
    numbers = sorted({int(d) for d in digits})
    if any(not 1 <= n <= criteria for n in numbers):
        return "error", []
    return "save", numbers


class WrittenGradingUI:
    """The ipywidgets front of `WrittenGrading`. `widget` is what the notebook displays."""

    def __init__(self, grading: WrittenGrading) -> None:
        import ipywidgets as w

        self.g = grading
        self.answers = grading.answers()
        self.index = grading.first_unmarked()
        self._loading = False  # True while `show` fills the form (not the instructor's changes)
        self.dirty = False  # the form differs from what is saved
        self._confirm_move: int | None = None  # a move asked for over unsaved changes
        self._confirm_empty: str | None = None  # the student whose empty answer would get points
        item = grading.item
        self.title = w.HTML(
            f"<h3>{html.escape(item.id)} ({item.points:g} points)</h3>"
            f"<div style='white-space:pre-wrap'>{html.escape(item.prompt)}</div>"
        )
        self.who = w.HTML()
        self.answer = w.HTML(layout=w.Layout(border="1px solid #ccc", padding="0.5em"))
        self.boxes: dict[str, Any] = {}
        rows = []
        for n, c in enumerate(item.rubric, start=1):
            box = w.Checkbox(
                description=f"{n}",
                tooltip=c.text,
                indent=False,
                layout=w.Layout(width="3.5em", flex="0 0 auto"),
            )
            label = w.HTML(
                f"<div style='white-space:normal;line-height:1.4'><strong>{html.escape(c.id)}</strong> "
                f"({c.points:g}): {html.escape(c.text)}</div>",
                layout=w.Layout(flex="1 1 auto", width="auto"),
            )
            self.boxes[c.id] = box
            rows.append(w.HBox([box, label], layout=w.Layout(align_items="flex-start", width="100%")))
        self.points = w.BoundedFloatText(min=0, max=item.points, step=0.5, description="Points")
        self.comment = w.Textarea(
            placeholder="A comment the student will see", description="Comment", layout=w.Layout(width="100%")
        )
        self.quick = w.Text(
            placeholder="criteria numbers, then Enter: save and next (0: none; n: next; p: previous)",
            description="Quick entry",
            continuous_update=False,
            layout=w.Layout(width="100%"),
            style={"description_width": "initial"},
        )
        self.previous = w.Button(description="◀ Previous", tooltip="go back (nothing is saved)")
        self.next = w.Button(description="Next ▶", tooltip="move on without saving")
        self.save_next = w.Button(
            description="Save and next ▶", button_style="primary", tooltip="save this mark, then move on"
        )
        self.status = w.HTML()
        for box in self.boxes.values():
            box.observe(self._criteria_changed, names="value")
        self.points.observe(self._edited, names="value")
        self.comment.observe(self._edited, names="value")
        self.quick.observe(self._quick_entry, names="value")
        self.previous.on_click(lambda _: self.move(self.index - 1))
        self.next.on_click(lambda _: self.move(self.index + 1))
        self.save_next.on_click(lambda _: self.save_and_next())
        self.widget = w.VBox(
            [
                self.title,
                self.who,
                self.answer,
                *rows,
                self.points,
                self.comment,
                w.HBox([self.previous, self.next, self.save_next]),
                self.quick,
                self.status,
            ]
        )
        self.show(self.index)

    # ---------------------------------------------------------------- form state
    def _edited(self, _: Any = None) -> None:
        if not self._loading:
            self.dirty = True
            self._reset_confirmations()

    def _criteria_changed(self, _: Any = None) -> None:
        if self._loading:
            return
        self.points.value = self.g.points_for(self.ticked())
        self._edited()

    def _reset_confirmations(self) -> None:
        self._confirm_move = None
        self._confirm_empty = None
        self.save_next.description = "Save and next ▶"

    def ticked(self) -> list[str]:
        return [k for k, b in self.boxes.items() if b.value]

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
        self.answer.value = (
            "<p><strong>No answer.</strong> This student wrote nothing for this question.</p>"
            if a.empty
            else f"<div style='white-space:pre-wrap'>{html.escape(a.text or '')}</div>"
        )
        mark = a.mark or RubricMark([])
        self._loading = True
        try:
            for k, b in self.boxes.items():
                b.value = k in mark.criteria
            self.points.value = mark.points if mark.points is not None else self.g.points_for(mark.criteria)
            self.comment.value = mark.comment
        finally:
            self._loading = False
        self.dirty = False
        self._reset_confirmations()
        marked, total = self.g.progress()
        self._say(f"{marked} of {total} marked{' (this one is marked)' if a.mark else ''}.")

    def _say(self, text: str, warning: bool = False) -> None:
        style = " style='color:#9a3412;font-weight:bold' role='alert'" if warning else ""
        self.status.value = f"<p{style}>{html.escape(text)}</p>"

    # ---------------------------------------------------------------- actions
    def move(self, index: int) -> None:
        """Go to another answer without saving; over unsaved changes, only when asked twice."""
        if not self.answers:
            return
        target = max(0, min(index, len(self.answers) - 1))
        if self.dirty and self._confirm_move != target:
            self._confirm_move = target
            self._say(
                "This mark is not saved. Press the same button again to discard it, or Save and next.",
                warning=True,
            )
            return
        self.show(target)

    def save_and_next(self, *, confirm_empty: bool = False) -> None:
        if not self.answers:
            return
        a = self.answers[self.index]
        criteria = self.ticked()
        override = None if self.points.value == self.g.points_for(criteria) else float(self.points.value)
        confirmed = confirm_empty or self._confirm_empty == a.student
        try:
            self.g.save(a.student, criteria, self.comment.value, override, confirm_empty=confirmed)
        except EmptyAnswerError:
            self._confirm_empty = a.student
            self.save_next.description = "Save anyway ▶"
            self._say(
                f"{a.name} wrote no answer, but this mark gives {float(self.points.value):g} point(s). "
                "Press Save anyway to keep it, or untick the criteria.",
                warning=True,
            )
            return
        self.answers = self.g.answers()
        self.dirty = False
        following = [i for i in range(self.index + 1, len(self.answers)) if self.answers[i].mark is None]
        self.show(following[0] if following else min(self.index + 1, len(self.answers) - 1))

    def _quick_entry(self, change: Any) -> None:
        text = change["new"]
        if not text:
            return
        action, numbers = parse_quick(text, len(self.boxes))
        self.quick.value = ""
        if action == "error":
            self._say(
                f"Quick entry {text!r}: type criterion numbers from 1 to {len(self.boxes)} (e.g. 13), "
                "0 for none, n for next, p for previous.",
                warning=True,
            )
        elif action == "next":
            self.move(self.index + 1)
        elif action == "previous":
            self.move(self.index - 1)
        else:
            ids = list(self.boxes)
            for n, k in enumerate(ids, start=1):
                self.boxes[k].value = n in numbers
            self.save_and_next()


def grading_ui(
    gradebook: str | Path | None = None, exercise_id: str | None = None, item_id: str | None = None
) -> Any:
    """The widget for the grading notebook. With no gradebook given it is found (see the module
    docstring), or asked for; with no exercise it is asked for when the gradebook holds several."""
    import ipywidgets as w

    box = w.VBox()

    def open_book(path: Path) -> None:
        if not path.is_file():
            box.children = [
                w.HTML(
                    f"<p>No gradebook at <code>{html.escape(str(path))}</code>. Run "
                    "<code>courseware grade EXERCISE SUBMISSIONS</code> first, or give the path.</p>"
                ),
                *ask_path(str(path)),
            ]
            return
        try:
            with Gradebook(path) as gb:
                ids = [
                    ex
                    for ex in gb.find_exercise_ids()
                    if any(i["kind"] == "written" for i in gb.find_exercise(ex)["items"])
                ]
        except Exception as e:  # a damaged or foreign file: say so and ask again
            box.children = [w.HTML(f"<p>{html.escape(str(e))}</p>"), *ask_path(str(path))]
            return
        if exercise_id is not None or len(ids) == 1:
            open_exercise(path, exercise_id or ids[0])
            return
        if not ids:
            box.children = [w.HTML(f"<p>{html.escape(str(path))} holds no exercise with written items.</p>")]
            return
        choose = w.Dropdown(options=ids, description="Exercise")
        go = w.Button(description="Mark this exercise")
        go.on_click(lambda _: open_exercise(path, choose.value))
        box.children = [w.HTML(f"<p>Gradebook <code>{html.escape(str(path))}</code>.</p>"), choose, go]

    def open_exercise(path: Path, ex: str) -> None:
        try:
            ui = WrittenGradingUI(WrittenGrading(path, ex, item_id))
        except MissingEntry as e:
            box.children = [w.HTML(f"<p>{html.escape(str(e))}</p>")]
            return
        box.children = [
            w.HTML(f"<p class='muted'>Gradebook <code>{html.escape(str(path))}</code></p>"),
            ui.widget,
        ]
        box.ui = ui  # type: ignore[attr-defined]  # for tests and for the curious

    def ask_path(value: str = "", options: list[Path] | None = None) -> list[Any]:
        field = (
            w.Dropdown(options=[str(p) for p in options], description="Gradebook")
            if options
            else w.Text(value=value, placeholder="path/to/gradebook.db", description="Gradebook")
        )
        go = w.Button(description="Open")
        go.on_click(lambda _: open_book(Path(field.value).expanduser()))
        return [field, go]

    if gradebook is not None:
        open_book(Path(gradebook))
        return box
    found = find_gradebooks()
    if len(found) == 1:
        open_book(found[0])
    elif found:
        box.children = [w.HTML("<p>Several gradebooks were found; choose one.</p>"), *ask_path(options=found)]
    else:
        box.children = [
            w.HTML(
                f"<p>No {DEFAULT_NAME} was found here or in the folders above. Give the path of the "
                "gradebook <code>courseware grade</code> wrote (its <code>--gradebook</code>).</p>"
            ),
            *ask_path(),
        ]
    return box
