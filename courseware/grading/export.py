"""The gradebook → CSV files the LMS imports as they are, written with the `csv` module.

- canvas: Canvas's gradebook import ("Grades → Import"): columns ``Student, ID, SIS User ID,
  SIS Login ID, Section``, then one column per exercise named ``<title> (<assignment id>)`` (or just
  ``<title>`` when the Canvas assignment id is not given: Canvas then matches the assignment by name
  or offers to create it), and a second row ``Points Possible``. Canvas matches students on ``ID``,
  the Canvas user id taken from the downloaded file names.
- moodle: Moodle's assignment grading worksheet ("Upload grading worksheet"), one file per exercise:
  ``Identifier`` ("Participant 12345", the number from the downloaded file names), ``Full name``,
  ``Email address``, ``Status``, ``Grade``, ``Maximum Grade``, ``Grade can be changed``,
  ``Last modified (submission)``, ``Last modified (grade)``, ``Feedback comments``.
- csv: one row per student per exercise, with every item's points and the review reasons.

A submission marked for review has no grade in the Canvas and Moodle files (its score is
provisional) unless `include_provisional` is set; written answers not yet marked count as 0.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Literal

from .gradebook import Gradebook

Format = Literal["canvas", "moodle", "csv"]
CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
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
    "Feedback comments",
]


@dataclass
class Export:
    text: str
    warnings: list[str] = field(default_factory=list)


def _points(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def export(
    gb: Gradebook,
    fmt: Format,
    exercises: list[str],
    *,
    include_provisional: bool = False,
    assignment_ids: dict[str, str] | None = None,
) -> Export:
    if not exercises:
        exercises = gb.find_exercise_ids()
    for ex in exercises:
        gb.find_exercise(ex)  # raises MissingEntry with the known ids
    return {"canvas": _canvas, "moodle": _moodle, "csv": _plain}[fmt](
        gb, exercises, include_provisional, assignment_ids or {}
    )


def _warn(gb: Gradebook, exercises: list[str], include_provisional: bool, lms: str | None) -> list[str]:
    warnings = []
    for ex in exercises:
        rows = gb.find_submissions(ex)
        review = [r.student for r in rows if r.status == "review"]
        if review:
            what = "exported with their provisional score" if include_provisional else "left blank"
            warnings.append(
                f"{ex}: {len(review)} submission(s) need review and were {what}: "
                f"{', '.join(review)}. See `courseware regrade --help`."
            )
        pending = sum(s.status == "pending" for r in rows for s in gb.find_scores(ex, r.student))
        if pending:
            warnings.append(
                f"{ex}: {pending} written answer(s) are not marked yet and count as 0. "
                "Mark them in instructor/grade_written.ipynb."
            )
        if lms:
            other = [r.student for r in rows if r.lms != lms]
            if other:
                warnings.append(
                    f"{ex}: {len(other)} submission(s) did not come from a {lms} download, so "
                    f"their id is a file name {lms} will not recognise: {', '.join(other[:5])}"
                )
    return warnings


def _canvas(gb: Gradebook, exercises: list[str], provisional: bool, ids: dict[str, str]) -> Export:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    titles = []
    for ex in exercises:
        title = gb.find_exercise(ex)["title"].replace(",", " ")
        titles.append(f"{title} ({ids[ex]})" if ex in ids else title)
    w.writerow(CANVAS_FIXED + titles)
    maxima = []
    students: dict[str, str] = {}
    grades: dict[tuple[str, str], str] = {}
    for ex in exercises:
        rows = gb.find_submissions(ex)
        maxima.append(_points(max((r.max_total for r in rows), default=0)))
        for r in rows:
            students.setdefault(r.student, r.name)
            grades[(r.student, ex)] = _points(r.total) if (r.status == "graded" or provisional) else ""
    w.writerow(["    Points Possible", "", "", "", ""] + maxima)
    for student, name in sorted(students.items()):
        w.writerow([name, student, "", "", ""] + [grades.get((student, ex), "") for ex in exercises])
    return Export(buf.getvalue(), _warn(gb, exercises, provisional, "canvas"))


def _moodle(gb: Gradebook, exercises: list[str], provisional: bool, ids: dict[str, str]) -> Export:
    if len(exercises) != 1:
        raise ValueError(
            f"a Moodle grading worksheet holds one assignment; give one --exercise "
            f"(graded here: {', '.join(exercises)})"
        )
    ex = exercises[0]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    w.writerow(MOODLE_COLUMNS)
    for r in gb.find_submissions(ex):
        grade = _points(r.total) if (r.status == "graded" or provisional) else ""
        status = "Submitted for grading" + (" - needs review" if r.status == "review" else "")
        w.writerow(
            [f"Participant {r.student}", r.name, "", status, grade, _points(r.max_total), "Yes", "", "", ""]
        )
    return Export(buf.getvalue(), _warn(gb, exercises, provisional, "moodle"))


def _plain(gb: Gradebook, exercises: list[str], provisional: bool, ids: dict[str, str]) -> Export:
    items: list[str] = []
    for ex in exercises:
        items += [i["id"] for i in gb.find_exercise(ex)["items"] if i["id"] not in items]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["student", "name", "exercise", "status", "total", "max_total", *items, "reasons"])
    for ex in exercises:
        for r in gb.find_submissions(ex):
            pts = {
                s.item: _points(s.points) if s.status != "pending" else "pending"
                for s in gb.find_scores(ex, r.student)
            }
            w.writerow(
                [
                    r.student,
                    r.name,
                    ex,
                    r.status,
                    _points(r.total),
                    _points(r.max_total),
                    *[pts.get(i, "") for i in items],
                    " | ".join(r.reasons),
                ]
            )
    return Export(buf.getvalue(), _warn(gb, exercises, provisional, None))
