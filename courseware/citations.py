"""What each paragraph of a text cites (data/citations.yml), and whether a passage rests on a work.

A citation supports a stretch of its paragraph: from the previous citation marker (or the
paragraph's start) up to its own marker; or, when it opens what it cites ("According to Rigby"),
from its marker to the next one (or the paragraph's end); or the passage its `covers` names. A
citation recorded on a paragraph whose marker stands in another paragraph (`at`: a note closing a
quotation printed over several paragraphs) supports the whole paragraph.
A passage rests on a work when it overlaps a stretch the work's citation supports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .corpus import find_paragraph
from .labels import names_author
from .models import Citation, ParagraphCitations
from .text import compact, quote_parts

if TYPE_CHECKING:
    from .models import Course

CITATIONS_FILE = "data/citations.yml"


@dataclass(frozen=True)
class Stretch:
    """The part of a paragraph (positions in its `compact` form) that one citation supports."""

    citation: Citation
    start: int
    end: int


def _all(hay: str, needle: str) -> list[int]:
    """Every position of `needle` in `hay`, overlapping matches included."""
    out, pos = [], hay.find(needle)
    while needle and pos >= 0:
        out.append(pos)
        pos = hay.find(needle, pos + 1)
    return out


def passage_span(passage: str, paragraph: str) -> tuple[int, int] | None:
    """Where `passage` (whose cuts are marked "...") begins and ends in `paragraph`, in compact
    positions; None when it is not there.

    >>> passage_span("had ceased ... by 1921", "Soviet democracy had ceased to function by 1921.")
    (15, 40)
    """
    hay = compact(paragraph)
    start = end = -1
    for part in quote_parts(passage):
        found = hay.find(compact(part), max(end, 0))
        if found < 0:
            return None
        start = found if start < 0 else start
        end = found + len(compact(part))
    return (start, end) if start >= 0 else None


def stretches(record: ParagraphCitations, paragraph: str) -> list[Stretch]:
    """The stretch of `paragraph` each citation of `record` supports, in the order of the text."""
    hay = compact(paragraph)
    local = [c for c in record.cites if c.at is None]
    marks = sorted({(p, p + len(compact(c.marker))) for c in local for p in _all(hay, compact(c.marker))})
    out: list[Stretch] = []
    for c in record.cites:
        if c.covers:
            start = hay.find(compact(c.covers))
            if start >= 0:
                out.append(Stretch(c, start, start + len(compact(c.covers))))
            continue
        if c.at is not None:
            out.append(Stretch(c, 0, len(hay)))
            continue
        for p in _all(hay, compact(c.marker)):
            end = p + len(compact(c.marker))
            if c.reach == "after":
                later = [s for s, _ in marks if s >= end]
                out.append(Stretch(c, p, later[0] if later else len(hay)))
            else:
                earlier = [e for _, e in marks if e <= p]
                out.append(Stretch(c, earlier[-1] if earlier else 0, end))
    return out


def index(course: Course) -> dict[tuple[str, int], ParagraphCitations]:
    """The citation records by (source, paragraph)."""
    return {(r.source, r.paragraph): r for r in course.citations}


def cited_refs(course: Course, source: str, paragraph: int) -> set[str]:
    """Every work paragraph `paragraph` of `source` cites, anywhere in it."""
    rec = index(course).get((source, paragraph))
    return {c.ref for c in rec.cites if c.ref} if rec else set()


def rests_on(course: Course, source: str, paragraph: int, ref: str, passage: str = "") -> str | None:
    """None when `passage` of the paragraph rests on `ref`; else a sentence saying what the paragraph
    does cite. Without a passage, any citation of `ref` in the paragraph will do."""
    rec = index(course).get((source, paragraph))
    para = find_paragraph(course, source, paragraph)
    cited = sorted({c.ref for c in rec.cites if c.ref}) if rec else []
    if ref not in cited or para is None or rec is None:
        what = ", ".join(cited) if cited else "no work"
        return f'"{source}" paragraph {paragraph} does not cite "{ref}" (it cites {what})'
    if not passage:
        return None
    span = passage_span(passage, para.text)
    mine = [s for s in stretches(rec, para.text) if s.citation.ref == ref]
    if span is None or any(s.start < span[1] and span[0] < s.end for s in mine):
        return None
    return (
        f'"{source}" paragraph {paragraph} cites "{ref}", but not for the words "{passage[:60]}": '
        "its citation supports another passage of the paragraph"
    )


def listed_by(course: Course, ref: str, source: str) -> bool:
    """True when `source` cites `ref` in a paragraph (data/citations.yml) or lists it among its
    endnotes, references or further reading (found by the author's surname)."""
    if any(r.source == source and any(c.ref == ref for c in r.cites) for r in course.citations):
        return True
    text = course.texts.get(source)
    return bool(text) and any(names_author(p, course.bibliography[ref]) for p in text.paragraphs)


def split_locator(target: str) -> tuple[str, tuple[str, int] | None]:
    """A {scholar} target and where a text cites it, if given.

    >>> split_locator("pirani-2008 @hampton-awl 110"), split_locator("smith-2002")
    (('pirani-2008', ('hampton-awl', 110)), ('smith-2002', None))
    """
    ref, _, where = target.partition("@")
    if not where:
        return ref.strip(), None
    source, _, n = where.strip().rpartition(" ")
    return ref.strip(), (source.strip(), int(n))


def locator_problem(course: Course, ref: str, source: str, paragraph: int) -> str | None:
    """None when paragraph `paragraph` of `source` cites `ref`, in its text (data/citations.yml) or,
    for an endnote or a further-reading entry, by naming the author; else what is wrong."""
    para = find_paragraph(course, source, paragraph)
    if para is None:
        return f'"{source}" has no paragraph {paragraph}'
    if ref not in course.bibliography:
        return f'"{ref}" is not in data/bibliography.yml'
    if para.kind in ("note", "reading"):
        ok = names_author(para, course.bibliography[ref])
        return None if ok else f'"{source}" paragraph {paragraph} does not name "{ref}"'
    return rests_on(course, source, paragraph, ref)


def problems(course: Course) -> list[str]:
    """Every problem in data/citations.yml itself: markers, notes, works and paragraphs that do not
    exist, and paragraphs recorded twice."""
    out: list[str] = []
    seen: set[tuple[str, int]] = set()
    for rec in course.citations:
        where = f'{CITATIONS_FILE}: "{rec.source}" paragraph {rec.paragraph}'
        if rec.source not in course.sources:
            out.append(
                f'{where}, field "source": no source "{rec.source}". Use one of: {", ".join(course.sources)}.'
            )
            continue
        if (rec.source, rec.paragraph) in seen:
            out.append(f"{where}: recorded twice. Merge the two records' cites.")
        seen.add((rec.source, rec.paragraph))
        para = find_paragraph(course, rec.source, rec.paragraph)
        if para is None:
            out.append(f"{where}: the text has no such paragraph. Correct the number.")
            continue
        for c in rec.cites:
            label = f'{where}, citation "{c.ref or c.names}"'
            if c.ref is not None and c.ref not in course.bibliography:
                out.append(f'{label}, field "ref": not in data/bibliography.yml. Add the work there.')
            elif c.ref is not None and rec.source not in course.bibliography[c.ref].cited_by:
                out.append(
                    f'{label}, field "ref": data/bibliography.yml does not list "{rec.source}" '
                    f'under "cited_by" for "{c.ref}". Add it there.'
                )
            host = find_paragraph(course, rec.source, c.at) if c.at else para
            if host is None:
                out.append(f'{label}, field "at": the text has no paragraph {c.at}.')
            elif compact(c.marker) not in compact(host.text):
                out.append(
                    f'{label}, field "marker": "{c.marker}" is not in paragraph {host.n}. Copy '
                    "the words that carry the citation exactly."
                )
            if c.covers and compact(c.covers) not in compact(para.text):
                out.append(f'{label}, field "covers": "{c.covers[:60]}" is not verbatim in the paragraph.')
            if c.note is not None:
                note = find_paragraph(course, rec.source, c.note)
                if note is None or note.kind != "note":
                    out.append(
                        f'{label}, field "note": paragraph {c.note} is not an endnote of the '
                        "text. Give the number of the note's paragraph."
                    )
    for ref in course.bibliography.values():
        for sid in ref.cited_by:
            if sid in course.sources and not listed_by(course, ref.id, sid):
                out.append(
                    f'data/bibliography.yml: "{ref.id}", field "cited_by": "{sid}" neither cites '
                    f"it in {CITATIONS_FILE} nor lists it in its notes or reading. Remove "
                    f'"{sid}", or record the citation.'
                )
    return out
