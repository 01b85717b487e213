"""`check("soviets_q3")`: immediate feedback in the student's notebook.

The answer is read from IPython's user namespace (`get_ipython().user_ns`), never from stack frames.
The item's public spec (`exercises/checks/<exercise>.json`, written by `courseware exercises`) says
what shape the answer takes. For a graded item the check says only whether the answer is present and
well-formed: it knows no key. For a practice item it says whether the answer is right, and why.

>>> check("soviets_q1", namespace={}).status
'missing'
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from . import runs
from .answers import PublicItem, PublicSpec, is_blank, plain, shape_answer
from .paths import PACKAGE, ROOT
from .runs import start

__all__ = ["CheckResult", "Summary", "check", "check_all", "hand_in", "require_all", "start"]

Status = Literal["missing", "malformed", "ready", "right", "wrong", "unknown", "error", "stale"]

_ITEM_ID = re.compile(r"^(?P<exercise>[a-z0-9-]+)_q\d+$")
_MISSING = object()
_SYMBOL = {
    "ready": "✓",
    "right": "✓",
    "wrong": "✗",
    "missing": "…",
    "malformed": "!",
    "unknown": "?",
    "error": "!",
    "stale": "⟳",
}
_COLOUR = {
    "ready": "#1a7f37",
    "right": "#1a7f37",
    "wrong": "#b42318",
    "missing": "#6e5d00",
    "malformed": "#b42318",
    "unknown": "#b42318",
    "error": "#b42318",
    "stale": "#b42318",
}


@dataclass(frozen=True, repr=False)
class CheckResult:
    """What `check` found. `ok` is True when the answer is well-formed (graded) or right (practice)."""

    item: str
    status: Status
    message: str
    detail: str = ""
    graded: bool = True

    @property
    def ok(self) -> bool:
        return self.status in ("ready", "right")

    def __str__(self) -> str:
        text = f"{_SYMBOL[self.status]} {self.item}: {self.message}"
        return f"{text}\n  {self.detail}" if self.detail else text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = _COLOUR[self.status]
        detail = f"<br><span>{html.escape(self.detail)}</span>" if self.detail else ""
        return (
            f'<div class="courseware-check courseware-check-{self.status}" '
            f'style="border-left:4px solid {colour};padding:0.3em 0.8em;margin:0.3em 0">'
            f"<strong>{_SYMBOL[self.status]} {html.escape(self.item)}</strong>: "
            f"{html.escape(self.message)}{detail}</div>"
        )


# ---- finding the public specs ---------------------------------------------------------------------


def spec_dirs() -> list[Path]:
    """Where specs are looked for, in order: $COURSEWARE_CHECKS, next to the package (a clone or the
    student edition), then relative to the working directory (a notebook in exercises/)."""
    dirs = []
    if os.environ.get("COURSEWARE_CHECKS"):
        dirs.append(Path(os.environ["COURSEWARE_CHECKS"]))
    dirs.append(ROOT / "exercises" / "checks")
    dirs.append(PACKAGE / "public" / "checks")  # the installed wheel's copy
    cwd = Path.cwd()
    dirs += [cwd / "checks", cwd / "exercises" / "checks"]
    return dirs


def load_spec(exercise_id: str) -> PublicSpec | None:
    for folder in spec_dirs():
        path = folder / f"{exercise_id}.json"
        if path.is_file():
            return PublicSpec.model_validate_json(path.read_text(encoding="utf-8"))
    return None


def _known_exercises() -> list[str]:
    return sorted({p.stem for d in spec_dirs() if d.is_dir() for p in d.glob("*.json")})


# ---- the shape of an answer: the rules live in `courseware.answers`, shared with the grader ----------


# ---- practice items: right or wrong, and why ------------------------------------------------------


def _practice(item_id: str, answer: Any, spec: PublicItem) -> CheckResult:
    key, feedback, shape = spec.key, spec.feedback or {}, spec.shape
    if shape == "number":
        right = abs(answer - float(key)) <= float(spec.tolerance or 0.0) + 1e-9
    else:
        right = answer == key
    if right:
        why = feedback.get(answer) if shape == "option" else None
        return CheckResult(item_id, "right", "Right.", why or feedback.get("right", ""), graded=False)
    if shape == "option":
        why = feedback.get(answer) or feedback.get("wrong", "")
    elif shape == "matching":
        wrong = [k for k in spec.left or [] if answer.get(k) != key.get(k)]
        notes = [f"{k}: {feedback[k]}" for k in wrong if k in feedback]
        why = " ".join(
            [f"{len(wrong)} of {len(key)} matches are not right.", *notes, feedback.get("wrong", "")]
        ).strip()
    else:
        why = feedback.get("wrong", "")
    return CheckResult(item_id, "wrong", "Not right yet: try again.", why, graded=False)


# ---- the entry point ------------------------------------------------------------------------------


def _user_namespace() -> dict | None:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return None if shell is None else shell.user_ns


def check(item_id: str, namespace: dict | None = None) -> CheckResult:
    """Check the answer to `item_id` in the notebook, e.g. `check("soviets_q3")`.

    `namespace` replaces the notebook's namespace (for scripts and tests)."""
    m = _ITEM_ID.match(item_id) if isinstance(item_id, str) else None
    if m is None:
        return CheckResult(
            str(item_id),
            "unknown",
            'An item id looks like "soviets_q3": the exercise, "_q" and a number. '
            "Copy it from the question's heading.",
        )
    exercise = m["exercise"]
    spec = load_spec(exercise)
    if spec is None:
        known = _known_exercises()
        return CheckResult(
            item_id,
            "unknown",
            f'There is no exercise "{exercise}".',
            f"Known exercises: {', '.join(known)}."
            if known
            else "No check specs were found: open this notebook from the course's exercises/ folder.",
        )
    item = spec.item(item_id)
    if item is None:
        return CheckResult(
            item_id,
            "unknown",
            f'Exercise "{exercise}" has no item "{item_id}".',
            f"Valid ids: {', '.join(i.id for i in spec.items)}.",
        )
    ns = namespace if namespace is not None else _user_namespace()
    if ns is None:
        return CheckResult(
            item_id,
            "error",
            "check() reads your answers from the notebook: run it in Jupyter, after the answer cell.",
            graded=item.graded,
        )
    value = ns.get(item.variable, _MISSING)
    stale = runs.stale_answer(item.variable, item.id) if namespace is None else None
    blank = value is _MISSING or is_blank(value)
    if stale is not None and not blank:
        return CheckResult(item_id, "stale", stale.message, stale.detail, graded=item.graded)
    if blank:
        return CheckResult(
            item_id,
            "missing",
            f"No answer yet. Set `{item.variable}` in the cell "
            "above, run that cell, then run this check again.",
            stale.detail if stale else "",
            graded=item.graded,
        )
    shaped = shape_answer(item, plain(value))  # the grader's own rules, on what the grader receives
    if not shaped.ok:
        return CheckResult(
            item_id,
            "malformed",
            "Your answer does not have the expected form.",
            shaped.problem,
            graded=item.graded,
        )
    if item.graded:
        return CheckResult(item_id, "ready", "Well-formed; it will be graded later.", shaped.note)
    return _practice(item_id, shaped.value, item)


