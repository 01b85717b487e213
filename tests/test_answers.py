"""One table of answers, run through the student's `check` and the grader's `judge`: they must agree.

Each answer is checked as the student's notebook holds it, and judged as the grader receives it: made
plain data by the sandbox's conversion and carried as JSON. The verdicts (missing, malformed,
well-formed) must be the same, and each must be the one the table expects.
"""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from courseware.answers import MALFORMED, PublicSpec, shape_answer
from courseware.authoring import dumps_spec, public_spec
from courseware.checks import check
from courseware.grading.judge import MISSING, judge_item
from courseware.grading.worker import to_plain
from courseware.items import Exercise

RUBRIC = [{"id": "r", "points": 2, "text": "Cites the texts."}]


def _item(n: int, kind: str, **fields) -> dict:
    return {
        "id": f"table_q{n}",
        "kind": kind,
        "skill": "close-reading",
        "points": 2,
        "prompt": "?",
        "variable": f"q{n}",
        "solution": f"q{n} = ...",
        **fields,
    }


TABLE_EXERCISE = Exercise.model_validate(
    {
        "id": "table",
        "title": "Answer table",
        "theme": "soviets",
        "intro": "Shapes.",
        "items": [
            _item(1, "choice", options={"a": "A", "b": "B"}, key="b"),
            _item(2, "ordering", left={"b": "B", "a": "A", "c": "C"}, key=["a", "b", "c"]),
            _item(
                3,
                "matching",
                left={"x": "X", "y": "Y"},
                options={"p": "P", "q": "Q"},
                key={"x": "p", "y": "q"},
            ),
            _item(4, "number", key=31.8, tolerance=0.1),
            _item(5, "written", min_words=5, rubric=RUBRIC),
        ],
    }
)


