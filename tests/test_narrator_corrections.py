"""The narrator's own statements that a close reading against the texts found wrong stay corrected:
each test holds one correction, checked on the data or page where the statement lives."""

from __future__ import annotations

import re

from courseware.load import load_course
from courseware.text import compact, normalise
from tests.helpers import ROOT

COURSE = load_course()
CHAPTERS = ROOT / "book" / "chapters"


def _page(name: str) -> str:
    return normalise((ROOT / "book" / name).read_text(encoding="utf-8"))


def _theme_quotes(theme: str, source: str, paragraph: int) -> list[str]:
    t = COURSE.themes[theme]
    quotes = [q for c in t.claims for q in c.quotes]
    quotes += [s.quote for d in t.disagreements for s in d.sides]
    return [q.text for q in quotes if (q.source, q.paragraph) == (source, paragraph)]


def test_the_military_revolutionary_committees_chair_is_not_given_as_trotsky():
    entry = COURSE.glossary["military-revolutionary-committee"].definition
    event = next(e for e in COURSE.events if e.id == "military-revolutionary-committee").description
    for text in (entry, event):
        assert "Lazimir" in text
        assert "chaired by Trotsky" not in text and "Trotsky in the chair" not in text
        assert "The ICF" in text  # the claim that Trotsky chaired it is the ICF's, and says so


def test_the_red_guards_are_not_said_to_have_defeated_kornilov():
    for entry in ("red-guard", "kornilov-affair"):
        text = COURSE.glossary[entry].definition
        assert "defeated Kornilov" not in text
        assert "ICF" in text


def test_brain_of_the_class_is_not_sourced_to_lessons_of_october():
    for page in CHAPTERS.glob("*.md"):
        flat = normalise(page.read_text(encoding="utf-8"))
        for m in re.finditer(r"brain of the class", flat):
            assert "Lessons of October" not in flat[m.start() : m.start() + 300], page.name
    assert "The Art of Insurrection" in _page("chapters/03-party-and-class.md")


def test_the_introduction_does_not_make_all_five_texts_call_october_a_workers_revolution():
    intro = _page("intro/texts-and-readings.md")
    assert "All five texts treat October 1917 as a workers' revolution" not in intro
    assert "seized executive control" in intro and "workers did not succeed at taking power" in intro


def test_the_anarchist_essay_is_dated_by_its_latest_reference_1970():
    assert "2008" not in COURSE.sources["anarchist-essay"].date
    assert "1970" in COURSE.sources["anarchist-essay"].date
    assert "after 2008" not in _page("intro/texts-and-readings.md")


def test_the_ict_comments_are_one_reader_then_a_reply_that_speaks_for_the_article():
    t = COURSE.themes["october-state"]
    says = [
        s.says
        for d in t.disagreements
        for s in d.sides
        if s.quote.source == "ict-aurora-2017" and s.quote.paragraph in (19, 20)
    ]
    assert says and not any("not the ICT's view" in s for s in says)
    assert any("same comment" in s for s in says)
    key = "It would have been better to separate the Party leadership from the Soviet leadership"
    assert key in _page("chapters/04-october-and-the-new-state.md")


def test_the_two_nationalisation_decrees_are_kept_apart():
    fate = next(
        c
        for c in COURSE.themes["factory-committees"].claims
        if (c.question, c.source) == ("fate", "hampton-awl")
    )
    assert {q.paragraph for q in fate.quotes} >= {36, 38}
    assert "14 December 1917" in fate.position and "28 June 1918" in fate.position


def test_reeds_russian_anarchy_is_glossed_as_breakdown():
    icf = next(
        c
        for c in COURSE.themes["factory-committees"].claims
        if (c.question, c.source) == ("nature", "icf-98-2017")
    )
    assert "Russian anarchy" in " ".join(q.text for q in icf.quotes)
    assert "breakdown of order" in icf.position


def test_kronstadt_is_never_quoted_as_the_ict_s_only_signal():
    for theme in COURSE.themes:
        for text in _theme_quotes(theme, "ict-aurora-2017", 16):
            if "Kronstadt" in text and "signalled" in text:
                assert compact("the banning of factions") in compact(text), (theme, text)


def test_the_kronstadt_toll_is_discussed_as_a_single_source():
    page = _page("chapters/07-kronstadt.md")
    assert "10 000 people dead" in page
    assert "no other text gives a toll" in page
