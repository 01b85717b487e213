"""The gradebook → CSV files the LMS imports as they are, written with the `csv` module.

- canvas: Canvas's gradebook import ("Grades → Import"): columns ``Student, ID, SIS User ID,
  SIS Login ID, Section``, then one column per exercise named ``<title> (<assignment id>)`` (or just
  ``<title>`` when the Canvas assignment id is not given: Canvas then matches the assignment by its
  exact name, so the title is written exactly, quoted when it holds a comma), and a second row
  ``Points Possible``. Canvas matches students on ``ID``, the Canvas user id from the file names.
- moodle: Moodle's assignment grading worksheet ("Upload grading worksheet"), one file per exercise:
  ``Identifier`` ("Participant 12345"), ``Full name``, ``Email address``, ``Status``, ``Grade``,
  ``Maximum Grade``, ``Grade can be changed``, ``Last modified (submission)``, ``Last modified
  (grade)`` (ISO 8601 times, which Moodle reads with PHP's ``strtotime``) and, only when there is
  feedback, ``Feedback comments``.
- csv: one row per student per exercise, with every item's points, lateness and the review reasons.

Never a blank over a grade in the LMS: both importers treat a blank cell as "clear the grade" (Canvas)
or carry the feedback column regardless (Moodle), so a student without a grade yet (under review,
late for review, or with a written answer not yet marked) is left out of the file, and the warnings
say who and why. ``clear_missing`` writes the blanks instead, for when clearing is what you want.

Points possible count only what is marked: the automatically judged items, and a written item once
at least one answer to it has been marked (students whose answer to it is not yet marked are left
out). ``all_items`` counts every graded item, with unmarked written answers as 0. A late penalty is a
share of the points possible, taken off the grade (never below 0).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from ..items import Exercise
from .deadlines import describe
from .gradebook import Gradebook, Lateness

Format = Literal["canvas", "moodle", "csv"]
CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS = "    Points Possible"
MOODLE_COLUMNS = [
    "Identifier",
    "Full name",
    "Email address",
    "Status",
    "Grade",
    "Maximum Grade",
    "Grade can be changed",
    "Last modified (submission)",
    "Last modified (grade)",
]
MOODLE_FEEDBACK = "Feedback comments"


@dataclass
class Export:
    text: str
    warnings: list[str] = field(default_factory=list)
    students: int = 0  # student rows written


@dataclass
class Options:
    include_provisional: bool = False  # export the provisional score of a submission under review
    assignment_ids: dict[str, str] = field(default_factory=dict)  # exercise → Canvas assignment id
    all_items: bool = False  # points possible count every graded item, unmarked written answers as 0
    clear_missing: bool = False  # write a blank (clearing the LMS grade) for a student without a grade
    moodle_max: float | None = None  # scale grades to the Moodle assignment's maximum grade
    feedback: bool = True  # Moodle: a feedback column when there is feedback


@dataclass
class GradeLine:
    """One student's grade for one exercise, as the LMS gets it."""

    student: str
    name: str
    lms: str
    grade: float | None  # None: no grade to send yet (see `missing`)
    missing: str  # why there is no grade; "" when there is one
    earned: float  # points earned on the counted items, before any penalty
    penalty_points: float
    late: Lateness | None
    feedback: str  # rubric comments and the lateness sentence, for Moodle's feedback column
    submitted: str  # ISO time the submission came in


@dataclass
class ExerciseGrades:
    exercise: Exercise
    possible: float  # points possible, as counted
    counted: list[str]  # the item ids counted
    uncounted: list[str]  # graded written items left out because nothing is marked yet
    lines: list[GradeLine]