class Liar(str):
    """A string that claims to equal anything."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = str.__hash__


OK, MALFORMED_, MISSING_ = "well-formed", "malformed", "missing"

# (item number, the answer as the notebook holds it, the verdict both must give)
TABLE = [
    (1, "b", OK),
    (1, " B ", OK),
    (1, "B", OK),
    (1, "\tb\n", OK),
    (1, np.str_("b"), OK),
    (1, "c", MALFORMED_),
    (1, "option b", MALFORMED_),
    (1, 1, MALFORMED_),
    (1, True, MALFORMED_),
    (1, float("nan"), MALFORMED_),
    (1, ["b"], MALFORMED_),
    (1, {"b": "b"}, MALFORMED_),
    (1, Liar("b"), MALFORMED_),
    (1, "", MISSING_),
    (1, "   ", MISSING_),
    (1, None, MISSING_),
    (2, ["a", "b", "c"], OK),
    (2, ("c", "b", "a"), OK),
    (2, [" A ", "b", "C"], OK),
    (2, np.array(["b", "a", "c"]), OK),
    (2, ["a", "a", "c"], MALFORMED_),
    (2, ["a", "b"], MALFORMED_),
    (2, ["a", "b", "c", "d"], MALFORMED_),
    (2, "a, b, c", MALFORMED_),
    (2, [1, 2, 3], MALFORMED_),
    (2, [], MALFORMED_),
    (2, {"a": 1}, MALFORMED_),
    (2, None, MISSING_),
    (3, {"x": "p", "y": "q"}, OK),
    (3, {" X ": "P", "y": "q "}, OK),
    (3, {"x": "q", "y": "q"}, OK),
    (3, {"x": "p"}, OK),
    (3, {"x": "p", "y": "q", "w": "p"}, OK),
    (3, {"x": "p", "y": "r"}, MALFORMED_),
    (3, {"x": 1, "y": "q"}, MALFORMED_),
    (3, {"x": None}, MALFORMED_),
    (3, {}, MALFORMED_),
    (3, {1: "p"}, MALFORMED_),
    (3, [("x", "p")], MALFORMED_),
    (3, "x: p", MALFORMED_),
    (3, pd.Series({"x": "p", "y": "q"}), MALFORMED_),
    (4, 31.8, OK),
    (4, 7, OK),
    (4, -0.0, OK),
    (4, np.float64(31.8), OK),
    (4, np.int64(7), OK),
    (4, "31.8", MALFORMED_),
    (4, True, MALFORMED_),
    (4, float("nan"), MALFORMED_),
    (4, float("inf"), MALFORMED_),
    (4, np.float64("nan"), MALFORMED_),
    (4, [31.8], MALFORMED_),
    (4, np.array([31.8]), MALFORMED_),
    (4, pd.Series([31.8]), MALFORMED_),
    (4, pd.Series([1.0, 2.0]), MALFORMED_),
    (4, pd.DataFrame({"v": [31.8]}), MALFORMED_),
    (4, Decimal("31.8"), MALFORMED_),
    (4, 10**30, MALFORMED_),
    (4, None, MISSING_),
    (5, "one two three four five", OK),
    (5, "Too short.", MALFORMED_),
    (5, ["a", "list"], MALFORMED_),
    (5, 5, MALFORMED_),
    (5, "", MISSING_),
    (5, " \n ", MISSING_),
]


@pytest.fixture(autouse=True)
def table_spec(tmp_path, monkeypatch):
    (tmp_path / "table.json").write_text(dumps_spec(public_spec(TABLE_EXERCISE)), encoding="utf-8")
    monkeypatch.setenv("COURSEWARE_CHECKS", str(tmp_path))


def check_verdict(n: int, value: object) -> str:
    status = check(f"table_q{n}", namespace={f"q{n}": value}).status
    return {"ready": OK, "malformed": MALFORMED_, "missing": MISSING_}[status]


def judge_verdict(n: int, value: object) -> str:
    carried = json.loads(json.dumps(to_plain(value)))  # what leaves the sandbox
    score = judge_item(TABLE_EXERCISE.item(f"table_q{n}"), carried)
    if score.status in ("unanswered",) or (n == 5 and score.detail.startswith("No answer given")):
        return MISSING_
    if score.status == "invalid" or score.detail.startswith(MALFORMED):
        return MALFORMED_
    return OK


@pytest.mark.parametrize(
    ("n", "value", "verdict"), TABLE, ids=[f"q{n}-{i}" for i, (n, _, _) in enumerate(TABLE)]
)
def test_check_and_judge_give_the_table_verdict(n, value, verdict):
    assert (check_verdict(n, value), judge_verdict(n, value)) == (verdict, verdict)


def test_an_unset_variable_is_missing_for_both():
    assert check("table_q1", namespace={}).status == "missing"
    assert judge_item(TABLE_EXERCISE.item("table_q1"), MISSING).status == "unanswered"


def test_spaces_and_case_around_an_option_id_are_right_for_both():
    result = check("table_q1", namespace={"q1": " B "})
    assert result.status == "ready" and result.detail == ""
    score = judge_item(TABLE_EXERCISE.item("table_q1"), " B ")
    assert (score.status, score.points) == ("correct", 2.0)


def test_well_formed_answers_are_scored_on_their_normalised_value():
    item = TABLE_EXERCISE.item
    assert judge_item(item("table_q2"), [" A ", "b", "C"]).points == 2
    assert judge_item(item("table_q3"), {" X ": "P", "y": "q "}).points == 2
    assert judge_item(item("table_q3"), {"x": "p"}).status == "partial"
    assert judge_item(item("table_q4"), 31.85).points == 2


def test_a_malformed_answer_tells_both_the_same_thing():
    check_says = check("table_q2", namespace={"q2": ["a", "a", "c"]}).detail
    judge_says = judge_item(TABLE_EXERCISE.item("table_q2"), ["a", "a", "c"]).detail
    assert judge_says == MALFORMED + check_says
    assert 'listed more than once: "a"; missing: "b"' in check_says


def test_the_public_spec_is_typed_and_reads_back_the_same():
    spec = public_spec(TABLE_EXERCISE)
    again = PublicSpec.model_validate_json(spec.dumps())
    assert again == spec and again.item("table_q1").options == ["a", "b"]
    assert all(i.key is None for i in again.items)  # graded items: no key leaves the instructor
    assert shape_answer(again.item("table_q1"), "A").value == "a"


def test_every_solution_in_the_sources_is_well_formed_and_scores_full_marks():
    from courseware.grading.judge import judge_submission
    from courseware.items import load_exercises

    for ex in load_exercises():
        namespace: dict = {}
        exec(ex.setup, namespace)  # noqa: S102 (the instructor's own sources)
        for item in ex.items:
            exec(item.solution, namespace)  # noqa: S102
        answers = {i.variable: json.loads(json.dumps(to_plain(namespace[i.variable]))) for i in ex.items}
        outcome = judge_submission(ex, answers)
        auto = sum(i.points for i in ex.items if i.graded and i.kind != "written")
        assert outcome.total == auto, [s for s in outcome.scores if s.points < s.max_points]
        assert outcome.pending == [i.id for i in ex.items if i.kind == "written"]
