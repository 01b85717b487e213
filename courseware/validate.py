"""Cross-file checks: ids exist, quotations are verbatim, figures occur, every text is accounted for."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from . import citations
from .corpus import find_paragraph, original_text
from .models import Course, DataError, Quote
from .text import closest_passage, compact, normalise, occurs_in


def check_quote(course: Course, quote: Quote, where: str) -> str | None:
    """None when `quote` occurs verbatim in its paragraph, else a message naming the nearest passage."""
    if quote.source not in course.sources:
        return f'{where}: source "{quote.source}" does not exist. Use one of: {", ".join(course.sources)}.'
    para = find_paragraph(course, quote.source, quote.paragraph)
    if para is None:
        last = course.texts[quote.source].paragraphs[-1].n if quote.source in course.texts else 0
        return (
            f'{where}: "{quote.source}" has no paragraph {quote.paragraph} (it has 1-{last}). '
            "Correct the number."
        )
    if occurs_in(quote.text, para.text):
        return None
    paragraphs = course.texts[quote.source].paragraphs
    for p in paragraphs:
        if occurs_in(quote.text, p.text):
            return (
                f'{where}: the quotation "{quote.text[:60]}" is in paragraph {p.n} of '
                f'"{quote.source}", not {quote.paragraph}. Correct the paragraph number.'
            )
    # Only the few paragraphs sharing most words with the quotation are searched closely.
    words = set(normalise(quote.text).lower().split())
    likely = sorted(paragraphs, key=lambda p: -len(words & set(normalise(p.text).lower().split())))
    best_n, best, score = quote.paragraph, "", -1.0
    for p in [para, *likely[:3]]:
        passage, s = closest_passage(quote.text, p.text)
        if s > score:
            best_n, best, score = p.n, passage, s
    return (
        f'{where}: the quotation "{quote.text}" is not verbatim in "{quote.source}" paragraph '
        f'{quote.paragraph}. Closest passage (paragraph {best_n}, {score:.0%} alike): "{best}". '
        "Copy the words exactly; mark a cut with '...'."
    )


def _quotes(course: Course) -> Iterator[tuple[Quote, str]]:
    for theme in course.themes.values():
        f = f"data/themes/{theme.id}.yml"
        for c in theme.claims:
            for q in c.quotes:
                yield q, f'{f}: claim "{c.question}/{c.source}", field "quotes"'
        for d in theme.disagreements:
            for s in d.sides:
                yield s.quote, f'{f}: disagreement "{d.id}", side "{s.source}", field "quote"'
    for tp in course.turning_points:
        if tp.quote:
            yield tp.quote, f'data/turning_points.yml: "{tp.source}" {tp.year}, field "quote"'


_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred"
    r"|thousand|million|half|thirds|third|fifths|fifth|quarter)"
)
_NUMBER = rf"(?:\d[\d,  .]*\d%?m?|\d%?|{_NUMBER_WORDS}(?:[- ](?:and\s+)?{_NUMBER_WORDS})*)"
_HEDGE = re.compile(
    r"\b(?:nearly|approximately|about|some|around|more than|over|less than|fewer than|no fewer than"
    r"|no more than|between|may have exceeded|perhaps|up to|at least|roughly|almost|estimated[\w ]*? at"
    rf"|it seems, of more than)\s+(?:the\s+)?(?P<n>{_NUMBER})(?:\s+(?:to|and)\s+{_NUMBER})?",
    re.IGNORECASE,
)


def hedge(context: str, value: float) -> str | None:
    """The words with which `context` hedges the figure `value`, if it does.

    >>> hedge("Nearly two-thirds of the committees", 67), hedge("over 200 workers had 69%", 69)
    ('Nearly two-thirds', None)
    """
    for m in _HEDGE.finditer(context):
        digits = re.sub(r"[,  ]", "", m["n"]).rstrip("%m")
        if not any(ch.isdigit() for ch in digits) or digits in (_digits(value), f"{value:g}"):
            return m.group(0)
    return None


def _digits(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def sources_are_faithful(course: Course) -> Iterator[str]:
    """Each source names a reading and an original that exists; its paragraphs run 1, 2, 3… and each
    is the original's words (only spacing, hyphenation and typography may differ)."""
    for s in course.sources.values():
        if s.reading not in course.readings:
            yield (
                f'data/sources.yml: record "{s.id}", field "reading": "{s.reading}" is not a '
                f"reading in data/readings.yml."
            )
        try:
            original = compact(original_text(course, s.id))
        except FileNotFoundError:
            yield (
                f'data/sources.yml: record "{s.id}", field "original": data/texts/original/'
                f"{s.original} is missing."
            )
            continue
        text = course.texts.get(s.id)
        if text is None:
            continue
        seen = 0
        for p in text.paragraphs:
            if p.n != seen + 1:
                yield (
                    f"data/texts/{s.id}.yml: paragraph {p.n} follows {seen}. Number "
                    "paragraphs 1, 2, 3… with no gaps."
                )
            seen = p.n
            if compact(p.text) not in original:
                yield (
                    f"data/texts/{s.id}.yml: paragraph {p.n} is not faithful to the original "
                    f"({s.original}); only spacing, hyphenation and typography may differ."
                )


