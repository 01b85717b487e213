"""Pure judging: a submission's answers (plain data) + the exercise's keys → an `ItemScore` per item id.

No I/O and no student code: answers arrive as JSON data from the sandbox, so an object that claims
to equal everything never gets here (`worker.to_plain` turns it into an "unsupported" marker).

Rules, per kind:

- every answer is first shaped by `courseware.answers`, the rules the student's `check` applies: a
  malformed answer scores 0 and its detail starts with `answers.MALFORMED`.
- choice, attribution: the option id, compared after trimming spaces and ignoring case. All or nothing.
- number: an int or float (not a bool, not text) within the item's `tolerance` of the key. All or nothing.
- ordering (partial credit): the answer must list each id of the item once; the credit is the share of
  pairs of ids that are in the key's relative order (Kendall's concordant pairs). A fully reversed
  order scores 0; one adjacent swap among four ids scores 5/6 of the points.
- matching (partial credit): a dict from each left-hand id to an option id; the credit is the share of
  left-hand ids matched as in the key. A value that is not an option id makes the answer
  malformed; keys that are not left-hand ids are ignored; left-hand ids left out score nothing.
- written: pending until marked with the rubric; then the points of the criteria met (or the points
  the instructor set), never more than the item's points.
- hidden tests: Python expressions over `answer`, evaluated here on the plain data after the key
  rule. If any is false or raises, the item scores 0. The student is told only that the answer did
  not pass the grader's tests; the instructor sees which one.
- practice items (`graded: false`) are judged but count for nothing.

Points are rounded to 2 decimals. `judge_submission` adds the submission-level rules: a notebook that
could not be read or run scores 0; one that tried to reach files, programs or processes outside its
sandbox gets a provisional 0 (its computed score is kept for the instructor); either is marked for
review with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..answers import MALFORMED, is_blank, shape_answer
from ..answers import unreadable as invalid_reason
from ..items import Exercise, Item

ItemStatus = Literal["correct", "partial", "wrong", "unanswered", "invalid", "pending", "marked"]
SAFE_BUILTINS = {
    f.__name__: f
    for f in (
        abs,
        all,
        any,
        bool,
        dict,
        float,
        int,
        isinstance,
        len,
        list,
        max,
        min,
        round,
        set,
        sorted,
        str,
        sum,
        tuple,
        zip,
    )
}


@dataclass
class ItemScore:
    item: str
    status: ItemStatus
    points: float
    max_points: float  # 0 for practice items
    detail: str  # safe to show the student: never the key, never a hidden test
    note: str = ""  # for the instructor only


@dataclass
class RubricMark:
    criteria: list[str]  # ids of the criteria met
    points: float | None = None  # set by the instructor to override the criteria's sum
    comment: str = ""


@dataclass
class Outcome:
    status: Literal["graded", "review"]
    scores: list[ItemScore]
    reasons: list[str] = field(default_factory=list)  # why it needs review
    notes: list[str] = field(default_factory=list)  # worth knowing, no review needed
    computed: float = 0.0  # the score the answers earn, before any provisional zero

    @property
    def total(self) -> float:
        return round(sum(s.points for s in self.scores), 2)

    @property
    def max_total(self) -> float:
        return round(sum(s.max_points for s in self.scores), 2)

    @property
    def pending(self) -> list[str]:
        return [s.item for s in self.scores if s.status == "pending"]


MISSING = object()


def judge_item(item: Item, answer: Any = MISSING, mark: RubricMark | None = None) -> ItemScore:
    """One item's score. `answer` is plain data, or MISSING when the variable was not set.

    >>> from courseware.items import Item
    >>> it = Item(id="x_q1", kind="choice", skill="sourcing", points=2, prompt="?", variable="a",
    ...           options={"a": "A", "b": "B"}, solution="a = 'b'", key="b")
    >>> judge_item(it, " B ").points, judge_item(it, "a").status
    (2.0, 'wrong')
    """
    max_points = float(item.points) if item.graded else 0.0
    score = _judge(item, answer, mark)
    score.max_points = max_points
    if item.kind != "written" and score.status in ("correct", "partial") and item.hidden_tests:
        failed = _hidden_failure(item, answer)
        if failed:
            score.status, score.points = "wrong", 0.0
            score.detail = "The answer did not pass the grader's tests."
            score.note = f"hidden test failed: {failed}"
    score.points = round(min(score.points, float(item.points)), 2) if item.graded else 0.0
    return score


def _judge(item: Item, answer: Any, mark: RubricMark | None) -> ItemScore:
    pts = float(item.points)
    if item.kind == "written":
        return _written(item, answer, mark)
    if answer is MISSING:
        return ItemScore(
            item.id, "unanswered", 0.0, pts, f"No answer: `{item.variable}` is not set in the notebook."
        )
    if is_blank(answer):
        return ItemScore(item.id, "unanswered", 0.0, pts, f"No answer: `{item.variable}` is still None.")
    bad = invalid_reason(answer)
    if bad:
        return ItemScore(item.id, "invalid", 0.0, pts, f"The answer could not be read as plain data: {bad}.")
    # the shape rules the student's `check` applies (courseware.answers): one verdict for both
    shaped = shape_answer(item.public(), answer)
    if not shaped.ok:
        return ItemScore(item.id, "wrong", 0.0, pts, MALFORMED + shaped.problem)
    return {
        "choice": _choice,
        "attribution": _choice,
        "number": _number,
        "ordering": _ordering,
        "matching": _matching,
    }[item.kind](item, shaped.value)


def _choice(item: Item, answer: str) -> ItemScore:
    pts = float(item.points)
    if answer == item.key:
        return ItemScore(item.id, "correct", pts, pts, "Correct.")
    return ItemScore(item.id, "wrong", 0.0, pts, "Not the expected option.")


def _number(item: Item, answer: float) -> ItemScore:
    pts = float(item.points)
    key = float(item.key)
    if abs(answer - key) <= item.tolerance + 1e-9 * max(1.0, abs(key)):
        return ItemScore(item.id, "correct", pts, pts, "Correct.")
    return ItemScore(item.id, "wrong", 0.0, pts, "Not the expected value.")


def ordering_credit(answer: Sequence[str], key: Sequence[str]) -> float:
    """Share of pairs in the key's relative order.

    >>> ordering_credit(list("abcd"), list("abcd")), ordering_credit(list("dcba"), list("abcd"))
    (1.0, 0.0)
    >>> round(ordering_credit(list("bacd"), list("abcd")), 3)
    0.833
    """
    pos = {v: i for i, v in enumerate(answer)}
    pairs = [(key[i], key[j]) for i in range(len(key)) for j in range(i + 1, len(key))]
    if not pairs:
        return 1.0
    return sum(pos[a] < pos[b] for a, b in pairs) / len(pairs)


def _ordering(item: Item, answer: list[str]) -> ItemScore:
    pts = float(item.points)
    key = [str(k) for k in item.key]
    credit = ordering_credit(answer, key)
    status: ItemStatus = "correct" if credit == 1 else "partial" if credit > 0 else "wrong"
    right = round(credit * len(key) * (len(key) - 1) / 2)
    total = len(key) * (len(key) - 1) // 2
    return ItemScore(item.id, status, pts * credit, pts, f"{right} of {total} pairs in the right order.")


def _matching(item: Item, answer: dict[str, str]) -> ItemScore:
    pts = float(item.points)
    key: Mapping[str, Any] = item.key
    right = sum(answer.get(k) == v for k, v in key.items())
    credit = right / len(key)
    status: ItemStatus = "correct" if credit == 1 else "partial" if credit > 0 else "wrong"
    return ItemScore(item.id, status, pts * credit, pts, f"{right} of {len(key)} matched correctly.")


def _written(item: Item, answer: Any, mark: RubricMark | None) -> ItemScore:
    pts = float(item.points)
    if mark is None:
        if answer is MISSING or answer is None or (isinstance(answer, str) and not answer.strip()):
            return ItemScore(
                item.id, "pending", 0.0, pts, "No answer given; awaiting the instructor's marking."
            )
        shaped = shape_answer(item.public(), answer)
        shape = "" if shaped.ok else MALFORMED + shaped.problem + " "
        wait = "Awaiting the instructor's marking with the rubric."
        return ItemScore(item.id, "pending", 0.0, pts, shape + wait)
    earned = sum(c.points for c in item.rubric if c.id in mark.criteria)
    points = earned if mark.points is None else max(0.0, min(float(mark.points), pts))
    met = [c.id for c in item.rubric if c.id in mark.criteria]
    return ItemScore(
        item.id,
        "marked",
        points,
        pts,
        f"Marked with the rubric: {len(met)} of {len(item.rubric)} criteria met.",
    )


def _hidden_failure(item: Item, answer: Any) -> str | None:
    for expr in item.hidden_tests:
        try:
            ok = eval(
                compile(expr, f"<hidden test of {item.id}>", "eval"),  # noqa: S307 (instructor's own)
                {"__builtins__": SAFE_BUILTINS},
                {"answer": answer},
            )
        except Exception as e:
            return f"{expr}  (raised {type(e).__name__}: {e})"
        if not ok:
            return expr
    return None


def judge_submission(
    exercise: Exercise,
    answers: Mapping[str, Any] | None,
    *,
    problem: str | None = None,
    attempts: Sequence[str] = (),
    answer_cells: Mapping[str, bool] | None = None,
    marks: Mapping[str, RubricMark] | None = None,
) -> Outcome:
    """A whole submission. `answers` maps variable → plain data (None: the notebook never finished);
    `problem` says why it could not be read or run; `attempts` lists what the sandbox refused;
    `answer_cells` says, per item id, whether the notebook still has that item's answer cell."""
    marks = marks or {}
    reasons: list[str] = []
    notes: list[str] = []
    if problem:
        reasons.append(problem)
    scores = []
    for item in exercise.items:
        value = MISSING if answers is None or item.variable not in answers else answers[item.variable]
        s = judge_item(item, value, marks.get(item.id))
        scores.append(s)
        if s.status == "invalid":
            reasons.append(f"{item.id}: {s.detail}")
        elif (
            answers is not None
            and value is MISSING
            and item.kind != "written"
            and (answer_cells or {}).get(item.id)
        ):
            reasons.append(
                f"{item.id}: the answer cell is there but does not set `{item.variable}` "
                "(renamed?); check the notebook"
            )
    computed = round(sum(s.points for s in scores), 2)
    if attempts:
        reasons.append(
            "tried to "
            + "; ".join(dict.fromkeys(attempts))
            + f" (refused by the sandbox). Provisional 0; the answers would score {computed:g}"
        )
        for s in scores:
            s.points, s.note = 0.0, (s.note + " provisional 0 pending review").strip()
    return Outcome("review" if reasons else "graded", scores, reasons, notes, computed)
