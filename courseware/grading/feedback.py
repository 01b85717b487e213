"""Per-student feedback as a self-contained HTML page: scores per item, the public check's verdict,
rubric marks and comments.

What it never shows: hidden tests, the keys of graded items, the instructor-only notes of the
judge, what the sandbox refused, or any output of the grading run. It is built only from the
student's own answers, the item prompts, the judge's student-safe `detail` line, and the rubric
marking. A submission under review says so, with the reason when the reason concerns the
student's file itself (unreadable, too slow, crashed), and a neutral line otherwise.
"""

from __future__ import annotations

import hashlib
import html
import json
from typing import Any

from ..items import Exercise
from .deadlines import lateness_html
from .gradebook import Gradebook, Lateness, SubmissionRow
from .judge import ItemScore, RubricMark

STYLE = """body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;vertical-align:top;text-align:left}
.review{background:#fff4d6;padding:.6rem;border-left:4px solid #d9a300}pre{white-space:pre-wrap;margin:0}
.pts{white-space:nowrap}.met{color:#1a7f37}.unmet{color:#888}.late{color:#9a3412}"""


def student_reason(row: SubmissionRow) -> str:
    """A line about why the submission is under review that is safe to show its author."""
    if row.run.problem:
        return f"The grader could not use your notebook as submitted: {row.run.problem}."
    if row.run.attempts:
        return "Your notebook did something the grader does not allow; your instructor will look at it."
    return "Your instructor is checking part of your notebook by hand."


def _answer(value: Any) -> str:
    if value is None:
        return "<em>no answer</em>"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)
    if len(text) > 3000:
        text = text[:3000] + " …"
    return f"<pre>{html.escape(text)}</pre>"


def render(
    exercise: Exercise,
    row: SubmissionRow,
    scores: list[ItemScore],
    marks: dict[str, RubricMark],
    late: Lateness | None = None,
) -> str:
    by_item = {s.item: s for s in scores}
    e = html.escape
    parts = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(exercise.title)}: "
        f"feedback</title><style>{STYLE}</style></head><body>",
        f"<h1>{e(exercise.title)}</h1><p>Feedback for <strong>{e(row.name)}</strong> "
        f"(file <code>{e(row.filename.rsplit('/', 1)[-1])}</code>).</p>",
    ]
    if row.status == "review":
        parts.append(
            f"<p class='review'>This submission is under review; the score below is provisional. "
            f"{e(student_reason(row))}</p>"
        )
    parts.append(f"<p>Score: <strong>{row.total:g} / {row.max_total:g}</strong></p>")
    parts.append(lateness_html(late))  # "" when the exercise has no deadline
    parts.append("<table><tr><th>Question</th><th>Your answer</th><th>Points</th><th>Check</th></tr>")
    answers = row.answers or {}
    for item in exercise.items:
        s = by_item.get(item.id)
        if s is None:
            continue
        pts = f"{s.points:g} / {s.max_points:g}" if item.graded else "practice"
        cell = e(s.detail)
        mark = marks.get(item.id)
        if item.kind == "written" and mark is not None:
            lines = [
                f"<li class='{'met' if c.id in mark.criteria else 'unmet'}'>"
                f"{'✓' if c.id in mark.criteria else '·'} {e(c.text)} ({c.points:g})</li>"
                for c in item.rubric
            ]
            cell += "<ul>" + "".join(lines) + "</ul>"
            if mark.comment:
                cell += f"<p><em>Comment:</em> {e(mark.comment)}</p>"
        parts.append(
            f"<tr><td><strong>{e(item.id)}</strong><br>{e(item.prompt)}</td>"
            f"<td>{_answer(answers.get(item.variable))}</td><td class='pts'>{pts}</td>"
            f"<td>{cell}</td></tr>"
        )
    parts.append("</table>")
    errors = row.run.errors
    if errors:
        parts.append(
            "<h2>Errors in your notebook</h2><ul>"
            + "".join(f"<li>cell {x.cell}: <code>{e(x.message[:200])}</code></li>" for x in errors[:20])
            + "</ul><p>Cells are run in order; a cell that raises an error does not stop the ones "
            "after it.</p>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def page_names(students: list[str]) -> dict[str, str]:
    """Student id → a file name for the student's page: the id itself when it is a short, plain
    name; otherwise a cleaned, shortened id and a hash of the whole id, so that two ids never share
    a page ("a b" and "a_b") and no name is too long for the file system (a 300-character zip entry).

    >>> page_names(["alice", "a b", "a_b"])
    {'alice': 'alice.html', 'a b': 'a_b-c8687a08.html', 'a_b': 'a_b.html'}
    """

    def plain(s: str) -> bool:
        return (
            0 < len(s) <= 80
            and not s.startswith(".")
            and all(c.isascii() and (c.isalnum() or c in "-_.") for c in s)
        )

    names: dict[str, str] = {}
    for student in students:
        if plain(student):
            names[student] = f"{student}.html"
        else:
            cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in student)[:60]
            digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:8]
            names[student] = f"{cleaned.strip('_') or 'student'}-{digest}.html"
    taken: dict[str, str] = {}
    for student, name in names.items():  # a plain id that happens to look like a hashed one
        if name.lower() in taken:
            digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:16]
            names[student] = f"student-{digest}.html"
        taken[names[student].lower()] = student
    return names


def feedback_pages(gb: Gradebook, exercise_id: str) -> dict[str, str]:
    """Student id → HTML page, for every submission of the exercise in the gradebook."""
    exercise = Exercise.model_validate(gb.find_exercise(exercise_id))
    marks = gb.find_marks(exercise_id)
    lateness = gb.find_lateness(exercise_id)
    pages = {}
    for row in gb.find_submissions(exercise_id):
        mine = {item: m for (s, item), m in marks.items() if s == row.student}
        pages[row.student] = render(
            exercise, row, gb.find_scores(exercise_id, row.student), mine, lateness.get(row.student)
        )
    return pages