def quotations_are_verbatim(course: Course) -> Iterator[str]:
    """Every quotation (claims, disagreements, turning points) occurs in the paragraph it cites."""
    for q, where in _quotes(course):
        msg = check_quote(course, q, where)
        if msg:
            yield msg


def claims_resolve(course: Course) -> Iterator[str]:
    """Every claim answers one of its theme's questions and names a source that exists."""
    for t in course.themes.values():
        f = f"data/themes/{t.id}.yml"
        qids = {q.id for q in t.questions}
        for c in t.claims:
            if c.question not in qids:
                yield (
                    f'{f}: claim "{c.question}/{c.source}", field "question": no question '
                    f'"{c.question}". Use one of: {", ".join(sorted(qids))}.'
                )
            if c.source not in course.sources:
                yield f'{f}: claim "{c.question}/{c.source}", field "source": no source "{c.source}".'


def sides_cite_what_they_rest_on(course: Course) -> Iterator[str]:
    """A disagreement side's scholars are in the bibliography and cited at the quoted words."""
    for t in course.themes.values():
        f = f"data/themes/{t.id}.yml"
        for d in t.disagreements:
            for side in d.sides:
                for cid in side.cites:
                    if cid not in course.bibliography:
                        yield (
                            f'{f}: disagreement "{d.id}", field "cites": "{cid}" is not in '
                            "data/bibliography.yml. Add it there."
                        )
                        continue
                    wrong = citations.rests_on(
                        course, side.quote.source, side.quote.paragraph, cid, side.quote.text
                    )
                    if wrong:
                        yield (
                            f'{f}: disagreement "{d.id}", side "{side.source}", field "cites": '
                            f"{wrong}. Cite only what the quoted words rest on, as recorded "
                            f"in {citations.CITATIONS_FILE}."
                        )


def every_text_is_accounted_for(course: Course) -> Iterator[str]:
    """In each theme, every text either speaks (has a claim) or is listed as silent, never both."""
    for t in course.themes.values():
        f = f"data/themes/{t.id}.yml"
        speaking = {c.source for c in t.claims}
        silent = {s.source for s in t.silent}
        for sid in course.sources:
            if sid not in speaking and sid not in silent:
                yield (
                    f'{f}: "{sid}" has no claim and is not listed under "silent". Quote it, '
                    "or say what it does instead."
                )
            if sid in speaking and sid in silent:
                yield f'{f}: "{sid}" has claims but is also listed as silent.'


