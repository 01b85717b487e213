"""Cross-file checks: ids exist, quotations are verbatim, figures occur, every text is accounted for."""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import citations
from .corpus import find_paragraph, original_text
from .load import Course, DataError
from .models import Quote
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


def problems(course: Course) -> list[str]:
    """Every cross-file problem, one line each."""
    out: list[str] = []
    bib, srcs = course.bibliography, course.sources

    for s in srcs.values():
        if s.reading not in course.readings:
            out.append(
                f'data/sources.yml: record "{s.id}", field "reading": "{s.reading}" is not a '
                f"reading in data/readings.yml."
            )
        try:
            original = compact(original_text(course, s.id))
        except FileNotFoundError:
            out.append(
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
                out.append(
                    f"data/texts/{s.id}.yml: paragraph {p.n} follows {seen}. Number "
                    "paragraphs 1, 2, 3… with no gaps."
                )
            seen = p.n
            if compact(p.text) not in original:
                out.append(
                    f"data/texts/{s.id}.yml: paragraph {p.n} is not faithful to the original "
                    f"({s.original}); only spacing, hyphenation and typography may differ."
                )

    for q, where in _quotes(course):
        msg = check_quote(course, q, where)
        if msg:
            out.append(msg)

    for t in course.themes.values():
        f = f"data/themes/{t.id}.yml"
        qids = {q.id for q in t.questions}
        speaking = set()
        for c in t.claims:
            if c.question not in qids:
                out.append(
                    f'{f}: claim "{c.question}/{c.source}", field "question": no question '
                    f'"{c.question}". Use one of: {", ".join(sorted(qids))}.'
                )
            if c.source not in srcs:
                out.append(f'{f}: claim "{c.question}/{c.source}", field "source": no source "{c.source}".')
            speaking.add(c.source)
        for d in t.disagreements:
            for side in d.sides:
                for cid in side.cites:
                    if cid not in bib:
                        out.append(
                            f'{f}: disagreement "{d.id}", field "cites": "{cid}" is not in '
                            "data/bibliography.yml. Add it there."
                        )
                        continue
                    wrong = citations.rests_on(
                        course, side.quote.source, side.quote.paragraph, cid, side.quote.text
                    )
                    if wrong:
                        out.append(
                            f'{f}: disagreement "{d.id}", side "{side.source}", field "cites": '
                            f"{wrong}. Cite only what the quoted words rest on, as recorded "
                            f"in {citations.CITATIONS_FILE}."
                        )
        silent = {s.source for s in t.silent}
        for sid in srcs:
            if sid not in speaking and sid not in silent:
                out.append(
                    f'{f}: "{sid}" has no claim and is not listed under "silent". Quote it, '
                    "or say what it does instead."
                )
            if sid in speaking and sid in silent:
                out.append(f'{f}: "{sid}" has claims but is also listed as silent.')

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
            out.append(msg)
        elif re.search(r"\d", fig.context) and _digits(fig.value) not in re.sub(
            r"(?<=\d)[,  ](?=\d{3})", "", fig.context
        ):
            out.append(
                f'{where}, field "value": {_digits(fig.value)} does not appear in its context '
                f'"{fig.context}".'
            )
        hedged = hedge(fig.context, fig.value)
        if fig.said and compact(fig.said) not in compact(fig.context):
            out.append(
                f'{where}, field "said": "{fig.said}" is not in its context "{fig.context}". Copy '
                "the text's words exactly."
            )
        elif hedged and compact(hedged) not in compact(fig.said):
            out.append(
                f'{where}, field "said": the text hedges this number ("{hedged}"); put its words '
                'in "said", so that they are shown with the value.'
            )
        for cid in fig.cites:
            if cid not in bib:
                out.append(f'{where}, field "cites": "{cid}" is not in data/bibliography.yml.')
                continue
            if msg:  # the words are not where the figure says: which paragraph cites what is moot
                continue
            wrong = citations.rests_on(course, fig.source, fig.paragraph, cid, fig.context)
            if wrong:
                out.append(
                    f'{where}, field "cites": {wrong}. Cite only what the figure rests on, as '
                    f"recorded in {citations.CITATIONS_FILE}."
                )

    for ev in course.events:
        for m in ev.mentioned_by:
            if find_paragraph(course, m.source, m.paragraph) is None:
                out.append(
                    f'data/events.yml: event "{ev.id}", field "mentioned_by": "{m.source}" '
                    f"has no paragraph {m.paragraph}."
                )
    for tp in course.turning_points:
        if tp.source not in srcs:
            out.append(f'data/turning_points.yml: source "{tp.source}" does not exist.')
        elif tp.undated and not (tp.quote and occurs_in(tp.undated, tp.quote.text)):
            out.append(
                f'data/turning_points.yml: "{tp.source}" {tp.year}, field "undated": '
                f'"{tp.undated}" is not in the quotation. Give the text\'s own words for when.'
            )
    for g in course.glossary.values():
        for other in g.see:
            if other not in course.glossary:
                out.append(f'data/glossary.yml: entry "{g.id}", field "see": no entry "{other}".')
    out.extend(citations.problems(course))
    for r in bib.values():
        for sid in r.cited_by:
            if sid not in srcs:
                out.append(f'data/bibliography.yml: "{r.id}", field "cited_by": no source "{sid}".')
    return out


def validate_course(course: Course) -> None:
    """Raise `DataError` listing every cross-file problem."""
    found = problems(course)
    if found:
        raise DataError(found)