def _points(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def exercise_grades(gb: Gradebook, exercise_id: str, opts: Options) -> ExerciseGrades:
    """What each student of one exercise gets in the LMS, by the rules in the module docstring."""
    exercise = Exercise.model_validate(gb.find_exercise(exercise_id))
    rows = gb.find_submissions(exercise_id)
    marks = gb.find_marks(exercise_id)
    lateness = gb.find_lateness(exercise_id)
    graded = [i for i in exercise.items if i.graded and i.points > 0]
    marked_items = {item for (_, item) in marks}
    counted = [i.id for i in graded if i.kind != "written" or opts.all_items or i.id in marked_items]
    uncounted = [i.id for i in graded if i.id not in counted]
    possible = round(sum(exercise.item(i).points for i in counted), 2)
    lines = []
    for row in rows:
        scores = {s.item: s for s in gb.find_scores(exercise_id, row.student)}
        earned = round(sum(scores[i].points for i in counted if i in scores), 2)
        late = lateness.get(row.student)
        penalty = round(late.penalty * possible, 2) if late else 0.0
        pending = [i for i in counted if i in scores and scores[i].status == "pending"]
        missing = ""
        if row.status == "review" and not opts.include_provisional:
            missing = "under review"
        elif late is not None and late.review and not opts.include_provisional:
            missing = "late, for your decision"
        elif pending and not opts.all_items:
            missing = f"written answer not marked yet: {', '.join(pending)}"
        comments = [
            f"{item}: {m.comment}"
            for (s, item), m in sorted(marks.items())
            if s == row.student and m.comment.strip()
        ]
        if late is not None and late.days_late:
            comments.append(describe(late))
        lines.append(
            GradeLine(
                student=row.student,
                name=row.name,
                lms=row.lms,
                grade=None if missing else max(0.0, round(earned - penalty, 2)),
                missing=missing,
                earned=earned,
                penalty_points=penalty,
                late=late,
                feedback=" ".join(comments),  # one line: Moodle shows its comments as HTML
                submitted=late.submitted if late else row.modified,
            )
        )
    return ExerciseGrades(exercise, possible, counted, uncounted, lines)


def export(
    gb: Gradebook,
    fmt: Format,
    exercises: list[str],
    *,
    include_provisional: bool = False,
    assignment_ids: dict[str, str] | None = None,
    options: Options | None = None,
) -> Export:
    opts = options or Options(include_provisional=include_provisional, assignment_ids=assignment_ids or {})
    if not exercises:
        exercises = gb.find_exercise_ids()
    for ex in exercises:
        gb.find_exercise(ex)  # raises MissingEntry with the known ids
    grades = [exercise_grades(gb, ex, opts) for ex in exercises]
    return {"canvas": _canvas, "moodle": _moodle, "csv": _plain}[fmt](gb, grades, opts)


def _warn(grades: list[ExerciseGrades], opts: Options, lms: str | None) -> list[str]:
    warnings = []
    for g in grades:
        ex = g.exercise.id
        if g.uncounted:
            warnings.append(
                f"{ex}: points possible {_points(g.possible)} leave out the written item(s) "
                f"{', '.join(g.uncounted)}, not marked for anyone yet (mark them in "
                "instructor/grade_written.ipynb, or pass --all-items to count them as 0)."
            )
        if lms:
            by_reason: dict[str, list[str]] = {}
            for line in g.lines:
                if line.missing:
                    by_reason.setdefault(line.missing, []).append(line.student)
            what = "written blank (clearing the LMS grade)" if opts.clear_missing else "left out"
            for reason, students in sorted(by_reason.items()):
                warnings.append(
                    f"{ex}: {len(students)} student(s) have no grade yet ({reason}) and were {what}: "
                    f"{', '.join(students)}."
                )
            other = [line.student for line in g.lines if line.lms != lms]
            if other:
                warnings.append(
                    f"{ex}: {len(other)} submission(s) did not come from a {lms} download, so "
                    f"their id is a file name {lms} will not recognise: {', '.join(other[:5])}"
                )
        elif opts.all_items:
            pending = [line.student for line in g.lines if "not marked" in line.missing]
            if pending:
                warnings.append(f"{ex}: unmarked written answers count as 0 for: {', '.join(pending)}")
        review = [line.student for line in g.lines if line.missing == "under review"]
        if review and not lms:
            warnings.append(
                f"{ex}: {len(review)} submission(s) need review: {', '.join(review)}. "
                "See `courseware regrade --help`."
            )
    return warnings


def _canvas(gb: Gradebook, grades: list[ExerciseGrades], opts: Options) -> Export:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")  # QUOTE_MINIMAL: a title with a comma is quoted, not changed
    titles = []
    for g in grades:
        title, ex = g.exercise.title, g.exercise.id
        titles.append(f"{title} ({opts.assignment_ids[ex]})" if ex in opts.assignment_ids else title)
    w.writerow(CANVAS_FIXED + titles)
    w.writerow([CANVAS_POINTS, "", "", "", ""] + [_points(g.possible) for g in grades])
    names: dict[str, str] = {}
    cells: dict[tuple[str, int], GradeLine] = {}
    for n, g in enumerate(grades):
        for line in g.lines:
            names.setdefault(line.student, line.name)
            cells[(line.student, n)] = line
    warnings = _warn(grades, opts, "canvas")
    partial: list[str] = []
    for student, name in sorted(names.items()):
        values = [cells.get((student, n)) for n in range(len(grades))]
        if any(v is None or v.grade is None for v in values) and not opts.clear_missing:
            if any(v is not None and v.grade is not None for v in values):
                partial.append(student)
            continue  # a blank cell would clear what Canvas has
        w.writerow(
            [name, student, "", "", ""]
            + ["" if v is None or v.grade is None else _points(v.grade) for v in values]
        )
    if partial:
        warnings.append(
            f"{len(partial)} student(s) have a grade in some of these columns but not all, and were left "
            f"out so that no blank clears a Canvas grade: {', '.join(partial)}. Export one exercise at a "
            "time (--exercise) to send the grades they have."
        )
    return Export(buf.getvalue(), warnings, buf.getvalue().count("\n") - 2)


def moodle_time(iso: str) -> str:
    """An ISO time as the worksheet carries it: ISO 8601 in UTC, which PHP's strtotime reads.

    >>> moodle_time("2026-10-12T22:59:00+00:00")
    '2026-10-12T22:59:00+00:00'
    """
    when = datetime.fromisoformat(iso)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _moodle(gb: Gradebook, grades: list[ExerciseGrades], opts: Options) -> Export:
    if len(grades) != 1:
        raise ValueError(
            f"a Moodle grading worksheet holds one assignment; give one --exercise "
            f"(graded here: {', '.join(g.exercise.id for g in grades)})"
        )
    g = grades[0]
    changed = gb.find_grade_times(g.exercise.id)
    lines = [line for line in g.lines if line.grade is not None or opts.clear_missing]
    with_feedback = opts.feedback and any(line.feedback for line in lines)
    scale = opts.moodle_max / g.possible if opts.moodle_max and g.possible else 1.0
    maximum = opts.moodle_max if opts.moodle_max else g.possible
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    w.writerow(MOODLE_COLUMNS + ([MOODLE_FEEDBACK] if with_feedback else []))
    for line in lines:
        grade = "" if line.grade is None else _points(round(line.grade * scale, 2))
        row = [
            f"Participant {line.student}",
            line.name,
            "",
            "Submitted for grading",
            grade,
            _points(maximum),
            "Yes",
            moodle_time(line.submitted),
            moodle_time(changed.get(line.student, line.submitted)),
        ]
        w.writerow(row + ([line.feedback] if with_feedback else []))
    warnings = _warn(grades, opts, "moodle")
    warnings.append(
        f"{g.exercise.id}: Moodle ignores the Maximum Grade column. "
        + (
            f"Grades are scaled to {_points(maximum)}, the maximum grade the assignment must have."
            if opts.moodle_max
            else f"Set the assignment's maximum grade to {_points(maximum)} (Settings → Grade → Maximum "
            "grade), or pass --moodle-max with the maximum grade it has to scale the grades to it."
        )
    )
    if with_feedback:
        silent = [line.student for line in lines if not line.feedback]
        if silent:
            warnings.append(
                f"{g.exercise.id}: the Feedback comments column clears the Moodle comment of students "
                f"without feedback here: {', '.join(silent)} (--no-feedback leaves the column out)."
            )
    return Export(buf.getvalue(), warnings, len(lines))


def _plain(gb: Gradebook, grades: list[ExerciseGrades], opts: Options) -> Export:
    items: list[str] = []
    for g in grades:
        items += [i.id for i in g.exercise.items if i.id not in items]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        ["student", "name", "exercise", "status", "total", "max_total", *items]
        + ["days_late", "penalty", "reasons"]
    )
    for g in grades:
        ex = g.exercise.id
        for r in gb.find_submissions(ex):
            pts = {
                s.item: _points(s.points) if s.status != "pending" else "pending"
                for s in gb.find_scores(ex, r.student)
            }
            line = next(x for x in g.lines if x.student == r.student)
            w.writerow(
                [r.student, r.name, ex, r.status, _points(r.total), _points(r.max_total)]
                + [pts.get(i, "") for i in items]
                + [
                    str(line.late.days_late) if line.late else "",
                    _points(line.penalty_points) if line.late else "",
                    " | ".join(r.reasons + ([line.late.note] if line.late and line.late.note else [])),
                ]
            )
    return Export(buf.getvalue(), _warn(grades, opts, None), sum(len(g.lines) for g in grades))
