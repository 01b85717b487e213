"""Feedback pages: scores, the student's own answers and rubric comments; never hidden tests or keys."""

from __future__ import annotations

import json

import kit

from courseware.grading.feedback import feedback_pages
from courseware.grading.gradebook import Gradebook
from courseware.grading.judge import RubricMark
from courseware.grading.pipeline import rejudge

EX = kit.fixture_exercise()


def secrets() -> list[str]:
    """Strings a feedback page must never contain."""
    out = [t for i in EX.items for t in i.hidden_tests]
    for i in EX.items:
        if i.graded and i.kind in ("ordering", "matching"):
            out.append(json.dumps(i.key, indent=1))
            out.append(json.dumps(i.key))
        out.append(i.solution.strip())
    out += ["1429", "state-capitalist", "hidden test", "grader output"]
    return out


def test_feedback_reveals_no_key_or_hidden_test(class_gradebook):
    with Gradebook(class_gradebook) as gb:
        pages = feedback_pages(gb, EX.id)
    for student in ("dave", "broken"):  # answered nothing right
        for secret in secrets():
            assert secret not in pages[student], (student, secret)
    wrong = pages["carol"]  # q1 and q5 wrong, the rest right
    assert "Not the expected option." in wrong and "Not the expected value." in wrong
    assert "hidden test" not in wrong and "answer == round(answer)" not in wrong and "1429" not in wrong


def test_feedback_shows_the_rubric_marking_and_comment(gradebook_copy):
    with Gradebook(gradebook_copy) as gb:
        gb.update_or_create_mark(
            EX.id, "carol", "soviets_q6", RubricMark(["explains"], None, "Cite paragraphs.")
        )
        rejudge(gb, EX, "carol")
        page = feedback_pages(gb, EX.id)["carol"]
    assert "Cite paragraphs." in page and "Explains where the disagreement comes from" in page
    assert "11 / 16" in page


def test_feedback_shows_scores_and_partial_credit(class_gradebook):
    with Gradebook(class_gradebook) as gb:
        page = feedback_pages(gb, EX.id)["bob"]
    assert "7.5 / 16" in page and "5 of 6 pairs in the right order." in page and "2 of 4 matched" in page


def test_a_submission_under_review_says_so_without_grader_details(class_gradebook):
    with Gradebook(class_gradebook) as gb:
        page = feedback_pages(gb, EX.id)["broken"]
    assert "under review" in page and "truncated" in page
    assert "refused" not in page and "sandbox" not in page and "gradebook" not in page