def figures_are_faithful(course: Course) -> Iterator[str]:
    """Each figure's context is verbatim, holds its value, keeps the text's hedge in `said`, and
    cites only scholars its paragraph cites."""
    for fig in course.figures:
        where = f'data/figures.yml: figure "{fig.id}"'
        msg = check_quote(
            course,
            Quote(
                source=fig.source,
                paragraph=fig.paragraph,
                text=fig.context if len(fig.context) >= 8 else fig.context + " " * 8,
            ),
            where + ', field "context"',
        )
        if msg:
            yield msg
        elif re.search(r"\d", fig.context) and _digits(fig.value) not in re.sub(
            r"(?<=\d)[,  ](?=\d{3})", "", fig.context
        ):
            yield (
                f'{where}, field "value": {_digits(fig.value)} does not appear in its context '
                f'"{fig.context}".'
            )
        hedged = hedge(fig.context, fig.value)
        if fig.said and compact(fig.said) not in compact(fig.context):
            yield (
                f'{where}, field "said": "{fig.said}" is not in its context "{fig.context}". Copy '
                "the text's words exactly."
            )
        elif hedged and compact(hedged) not in compact(fig.said):
            yield (
                f'{where}, field "said": the text hedges this number ("{hedged}"); put its words '
                'in "said", so that they are shown with the value.'
            )
        for cid in fig.cites:
            if cid not in course.bibliography:
                yield f'{where}, field "cites": "{cid}" is not in data/bibliography.yml.'
                continue
            if msg:  # the words are not where the figure says: which paragraph cites what is moot
                continue
            wrong = citations.rests_on(course, fig.source, fig.paragraph, cid, fig.context)
            if wrong:
                yield (
                    f'{where}, field "cites": {wrong}. Cite only what the figure rests on, as '
                    f"recorded in {citations.CITATIONS_FILE}."
                )


def events_point_at_paragraphs(course: Course) -> Iterator[str]:
    """Each event's mentions name a paragraph that exists."""
    for ev in course.events:
        for m in ev.mentioned_by:
            if find_paragraph(course, m.source, m.paragraph) is None:
                yield (
                    f'data/events.yml: event "{ev.id}", field "mentioned_by": "{m.source}" '
                    f"has no paragraph {m.paragraph}."
                )


def turning_points_resolve(course: Course) -> Iterator[str]:
    """Each turning point names a source, and an undated one gives the text's own words for when."""
    for tp in course.turning_points:
        if tp.source not in course.sources:
            yield f'data/turning_points.yml: source "{tp.source}" does not exist.'
        elif tp.undated and not (tp.quote and occurs_in(tp.undated, tp.quote.text)):
            yield (
                f'data/turning_points.yml: "{tp.source}" {tp.year}, field "undated": '
                f'"{tp.undated}" is not in the quotation. Give the text\'s own words for when.'
            )


def glossary_links_resolve(course: Course) -> Iterator[str]:
    """Each glossary "see" names an entry that exists."""
    for g in course.glossary.values():
        for other in g.see:
            if other not in course.glossary:
                yield f'data/glossary.yml: entry "{g.id}", field "see": no entry "{other}".'


def citations_are_recorded_faithfully(course: Course) -> Iterator[str]:
    """data/citations.yml: each recorded citation is where it says (see `citations.problems`)."""
    yield from citations.problems(course)


def bibliography_is_cited_by_sources(course: Course) -> Iterator[str]:
    """Each bibliography entry's `cited_by` names sources that exist."""
    for r in course.bibliography.values():
        for sid in r.cited_by:
            if sid not in course.sources:
                yield f'data/bibliography.yml: "{r.id}", field "cited_by": no source "{sid}".'


def topics_group_known_quantities(course: Course) -> Iterator[str]:
    """Each topic of the numbers overview names quantities that have figures, each in one topic."""
    known = {f.quantity for f in course.figures}
    seen: dict[str, str] = {}
    for t in course.topics:
        for q in t.quantities:
            if q not in known:
                yield f'data/topics.yml: topic "{t.topic}": no figure in data/figures.yml counts "{q}".'
            elif q in seen:
                yield f'data/topics.yml: "{q}" is in both "{seen[q]}" and "{t.topic}". Keep it in one.'
            seen.setdefault(q, t.topic)


Check = Callable[[Course], Iterator[str]]
CHECKS: tuple[Check, ...] = (
    sources_are_faithful,
    quotations_are_verbatim,
    claims_resolve,
    sides_cite_what_they_rest_on,
    every_text_is_accounted_for,
    figures_are_faithful,
    events_point_at_paragraphs,
    turning_points_resolve,
    glossary_links_resolve,
    citations_are_recorded_faithfully,
    bibliography_is_cited_by_sources,
    topics_group_known_quantities,
)


def problems(course: Course) -> list[str]:
    """Every cross-file problem, one line each, from every check in `CHECKS` in turn."""
    return [problem for check in CHECKS for problem in check(course)]


def validate_course(course: Course) -> None:
    """Raise `DataError` listing every cross-file problem."""
    found = problems(course)
    if found:
        raise DataError(found)
