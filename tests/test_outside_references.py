"""Every work the book names "outside the five texts" has an entry in the bibliography, marked as the
course's addition; and the bibliography page keeps the texts' works and the course's apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from courseware.load import load_course
from courseware.sphinx.bibliography import sorted_references
from tests.helpers import ROOT

COURSE = load_course()
PROSE = (
    sorted((ROOT / "book").rglob("*.md"))
    + sorted((ROOT / "data" / "themes").glob("*.yml"))
    + [ROOT / "data" / name for name in ("glossary.yml", "events.yml", "turning_points.yml")]
)
# "Author, *Title*, [details,] 1983": a work named after "outside the five texts". The year must end
# the reference, so a year inside a title ("Councils, 1905–1921") is not taken for it.
WORK = re.compile(
    r"(?P<name>(?:[A-Z][a-z]+ |[A-Z]\. ?)*(?:van der )?[A-Z][\w'’-]+)(?: \(ed\.\))?, \*?"
    r"(?P<title>[A-Z\"“][^()]*?)\*?,(?: [^(),]*,)*? (?P<year>\d{4})(?=[);.])"
)


def named_works(text: str) -> list[tuple[str, str]]:
    """(surname, year) of each work named in the 600 characters after "outside the five texts".

    >>> named_works("(outside the five texts: Paul Avrich, *Kronstadt 1921*, 1970; Israel Getzler, "
    ...             "*Kronstadt 1917–1921: The Fate of a Soviet Democracy*, 1983)")
    [('Avrich', '1970'), ('Getzler', '1983')]
    """
    flat = " ".join(text.split())
    out = []
    for m in re.finditer(r"[Oo]utside the five texts", flat):
        for w in WORK.finditer(flat[m.start() : m.start() + 600]):
            out.append((w["name"].split()[-1], w["year"]))
    return out


def _listed(surname: str, year: str) -> bool:
    return any(surname.lower() in r.author.lower() and r.year == year for r in COURSE.bibliography.values())


def test_the_extractor_finds_named_works():
    assert named_works(
        "(outside the five texts: E. H. Carr, *The Bolshevik Revolution 1917–1923*, vol. 2, 1952)."
    ) == [("Carr", "1952")]


@pytest.mark.parametrize("page", PROSE, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_every_outside_work_named_in_the_prose_is_in_the_bibliography(page: Path):
    missing = [w for w in named_works(page.read_text(encoding="utf-8")) if not _listed(*w)]
    assert missing == []


def test_the_prose_names_at_least_the_works_the_review_found_missing():
    named = {w for page in PROSE for w in named_works(page.read_text(encoding="utf-8"))}
    for work in [
        ("Anweiler", "1974"),
        ("Carr", "1952"),
        ("Avrich", "1970"),
        ("Getzler", "1983"),
        ("Schapiro", "1955"),
        ("Mawdsley", "1987"),
    ]:
        assert work in named


def test_outside_works_are_marked_and_listed_apart():
    outside = sorted_references(COURSE, only="outside")
    texts = sorted_references(COURSE, only="texts")
    assert len(outside) >= 20
    assert all(r.outside and not r.cited_by for r in outside)
    assert all(r.cited_by and not r.outside for r in texts)
    assert len(outside) + len(texts) == len(COURSE.bibliography)
