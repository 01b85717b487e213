"""How the book names things, in one place: scholars, verdicts, kinds of disagreement, and whose
words a paragraph holds (a text's own, or a reader's comment under it). Pure functions over the
records of `models`; views, charts, directives, the print edition and the notebooks all use these,
so a label reads the same wherever a student meets it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .corpus import find_paragraph
from .models import Course, Event, Paragraph, Quote, Reference
from .text import readable_when

NO_SCHOLAR = "no scholar named"

# The book's shorthand for a text's verdict on a year (data/turning_points.yml `verdict`).
VERDICT: dict[str, str] = {
    "advancing": "advancing",
    "holding": "holding on",
    "degenerating": "degenerating",
    "lost": "lost",
}

# A disagreement's `kind`, as its heading begins.
DISAGREEMENT_KIND: dict[str, str] = {"fact": "On a fact", "meaning": "On meaning", "date": "On a date"}

COMMENT = "reader's comment"


# ---- scholars ---------------------------------------------------------------------------------


def surname(ref: Reference) -> str:
    """The author's name as the texts cite it: what comes before the first comma.

    >>> surname(Reference(id="smith-1983", author="Smith, S. A.", year="1983", title="t", outside="x"))
    'Smith'
    """
    return ref.author.split(",")[0].strip()


def scholar(ref: Reference) -> str:
    """A work as the book names it: "Author year".

    >>> scholar(Reference(id="rigby-1971", author="Rigby, T. H.", year="1971", title="t", outside="x"))
    'Rigby 1971'
    """
    return f"{surname(ref)} {ref.year}"


def scholars(ids: Iterable[str], bibliography: Mapping[str, Reference]) -> str:
    """The works a figure or a side rests on, joined; an id not in the bibliography as itself; and
    said plainly when there are none.

    >>> rigby = Reference(id="rigby-1971", author="Rigby, T. H.", year="1971", title="t", outside="x")
    >>> bib = {"rigby-1971": rigby}
    >>> scholars(["rigby-1971", "nobody-2000"], bib), scholars([], bib)
    ('Rigby 1971, nobody-2000', 'no scholar named')
    """
    names = [scholar(bibliography[i]) if i in bibliography else i for i in ids]
    return ", ".join(names) if names else NO_SCHOLAR


def names_author(paragraph: Paragraph, ref: Reference) -> bool:
    """True when `paragraph` is an endnote or a further-reading entry that names the work's author:
    how a text cites a work outside data/citations.yml.

    >>> ref = Reference(id="smith-1983", author="Smith, S. A.", year="1983", title="t", outside="x")
    >>> names_author(Paragraph(n=40, kind="note", text="[3] S. A. Smith, Red Petrograd"), ref)
    True
    >>> names_author(Paragraph(n=4, text="Smith says so."), ref)
    False
    """
    return paragraph.kind in ("note", "reading") and surname(ref).lower() in paragraph.text.lower()


# ---- whose words ------------------------------------------------------------------------------


def is_comment(course: Course, source: str, n: int) -> bool:
    """True when paragraph `n` of `source` is a reader's comment printed under the article: its words
    are the commenter's, never the text's."""
    para = find_paragraph(course, source, n)
    return para is not None and para.kind == "comment"


def cite(course: Course, source: str, n: int) -> str:
    """A paragraph as a citation names it: "ICT 2017, ¶12", or "reader's comment on ICT 2017, ¶20"."""
    where = f"{course.sources[source].short}, ¶{n}"
    return f"{COMMENT} on {where}" if is_comment(course, source, n) else where


def paragraph_number(course: Course, source: str, n: int) -> str:
    """A paragraph among others of the same text: "¶12", or "¶20 (reader's comment)"."""
    return f"¶{n}" + (f" ({COMMENT})" if is_comment(course, source, n) else "")


def voice(course: Course, source: str, quote: Quote | None = None) -> tuple[str, str]:
    """Who speaks, and the words that join it to the text's short name: ("Trotskyist (IS current)",
    " — ") for the text's own position, ("A reader's comment", " under ") when `quote` comes from a
    reader's comment under it."""
    if quote is not None and is_comment(course, quote.source, quote.paragraph):
        return f"A {COMMENT}", " under "
    return course.sources[source].voice, " — "


def speaker(course: Course, quote: Quote) -> str:
    """Whose words a quotation gives, as a sentence continues "In ...": "its own words" or "a
    reader's comment"."""
    return f"a {COMMENT}" if is_comment(course, quote.source, quote.paragraph) else "its own words"


# ---- dates ------------------------------------------------------------------------------------


def event_date(event: Event) -> str:
    """An event's date as the timeline prints it, new style, with the old-style date the texts use.

    >>> event_date(Event(id="x", date="1917-03-08", old_style="23 February 1917", title="t", description="d"))
    '8 March 1917 (old style: 23 February 1917)'
    """
    return readable_when(event.date) + (f" (old style: {event.old_style})" if event.old_style else "")
