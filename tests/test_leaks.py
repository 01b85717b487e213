"""The leak scan: graded points a student could answer by scripted look-up in the student edition."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from courseware.authoring import load_checked
from courseware.items import ROOT, Exercise
from courseware.leaks import DIRECT, public_passages, scan

TEXTS = {
    "callinicos-1977": "Callinicos 1977",
    "icf-98-2017": "ICF 2017",
    "ict-aurora-2017": "ICT 2017",
    "anarchist-essay": "The anarchist essay",
    "hampton-awl": "Hampton (AWL)",
}
# Two graded items a look-up answers, built on the course's real texts.
PLANTED = Exercise.model_validate(
    {
        "id": "planted",
        "title": "Planted leaks",
        "theme": "soviets",
        "intro": "Items that look-ups answer.",
        "items": [
            {
                "id": "planted_q1",
                "kind": "attribution",
                "skill": "sourcing",
                "points": 1,
                "prompt": "Which text wrote this?\n\n> “The first soviet began as a strike committee.”",
                "variable": "q1",
                "options": TEXTS,
                "quotes": [
                    {
                        "source": "callinicos-1977",
                        "paragraph": 18,
                        "text": "The first soviet began as a strike committee.",
                    }
                ],
                "solution": "q1 = 'callinicos-1977'",
                "key": "callinicos-1977",
            },
            {
                "id": "planted_q2",
                "kind": "matching",
                "skill": "close-reading",
                "points": 2,
                "prompt": "Match each text to what it stresses.",
                "variable": "q2",
                "left": {"hampton-awl": "Hampton (AWL)", "icf-98-2017": "ICF 2017"},
                "options": {
                    "wombats": "Marsupial wombats burrowing under the Tauride Palace at midnight.",
                    "kangaroos": "Kangaroos boxing in the Smolny corridors every Thursday.",
                },
                "solution": "q2 = {}",
                "key": {"hampton-awl": "wombats", "icf-98-2017": "kangaroos"},
            },
        ],
    }
)


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    """The public material of the course, copied, with practice feedback that gives a graded pair away."""
    dest = tmp_path_factory.mktemp("edition")
    for part in ("data", "book", "exercises"):
        shutil.copytree(ROOT / part, dest / part)
    spec = json.loads((dest / "exercises" / "checks" / "soviets.json").read_text(encoding="utf-8"))
    practice = next(i for i in spec["items"] if not i["graded"])
    practice["feedback"]["hampton-awl"] = (
        "Not Hampton, who writes of marsupial wombats burrowing under the Tauride Palace at midnight."
    )
    (dest / "exercises" / "checks" / "soviets.json").write_text(json.dumps(spec), encoding="utf-8")
    return dest


def test_quotation_search_in_the_texts_answers_an_attribution_item(edition):
    report = scan(edition, [PLANTED])
    q1 = next(i for i in report.items if i.item == "planted_q1")
    places = {f.where for f in q1.findings if f.channel == "texts"}
    assert "data/texts/callinicos-1977.yml ¶18" in places
    assert q1.answered(DIRECT) == 1  # a sourcing item: not exempt


def test_practice_feedback_that_paraphrases_a_graded_option_is_found_with_where(edition):
    report = scan(edition, [PLANTED])
    q2 = next(i for i in report.items if i.item == "planted_q2")
    hits = [f for f in q2.findings if f.channel == "feedback"]
    assert [f.part for f in hits] == ["pair 'hampton-awl'"]
    assert "exercises/checks/soviets.json (feedback of soviets_q1, 'hampton-awl')" in hits[0].where
    assert q2.answered(DIRECT) == 1  # one pair of two: half the points
    assert report.direct("planted") == 2 and report.total_points == 3


def test_the_release_gate_names_each_exercise_over_its_allowance(edition):
    report = scan(edition, [PLANTED])
    assert report.over_allowance() == [
        "planted: look-ups answer 2 graded points; the exercise allows 0 "
        "(lookup_allowance in instructor/exercises/planted.yml)"
    ]
    allowed = PLANTED.model_copy(update={"lookup_allowance": 2.0})
    assert scan(edition, [allowed]).over_allowance() == []
    assert "planted" in report.format() and "total" in report.format()


def test_self_check_answers_and_quizzes_are_searched():
    channels = {p.channel for p in public_passages(ROOT)}
    assert {"texts", "chapter", "quiz", "feedback", "self-check", "prose", "summary"} <= channels


def test_the_course_is_within_every_exercise_allowance():
    report = scan(ROOT, load_checked())
    assert report.over_allowance() == [], report.format()
