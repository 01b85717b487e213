"""Cross-file checks: verbatim quotations, figure contexts, ids, and every text accounted for."""

from __future__ import annotations

import shutil

import pytest

from courseware.load import load_course
from courseware.models import DataError
from courseware.validate import CHECKS, problems, validate_course
from tests.helpers import FIXTURES, copy_data, edit_yaml


@pytest.fixture
def data(tmp_path):
    d = copy_data(tmp_path)
    shutil.copy(FIXTURES / "themes" / "valid_theme.yml", d / "themes" / "fixture.yml")
    return d


def _quote(doc):
    return doc["claims"][0]["quotes"][0]


def test_the_real_course_data_is_valid():
    """The integrity test over everything: quotes verbatim, figures in context, ids resolve."""
    validate_course(load_course())


def test_fixture_is_valid(data):
    assert problems(load_course(data)) == []


def test_one_changed_word_fails_and_names_the_closest_passage(data):
    edit_yaml(
        data / "themes" / "fixture.yml",
        lambda doc: _quote(doc).update(text=_quote(doc)["text"].replace("ceased", "stopped")),
    )
    found = problems(load_course(data))
    assert len(found) == 1
    assert 'claim "when-lost/hampton-awl"' in found[0]
    assert "is not verbatim" in found[0]
    assert "Closest passage (paragraph 30" in found[0]
    assert "ceased to function" in found[0]


def test_wrong_paragraph_number_says_where_the_words_are(data):
    edit_yaml(data / "themes" / "fixture.yml", lambda doc: _quote(doc).update(paragraph=29))
    (msg,) = problems(load_course(data))
    assert 'is in paragraph 30 of "hampton-awl", not 29' in msg


def test_paragraph_that_does_not_exist(data):
    edit_yaml(data / "themes" / "fixture.yml", lambda doc: _quote(doc).update(paragraph=999))
    (msg,) = problems(load_course(data))
    assert '"hampton-awl" has no paragraph 999' in msg


def test_a_text_neither_quoted_nor_silent_is_reported(data):
    edit_yaml(data / "themes" / "fixture.yml", lambda doc: doc["silent"].pop(0))
    (msg,) = problems(load_course(data))
    assert '"callinicos-1977" has no claim and is not listed under "silent"' in msg


def test_unknown_question_and_source(data):
    def change(doc):
        doc["claims"][0]["question"] = "nope"

    edit_yaml(data / "themes" / "fixture.yml", change)
    assert any('no question "nope"' in p for p in problems(load_course(data)))


def test_a_paragraph_edited_away_from_the_original_is_caught(data):
    def change(doc):
        para = next(b for b in doc["blocks"] if b.get("n") == 30)
        para["text"] = para["text"].replace("1921", "1922")

    edit_yaml(data / "texts" / "hampton-awl.yml", change)
    found = problems(load_course(data))
    assert any("paragraph 30 is not faithful to the original" in p for p in found)


def test_figure_context_must_occur_and_hold_the_value(data):
    figure = {
        "id": "f1",
        "quantity": "soviets",
        "label": "soviets in October 1917",
        "value": 1429,
        "when": "1917-10",
        "year": 1917.8,
        "source": "hampton-awl",
        "paragraph": 3,
        "context": "By October there were 1,429 soviets",
        "cites": [],
    }
    (data / "figures.yml").write_text("[]", encoding="utf-8")
    edit_yaml(data / "figures.yml", lambda doc: doc.append(figure))
    assert problems(load_course(data)) == []
    edit_yaml(data / "figures.yml", lambda doc: doc[0].update(value=1430))
    assert any('field "value": 1430 does not appear' in p for p in problems(load_course(data)))
    wrong = "By October there were 1,430 soviets"
    edit_yaml(data / "figures.yml", lambda doc: doc[0].update(value=1429, context=wrong))
    assert any("is not verbatim" in p for p in problems(load_course(data)))


def test_unknown_bibliography_id_is_reported(data):
    def change(doc):
        doc.append(
            {
                "id": "f1",
                "quantity": "q",
                "label": "l",
                "value": 1429,
                "when": "1917",
                "year": 1917,
                "source": "hampton-awl",
                "paragraph": 3,
                "context": "By October there were 1,429 soviets",
                "cites": ["nobody-1999"],
            }
        )

    edit_yaml(data / "figures.yml", change)
    assert any('"nobody-1999" is not in data/bibliography.yml' in p for p in problems(load_course(data)))


