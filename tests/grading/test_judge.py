"""The judge: plain answers + keys → item scores, partial credit, hidden tests, submission rules."""

from __future__ import annotations

import kit
import pytest

from courseware.grading.judge import MISSING, RubricMark, judge_item, judge_submission, ordering_credit

EX = kit.fixture_exercise()
ITEM = {i.id: i for i in EX.items}
SOLVED = {
    "q1_year_choice": "b",
    "q2_reading": "state-capitalist",
    "q3_order": ["feb", "oct", "kron", "nep"],
    "q4_match": {
        "callinicos-1977": "sc",
        "icf-98-2017": "dws",
        "anarchist-essay": "an",
        "hampton-awl": "brc",
    },
    "q5_delegates": 1429,
    "q6_essay": "An essay.",
    "q7_practice": "a",
}


@pytest.mark.parametrize(
    "item, answer, points, status",
    [
        ("soviets_q1", "b", 1, "correct"),
        ("soviets_q1", " B ", 1, "correct"),
        ("soviets_q1", "c", 0, "wrong"),
        ("soviets_q1", "z", 0, "wrong"),
        ("soviets_q1", ["b"], 0, "wrong"),
        ("soviets_q1", None, 0, "unanswered"),
        ("soviets_q1", MISSING, 0, "unanswered"),
        ("soviets_q5", 1429.0, 2, "correct"),
        ("soviets_q5", 1429.4, 0, "wrong"),  # within the tolerance, but fails a hidden test
        ("soviets_q5", 1430, 0, "wrong"),
        ("soviets_q5", "1429", 0, "wrong"),
        ("soviets_q5", True, 0, "wrong"),
        ("soviets_q5", float("nan"), 0, "wrong"),
        ("soviets_q3", ["feb", "oct", "kron", "nep"], 3, "correct"),
        ("soviets_q3", ["oct", "feb", "kron", "nep"], 2.5, "partial"),
        ("soviets_q3", ["nep", "kron", "oct", "feb"], 0, "wrong"),
        ("soviets_q3", ["feb", "oct", "kron"], 0, "wrong"),
        ("soviets_q3", ["feb", "feb", "kron", "nep"], 0, "wrong"),
        ("soviets_q4", SOLVED["q4_match"], 4, "correct"),
        ("soviets_q4", {"callinicos-1977": "sc", "icf-98-2017": "sc"}, 1, "partial"),
        (
            "soviets_q4",
            {
                "callinicos-1977": "sc",
                "icf-98-2017": "dws",
                "anarchist-essay": "an",
                "hampton-awl": "brc",
                "extra": "sc",
            },
            4,
            "correct",
        ),
        ("soviets_q4", [["callinicos-1977", "sc"]], 0, "wrong"),
        ("soviets_q1", {"__unsupported__": "Anything"}, 0, "invalid"),
        ("soviets_q3", [{"__too_large__": "1 GB"}], 0, "invalid"),
    ],
)
def test_kinds_and_partial_credit(item, answer, points, status):
    s = judge_item(ITEM[item], answer)
    assert (s.points, s.status) == (points, status)


def test_ordering_credit_is_the_share_of_pairs_in_order():
    assert ordering_credit(list("abcd"), list("abcd")) == 1
    assert ordering_credit(list("dcba"), list("abcd")) == 0
    assert ordering_credit(list("acbd"), list("abcd")) == 5 / 6


def test_a_failing_hidden_test_scores_zero_and_only_the_note_names_it():
    # 1429.4 is within the tolerance (0.5) but fails the hidden test "answer == round(answer)"
    s = judge_item(ITEM["soviets_q5"], 1429.4)
    assert (s.points, s.status) == (0, "wrong")
    assert s.detail == "The answer did not pass the grader's tests."
    assert s.note == "hidden test failed: answer == round(answer)"


def test_practice_items_count_for_nothing():
    s = judge_item(ITEM["soviets_q7"], "a")
    assert (s.points, s.max_points, s.status) == (0, 0, "correct")


def test_written_items_wait_for_the_rubric_then_score_the_criteria_met():
    assert judge_item(ITEM["soviets_q6"], "An essay.").status == "pending"
    s = judge_item(ITEM["soviets_q6"], "An essay.", RubricMark(["cites"], comment="Good."))
    assert (s.points, s.status) == (2, "marked")
    assert judge_item(ITEM["soviets_q6"], "x", RubricMark(["cites"], points=3.5)).points == 3.5
    assert judge_item(ITEM["soviets_q6"], "x", RubricMark([], points=99)).points == 4


def test_a_solved_submission_scores_every_automatic_point():
    o = judge_submission(EX, SOLVED)
    assert (o.status, o.total, o.max_total, o.pending) == ("graded", kit.FULL_AUTO, 16, ["soviets_q6"])


def test_an_unreadable_or_unfinished_submission_is_zero_for_review():
    o = judge_submission(EX, None, problem="not valid JSON")
    assert (o.status, o.total, o.reasons) == ("review", 0, ["not valid JSON"])


def test_attempts_give_a_provisional_zero_and_keep_the_computed_score():
    o = judge_submission(EX, SOLVED, attempts=["open /secret/gradebook.db"])
    assert (o.status, o.total, o.computed) == ("review", 0, kit.FULL_AUTO)
    assert "open /secret/gradebook.db" in o.reasons[0]


def test_a_renamed_answer_variable_is_flagged():
    answers = {k: v for k, v in SOLVED.items() if k != "q1_year_choice"}
    o = judge_submission(EX, answers, answer_cells={"soviets_q1": True})
    assert o.status == "review" and "renamed" in o.reasons[0]
    assert judge_submission(EX, answers, answer_cells={}).status == "graded"  # a deleted cell is no reason
