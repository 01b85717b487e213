"""What the texts cite (data/citations.yml), and every attribution the book makes checked against it:
the "Rests on" labels of disagreements, the scholar behind each figure, and {scholar} mentions that
say where a text cites a work."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from courseware import citations
from courseware.load import load_course
from courseware.models import Course
from courseware.validate import problems
from tests.helpers import ROOT

COURSE = load_course()
PAGES = sorted((ROOT / "book").glob("chapters/*.md")) + sorted((ROOT / "book").glob("intro/*.md"))
SCHOLAR = re.compile(r"\{scholar\}`(?:[^`<]*<)?(?P<target>[^`>]+)>?`")


def _labels(course: Course) -> list[tuple[str, str, int, str, str]]:
    """Every (where, source, paragraph, work, words) the book attributes to a work."""
    out = []
    for t in course.themes.values():
        for d in t.disagreements:
            for s in d.sides:
                for ref in s.cites:
                    out.append(
                        (f"{t.id}/{d.id}/{s.source}", s.quote.source, s.quote.paragraph, ref, s.quote.text)
                    )
    for f in course.figures:
        for ref in f.cites:
            out.append((f"figure {f.id}", f.source, f.paragraph, ref, f.context))
    return out


def test_every_rests_on_label_and_figure_scholar_is_cited_where_the_words_are():
    labels = _labels(COURSE)
    assert len(labels) > 100
    wrong = [
        (w, msg)
        for w, src, n, ref, words in labels
        if (msg := citations.rests_on(COURSE, src, n, ref, words))
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("source", "paragraph", "ref", "words"),
    [
        # the cases: each scholar put on a paragraph, or a passage, it does not support
        ("anarchist-essay", 3, "brinton-1970", "the latter proved to be the most decisive element"),
        ("anarchist-essay", 8, "brinton-1970", "nationalised, rather than collectivised"),
        ("anarchist-essay", 12, "brinton-1970", "The NEP led to unemployment"),
        (
            "anarchist-essay",
            18,
            "berkman-1922",
            "As anarchists, it is obvious that this repression was inevitable",
        ),
        ("hampton-awl", 111, "gusev-2009", "a qualitative shift in the situation"),
        ("hampton-awl", 89, "farber-1990", "was not yet a ruling class in 1921"),
        ("hampton-awl", 89, "pirani-2008", "was not yet a ruling class in 1921"),
        ("hampton-awl", 70, "gusev-2009", "about 8,000 oppositionists were expelled"),
        ("callinicos-1977", 73, "broue-1971", "rebelled between 1917 and 1923"),
        ("icf-98-2017", 35, "reed-1974", "It consisted of about 1200 deputies"),
    ],
)
def test_a_scholar_on_the_wrong_paragraph_or_passage_is_refused(source, paragraph, ref, words):
    assert citations.rests_on(COURSE, source, paragraph, ref, words) is not None


@pytest.mark.parametrize(
    ("source", "paragraph", "ref", "words"),
    [
        ("hampton-awl", 70, "gusev-2009", "In some cases they took the lead at factory mass meetings"),
        ("hampton-awl", 91, "pirani-2008", "this department had collated lists of 33,000 officials"),
        ("anarchist-essay", 18, "berkman-1922", "no concessions to the proletariat"),
        ("anarchist-essay", 9, "broue-1963", "only belatedly did the party discover the role"),
        ("callinicos-1977", 37, "reed-1974", "It consisted of about 1,200 deputies"),
        ("icf-98-2017", 35, "reed-nd", "It consisted of about 1200 deputies"),
    ],
)
def test_a_scholar_on_the_passage_it_supports_is_accepted(source, paragraph, ref, words):
    assert citations.rests_on(COURSE, source, paragraph, ref, words) is None


def test_moving_one_scholar_to_the_wrong_paragraph_fails_validation(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "figures.yml"
    figures = yaml.safe_load(path.read_text(encoding="utf-8"))
    # Farber 1990 is cited at Hampton paragraph 4; paragraph 3 cites only Smith 2002.
    moved = next(f for f in figures if f["source"] == "hampton-awl" and f["paragraph"] == 3)
    moved["cites"] = ["farber-1990"]
    path.write_text(yaml.safe_dump(figures, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = [p for p in problems(load_course(data)) if "farber-1990" in p]
    assert found == [
        f'data/figures.yml: figure "{moved["id"]}", field "cites": "hampton-awl" paragraph 3 does not '
        'cite "farber-1990" (it cites smith-2002). Cite only what the figure rests on, as recorded in '
        "data/citations.yml."
    ]


def test_every_in_text_citation_and_note_mark_of_the_texts_is_recorded():
    recorded = {(r.source, r.paragraph, c.ref) for r in COURSE.citations for c in r.cites}
    missing = []
    for p in COURSE.texts["hampton-awl"].paragraphs:
        if p.kind != "text":
            continue
        for name, year in re.findall(r"\(([A-Z][a-z]+) (\d{4}) ?\)", " ".join(p.text.split())):
            ref = f"{name.lower()}-{year}"
            if ref in COURSE.bibliography and ("hampton-awl", p.n, ref) not in recorded:
                missing.append(("hampton-awl", p.n, ref))
    marks = {
        r.paragraph: {c.marker for c in r.cites} for r in COURSE.citations if r.source == "callinicos-1977"
    }
    for p in COURSE.texts["callinicos-1977"].paragraphs:
        for mark in re.findall(r"\[\d+\]", p.text):
            if mark not in marks.get(p.n, set()):
                missing.append(("callinicos-1977", p.n, mark))
    notes = {c.note for r in COURSE.citations if r.source == "anarchist-essay" for c in r.cites}
    essay_notes = {p.n for p in COURSE.texts["anarchist-essay"].paragraphs if p.kind == "note"}
    assert missing == []
    assert essay_notes <= notes


def test_citations_file_problems_name_the_file_paragraph_and_fix(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "citations.yml"
    recs = yaml.safe_load(path.read_text(encoding="utf-8"))
    recs.append(
        {
            "source": "hampton-awl",
            "paragraph": 2,
            "cites": [{"ref": "nobody-1999", "marker": "(Nobody 1999)"}],
        }
    )
    path.write_text(yaml.safe_dump(recs, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = [p for p in problems(load_course(data)) if "paragraph 2" in p and "citations" in p]
    assert found == [
        'data/citations.yml: "hampton-awl" paragraph 2, citation "nobody-1999", field "ref": not in '
        "data/bibliography.yml. Add the work there.",
        'data/citations.yml: "hampton-awl" paragraph 2, citation "nobody-1999", field "marker": '
        '"(Nobody 1999)" is not in paragraph 2. Copy the words that carry the citation exactly.',
    ]


def test_bibliography_lists_a_text_only_where_the_text_cites_the_work():
    wrong = [
        (r.id, sid)
        for r in COURSE.bibliography.values()
        for sid in r.cited_by
        if not citations.listed_by(COURSE, r.id, sid)
    ]
    assert wrong == []
    assert "icf-98-2017" not in COURSE.bibliography["reed-1974"].cited_by
    assert "icf-98-2017" not in COURSE.bibliography["trotsky-1967"].cited_by


def test_every_scholar_mention_in_the_chapters_says_where_a_text_cites_it():
    unlocated, wrong = [], []
    for page in PAGES:
        for m in SCHOLAR.finditer(page.read_text(encoding="utf-8")):
            ref, where = citations.split_locator(m["target"])
            if where is None:
                if not COURSE.bibliography[ref].outside:
                    unlocated.append((page.name, ref))
            elif msg := citations.locator_problem(COURSE, ref, *where):
                wrong.append((page.name, msg))
    assert unlocated == []
    assert wrong == []


def test_a_located_mention_on_the_wrong_paragraph_is_refused():
    assert citations.locator_problem(COURSE, "rigby-1979", "hampton-awl", 111) is not None
    assert citations.locator_problem(COURSE, "pirani-2008", "hampton-awl", 110) is None
    assert citations.locator_problem(COURSE, "mett-1938", "anarchist-essay", 23) is None
    assert citations.locator_problem(COURSE, "mett-1938", "anarchist-essay", 24) is not None
