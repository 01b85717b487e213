"""The figures data and its bibliography: what the chapter charts is there, every figure is faithful to
its paragraph, every scholar cited is listed, and a broken figure is caught and named."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace

import pytest
import yaml

from courseware.charts import CHARTED
from courseware.data import course as checked_course
from courseware.load import load_course
from courseware.sphinx.bibliography import author_key, sorted_references
from courseware.validate import problems
from tests.helpers import ROOT, copy_data, edit_yaml

MINE = ("data/figures.yml", "data/bibliography.yml", "data/themes/numbers.yml")


@pytest.fixture(scope="module")
def course():
    """The real course data, loaded and validated once per process (shared with the chart tests)."""
    return checked_course()


@pytest.fixture
def data(tmp_path):
    """A small course with the real figures, bibliography and citations, and no themes."""
    d = copy_data(tmp_path)
    for name in ("figures.yml", "bibliography.yml", "citations.yml"):
        shutil.copy(ROOT / "data" / name, d / name)
    return d


def _figures(course, quantity):
    return [f for f in course.figures if f.quantity == quantity]


# ---- what the chapter needs is in the data -----------------------------------------------------


def test_every_charted_quantity_has_figures(course):
    for quantity in CHARTED:
        assert _figures(course, quantity), f"no figures for {quantity}"


@pytest.mark.parametrize(
    "quantity, sources",
    [
        ("party-membership", {"hampton-awl", "ict-aurora-2017"}),
        ("soviets-count", {"hampton-awl", "ict-aurora-2017"}),
        ("soviet-deputies", {"hampton-awl", "callinicos-1977", "icf-98-2017"}),
        ("soviet-executive", {"callinicos-1977", "icf-98-2017"}),
        ("sovnarkom-meetings", {"hampton-awl"}),
        ("cec-meetings", {"hampton-awl"}),
        ("party-secretariat-staff", {"hampton-awl"}),
        ("petrograd-party-membership", {"hampton-awl"}),
        ("moscow-office-workers", {"hampton-awl"}),
        ("kronstadt", {"anarchist-essay"}),
    ],
)
def test_each_quantity_has_figures_from_the_texts_that_give_them(course, quantity, sources):
    assert {f.source for f in _figures(course, quantity)} == sources


def test_membership_figures_are_the_texts_numbers(course):
    got = {(f.source, f.when, f.value) for f in _figures(course, "party-membership")}
    assert got == {
        ("hampton-awl", "1905", 8400),
        ("hampton-awl", "1917-start", 23600),
        ("hampton-awl", "1917-10", 400000),
        ("hampton-awl", "1927", 1000000),
        ("ict-aurora-2017", "1917-start", 8000),
        ("ict-aurora-2017", "1917-autumn", 300000),
    }


def test_sovnarkom_meetings_cover_1918_to_1921(course):
    yearly = {
        f.when: f.value
        for f in _figures(course, "sovnarkom-meetings")
        if f.unit == "meetings" and f.when.isdigit()
    }
    assert yearly == {"1918": 203, "1919": 97, "1920": 69, "1921": 51}


def test_secretariat_staff_and_petrograd_membership_in_date_order(course):
    staff = sorted(_figures(course, "party-secretariat-staff"), key=lambda f: f.year)
    assert [f.value for f in staff] == [10, 30, 150, 602]
    petrograd = sorted(
        (f for f in _figures(course, "petrograd-party-membership") if f.unit == "members"),
        key=lambda f: f.year,
    )
    assert [f.value for f in petrograd] == [30000, 13472, 6000]


def test_hampton_gives_dozens_of_figures(course):
    by_source = {}
    for f in course.figures:
        by_source[f.source] = by_source.get(f.source, 0) + 1
    assert by_source["hampton-awl"] >= 60
    assert set(by_source) == set(course.sources)


def test_figure_ids_are_unique(course):
    ids = [f.id for f in course.figures]
    assert len(ids) == len(set(ids))


# ---- integrity --------------------------------------------------------------------------------------


def test_the_real_figures_bibliography_and_theme_pass_validation(course):
    mine = [p for p in problems(course) if p.startswith(MINE)]
    assert mine == []


def test_a_figure_with_a_wrong_context_fails_validation(data):
    assert problems(load_course(data)) == []
    edit_yaml(data / "figures.yml", lambda doc: doc[0].update(context="In 1905 there were 8,500 Bolsheviks"))
    (msg,) = problems(load_course(data))
    assert 'data/figures.yml: figure "hampton-members-1905", field "context"' in msg
    assert "not verbatim" in msg
    assert "8,400" in msg  # names the passage that was meant


def _with_first_figure(course, **change):
    """The course with its first figure changed in memory (the files are not touched)."""
    first = course.figures[0].model_copy(update=change)
    return replace(course, figures=[first, *course.figures[1:]])


def test_a_figure_whose_value_is_not_in_its_context_fails(course):
    found = [p for p in problems(_with_first_figure(course, value=8500)) if p.startswith(MINE)]
    (msg,) = found
    assert 'figure "hampton-members-1905", field "value": 8500 does not appear' in msg


def test_a_figure_in_the_wrong_paragraph_is_located(course):
    found = [p for p in problems(_with_first_figure(course, paragraph=7)) if p.startswith(MINE)]
    (msg,) = found
    assert 'is in paragraph 6 of "hampton-awl", not 7' in msg


def test_a_figure_citing_an_unlisted_scholar_fails(course):
    found = [p for p in problems(_with_first_figure(course, cites=["rigby-1972"])) if p.startswith(MINE)]
    (msg,) = found
    assert 'field "cites": "rigby-1972" is not in data/bibliography.yml' in msg


# ---- the bibliography --------------------------------------------------------------------------------

ID = re.compile(r"^[a-z]+(-[a-z]+)*-(\d{4}[a-z]?|nd)$")
HAMPTON_REF = re.compile(r"([A-Z][a-z]+),\s?[A-Z]\.\s?(?:\(eds?\.\)\s?)?\((\d{4})\)")


def test_bibliography_ids_follow_the_scheme(course):
    bad = [r for r in course.bibliography if not ID.match(r)]
    assert bad == []


def test_every_entry_in_hamptons_reference_list_is_in_the_bibliography(course):
    notes = " ".join(p.text for p in course.texts["hampton-awl"].paragraphs if p.kind == "note")
    cited = {f"{name.lower()}-{year}" for name, year in HAMPTON_REF.findall(notes)}
    assert len(cited) >= 30
    assert cited - set(course.bibliography) == set()
    assert all("hampton-awl" in course.bibliography[i].cited_by for i in cited)


@pytest.mark.parametrize(
    "ref_id, source",
    [
        ("reed-1974", "callinicos-1977"),
        ("reed-nd", "icf-98-2017"),
        ("goodey-1974", "callinicos-1977"),
        ("broue-1971", "callinicos-1977"),
        ("trotsky-nd", "icf-98-2017"),
        ("brinton-1970", "anarchist-essay"),
        ("broue-1963", "anarchist-essay"),
        ("berkman-1922", "anarchist-essay"),
        ("stites-1989", "ict-aurora-2017"),
        ("rabinowitch-1989", "hampton-awl"),
    ],
)
def test_works_cited_in_endnotes_and_text_are_listed(course, ref_id, source):
    assert source in course.bibliography[ref_id].cited_by


def test_every_scholar_a_figure_or_disagreement_cites_is_listed(course):
    cited = {c for f in course.figures for c in f.cites}
    theme = course.themes["numbers"]
    cited |= {c for d in theme.disagreements for s in d.sides for c in s.cites}
    assert cited <= set(course.bibliography)


def test_bibliography_sorts_by_author_ignoring_accents(course):
    refs = sorted_references(course)
    keys = [author_key(r.author) for r in refs]
    assert keys == sorted(keys)
    assert author_key("Broué, P.") == "broue"
    only = sorted_references(course, "anarchist-essay")
    assert {r.id for r in only} >= {"brinton-1970", "broue-1963", "berkman-1922"}
    assert all("anarchist-essay" in r.cited_by for r in only)


# ---- the chapter's disagreements ---------------------------------------------------------------------


def test_numbers_theme_records_the_membership_contradictions(course):
    theme = course.themes["numbers"]
    by_id = {d.id: d for d in theme.disagreements}
    for key in ("membership-start-of-1917", "membership-autumn-1917"):
        d = by_id[key]
        assert d.kind == "fact"
        assert {s.source for s in d.sides} == {"hampton-awl", "ict-aurora-2017"}
    assert all(len({s.source for s in d.sides}) >= 2 for d in theme.disagreements)


def test_numbers_theme_file_is_plain_yaml_with_its_own_id():
    doc = yaml.safe_load((ROOT / "data" / "themes" / "numbers.yml").read_text(encoding="utf-8"))
    assert (doc["id"], doc["number"], doc["page"]) == ("numbers", 5, "book/chapters/05-numbers-in-dispute")