def test_validate_course_raises_with_every_problem(data):
    def change(doc):
        _quote(doc)["paragraph"] = 999
        doc["silent"].pop(0)

    edit_yaml(data / "themes" / "fixture.yml", change)
    with pytest.raises(DataError) as e:
        validate_course(load_course(data))
    assert "2 problem(s)" in str(e.value)


# ---- each cross-file check on its own: it reports the one broken record it exists for ----------

QUOTE = "Any honest reckoning must conclude that Soviet democracy had ceased to function by 1921."


def _append(path, record):
    edit_yaml(path, lambda doc: doc.append(record))


def _break_text(d):
    edit_yaml(
        d / "texts" / "hampton-awl.yml", lambda doc: doc["blocks"][2].update(text="Words never written.")
    )


def _two_sides(cites):
    side = {"says": "s", "quote": {"source": "hampton-awl", "paragraph": 30, "text": QUOTE}, "cites": cites}
    return {
        "id": "d",
        "kind": "fact",
        "topic": "t",
        "sides": [{"source": "hampton-awl", **side}, {"source": "icf-98-2017", **side, "cites": []}],
        "why": "w",
    }


BREAKS = {
    "sources_are_faithful": _break_text,
    "quotations_are_verbatim": lambda d: edit_yaml(
        d / "themes" / "fixture.yml", lambda doc: _quote(doc).update(text=QUOTE.replace("ceased", "stopped"))
    ),
    "claims_resolve": lambda d: edit_yaml(
        d / "themes" / "fixture.yml", lambda doc: doc["claims"][0].update(question="nope")
    ),
    "sides_cite_what_they_rest_on": lambda d: edit_yaml(
        d / "themes" / "fixture.yml", lambda doc: doc.update(disagreements=[_two_sides(["no-such-work"])])
    ),
    "every_text_is_accounted_for": lambda d: edit_yaml(
        d / "themes" / "fixture.yml", lambda doc: doc["silent"].pop(0)
    ),
    "figures_are_faithful": lambda d: _append(
        d / "figures.yml",
        {
            "id": "f",
            "quantity": "q",
            "label": "l",
            "value": 1922,
            "when": "1921",
            "year": 1921,
            "source": "hampton-awl",
            "paragraph": 30,
            "context": QUOTE,
        },
    ),
    "events_point_at_paragraphs": lambda d: _append(
        d / "events.yml",
        {
            "id": "e",
            "date": "1921",
            "title": "t",
            "description": "d",
            "mentioned_by": [{"source": "hampton-awl", "paragraph": 9999}],
        },
    ),
    "turning_points_resolve": lambda d: _append(
        d / "turning_points.yml", {"source": "nobody", "year": 1921, "verdict": "lost", "reason": "r"}
    ),
    "glossary_links_resolve": lambda d: _append(
        d / "glossary.yml", {"id": "a", "term": "A", "definition": "d", "see": ["no-entry"]}
    ),
    "citations_are_recorded_faithfully": lambda d: _append(
        d / "citations.yml",
        {
            "source": "hampton-awl",
            "paragraph": 30,
            "cites": [{"ref": None, "names": "Nobody", "marker": "words that are not there"}],
        },
    ),
    "topics_group_known_quantities": lambda d: _append(
        d / "topics.yml", {"topic": "T", "quantities": ["no-such-quantity"]}
    ),
    "bibliography_is_cited_by_sources": lambda d: _append(
        d / "bibliography.yml",
        {"id": "x-2000", "author": "X", "year": "2000", "title": "T", "cited_by": ["nobody"]},
    ),
}


def test_every_check_has_its_own_case():
    assert sorted(c.__name__ for c in CHECKS) == sorted(BREAKS)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_each_check_reports_what_it_exists_for_and_nothing_on_good_data(data, check):
    assert list(check(load_course(data))) == []
    BREAKS[check.__name__](data)
    broken = load_course(data)
    found = list(check(broken))
    assert len(found) == 1, found
    assert found[0] in problems(broken)  # `problems` runs every check
    others = [p for c in CHECKS if c is not check for p in c(broken)]
    assert found[0] not in others