_TO_FIX = {
    "malformed": "not the expected form",
    "stale": "its cell failed or changed: run it again",
    "unknown": "not found",
    "error": "not run in Jupyter",
}


class Summary(list):
    """`check_all`'s answer: every item's `CheckResult`, in order, and what they add up to."""

    def __init__(self, exercise: str, results: list[CheckResult], points: dict[str, float]) -> None:
        super().__init__(results)
        self.exercise = exercise
        self.points = points  # item id -> points, graded items only

    @property
    def answered(self) -> list[str]:
        return [r.item for r in self if r.status not in ("missing", "unknown", "error")]

    @property
    def missing(self) -> list[str]:
        return [r.item for r in self if r.status == "missing"]

    @property
    def to_fix(self) -> list[CheckResult]:
        return [r for r in self if r.status in ("malformed", "stale", "unknown", "error")]

    @property
    def points_ready(self) -> float:
        return sum(p for item, p in self.points.items() if any(r.item == item and r.ok for r in self))

    @property
    def points_possible(self) -> float:
        return sum(self.points.values())

    def headline(self) -> str:
        return (
            f"{self.exercise}: {len(self.answered)} of {len(self)} questions answered; "
            f"{self.points_ready:g} of {self.points_possible:g} points ready to hand in."
        )

    def __str__(self) -> str:
        lines = [self.headline()]
        if self.missing:
            lines.append("  Missing: " + ", ".join(self.missing) + ".")
        if self.to_fix:
            fix = ", ".join(f"{r.item} ({_TO_FIX[r.status]})" for r in self.to_fix)
            lines.append(f"  To fix: {fix}.")
        return "\n".join(lines + [str(r) for r in self])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        head = f"<p><strong>{html.escape(self.headline())}</strong></p>"
        if self.missing:
            head += f"<p>Missing: {html.escape(', '.join(self.missing))}.</p>"
        return f'<div class="courseware-check-all">{head}{"".join(r._repr_html_() for r in self)}</div>'


def check_all(exercise_id: str | None = None, namespace: dict | None = None) -> Summary:
    """`check` every item of an exercise, in order, and sum up: what is answered, what is missing,
    and the points of the graded answers that are well-formed, of the points possible. In an
    exercise notebook the exercise is the one its setup cell started."""
    exercise_id = exercise_id or runs.current_exercise()
    if exercise_id is None:
        return Summary(
            "?",
            [
                CheckResult(
                    "?",
                    "unknown",
                    'Which exercise? Run the setup cell first, or name it: check_all("soviets").',
                )
            ],
            {},
        )
    spec = load_spec(exercise_id)
    if spec is None:
        return Summary(exercise_id, [check(f"{exercise_id}_q0", namespace)], {})
    points = {i.id: float(i.points) for i in spec.items if i.graded}
    return Summary(exercise_id, [check(i.id, namespace) for i in spec.items], points)


def hand_in(student: str = "", notebook: str | Path | None = None):
    """Hand the exercise in: see `courseware.handin.hand_in`."""
    from .handin import hand_in as _hand_in

    return _hand_in(student, notebook)


def require_all(exercise_id: str, namespace: dict | None = None) -> list[CheckResult]:
    """Raise AssertionError unless every item is well-formed (graded) or right (practice)."""
    results = check_all(exercise_id, namespace)
    failed = [r for r in results if not r.ok]
    if failed:
        raise AssertionError(
            f"{len(failed)} of {len(results)} checks did not pass:\n" + "\n".join(str(r) for r in failed)
        )
    return results
