"""Records → HTML, one view per choice of a widget. Pure: no widgets, no I/O.

Every view is a self-contained HTML fragment (classes `cw-*`, styled by `_static/courseware.css`).
Links are relative to the page that shows the widget: `from_dir` is that page's folder, e.g.
"book/chapters" (the default) or "book/reference"; the reader is at `book/readings/<id>.html`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html import escape

from . import labels
from .corpus import reader_href
from .models import Course, Figure, Quote, Theme, TurningPoint
from .text import readable_when

FROM_DIR = "book/chapters"
YEARS = list(range(1917, 1931))


def no_data_view(what: str) -> str:
    """The view shown when a data file has nothing for a widget yet."""
    return f'<div class="cw-view cw-nodata"><p><strong>No data yet.</strong> {escape(what)}</p></div>'


def _up(from_dir: str) -> str:
    return "../" * (len(from_dir.strip("/").split("/")) - 1)


def bibliography_href(ref_id: str, from_dir: str = FROM_DIR) -> str:
    """A link from a page in `from_dir` to a scholar's entry in the bibliography.

    >>> bibliography_href("smith-2002")
    '../reference/bibliography.html#ref-smith-2002'
    """
    return f"{_up(from_dir)}reference/bibliography.html#ref-{ref_id}"


def paragraph_link(course: Course, source: str, n: int, from_dir: str = FROM_DIR) -> str:
    """An `<a>` to paragraph `n` of a text in the reader, labelled with the text and paragraph."""
    href = reader_href(source, n, from_dir)
    return f'<a class="cw-cite" href="{escape(href)}">{escape(labels.cite(course, source, n))}</a>'


def quote_html(course: Course, q: Quote, from_dir: str = FROM_DIR) -> str:
    """A verbatim quotation with its source label, linked to the paragraph in the reader."""
    return (
        f'<blockquote class="cw-quote cw-src-{q.source}"><p>{escape(q.text)}</p>'
        f"<footer>{paragraph_link(course, q.source, q.paragraph, from_dir)}</footer></blockquote>"
    )


def scholars_html(course: Course, ids: list[str], from_dir: str = FROM_DIR) -> str:
    """The scholars a figure or side rests on, linked to the bibliography; says so when none."""
    if not ids:
        return f'<span class="cw-noscholar">{labels.NO_SCHOLAR}</span>'
    out = []
    for rid in ids:
        label = labels.scholars([rid], course.bibliography)
        out.append(f'<a href="{escape(bibliography_href(rid, from_dir))}">{escape(label)}</a>')
    return ", ".join(out)


# ---- theme comparator -------------------------------------------------------------------------


def question_view(course: Course, theme: Theme, question_id: str, from_dir: str = FROM_DIR) -> str:
    """Every text's answer to one question of a theme, side by side; silence shown as silence."""
    cards = []
    for sid, src in course.sources.items():
        claims = [c for c in theme.claims if c.source == sid and c.question == question_id]
        if claims:
            body = "".join(
                f"<p>{escape(c.position)}</p>" + "".join(quote_html(course, q, from_dir) for q in c.quotes)
                for c in claims
            )
            cls = "cw-card"
        else:
            note = next((s.note for s in theme.silent if s.source == sid), "")
            body = '<p class="cw-silent-label">Silent on this question.</p>' + (
                f"<p>{escape(note)}</p>" if note else ""
            )
            cls = "cw-card cw-silent"
        cards.append(
            f'<section class="{cls} cw-src-{sid}"><h4>{escape(src.voice)}</h4>'
            f'<p class="cw-card-source">{escape(src.short)}</p>{body}</section>'
        )
    question = next(q.text for q in theme.questions if q.id == question_id)
    return (
        f'<div class="cw-view cw-compare-view"><h3>{escape(question)}</h3>'
        f'<div class="cw-cards">{"".join(cards)}</div></div>'
    )


# ---- turning points ---------------------------------------------------------------------------


def _verdict_badge(tp: TurningPoint) -> str:
    return f'<span class="cw-verdict cw-verdict-{tp.verdict}">{labels.VERDICT[tp.verdict]}</span>'


def turning_point_view(course: Course, year: int, from_dir: str = FROM_DIR) -> str:
    """Each text's verdict on `year` and its reason; a text with no verdict that year says so."""
    if not course.turning_points:
        return no_data_view("No turning points have been recorded in data/turning_points.yml.")
    by_source: dict[str, list[TurningPoint]] = defaultdict(list)
    for tp in sorted(course.turning_points, key=lambda t: t.year):
        by_source[tp.source].append(tp)
    rows = []
    for sid, src in course.sources.items():
        mine = [tp for tp in by_source.get(sid, []) if tp.year == year]
        if mine:
            body = "".join(
                f"<p>{_verdict_badge(tp)} {escape(tp.reason)}</p>"
                + (
                    f'<p class="cw-note">The text gives no year: “{escape(tp.undated)}”. The book '
                    f"places this verdict at {tp.year}.</p>"
                    if tp.undated
                    else ""
                )
                + (quote_html(course, tp.quote, from_dir) if tp.quote else "")
                for tp in mine
            )
            cls = "cw-card"
        else:
            earlier = [tp for tp in by_source.get(sid, []) if tp.year < year]
            body = f'<p class="cw-silent-label">No verdict recorded for {year}.</p>'
            if earlier:
                last = earlier[-1]
                body += (
                    f'<p class="cw-earlier">Its latest verdict before {year}: {last.year}, '
                    f"{labels.VERDICT[last.verdict]}.</p>"
                )
            cls = "cw-card cw-silent"
        rows.append(
            f'<section class="{cls} cw-src-{sid}"><h4>{escape(src.voice)}</h4>'
            f'<p class="cw-card-source">{escape(src.short)}</p>{body}</section>'
        )
    return (
        f'<div class="cw-view cw-turning-view"><h3>{year}: what each text says</h3>'
        f'<div class="cw-cards">{"".join(rows)}</div></div>'
    )


# ---- numbers in dispute -----------------------------------------------------------------------


def quantity_label(quantity: str) -> str:
    """A readable name for a figures `quantity` id.

    >>> quantity_label("party-membership")
    'Party membership'
    """
    words = quantity.replace("_", "-").split("-")
    text = " ".join(words).capitalize()
    for short, shown in _ACRONYMS.items():
        text = re.sub(rf"\b{short}\b", shown, text, flags=re.I)
    return text


_ACRONYMS = {
    "cec": "CEC",
    "sovnarkom": "Sovnarkom",
    "moscow": "Moscow",
    "petrograd": "Petrograd",
    "bolshevik": "Bolshevik",
    "kronstadt": "Kronstadt",
    "european": "European",
}


def figures_by_quantity(course: Course) -> dict[str, list[Figure]]:
    """The figures grouped by `quantity`, each group ordered by year, then text."""
    order = list(course.sources)
    groups: dict[str, list[Figure]] = defaultdict(list)
    for f in course.figures:
        groups[f.quantity].append(f)
    return {
        q: sorted(fs, key=lambda f: (f.year, order.index(f.source) if f.source in order else 99))
        for q, fs in groups.items()
    }


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _value_text(f: Figure) -> str:
    """The value with the text's own words when it hedges the number: 67 % (“Nearly two-thirds”)."""
    plain = f"{_number(f.value)} {f.unit}".strip()
    return f"{plain} (“{f.said}”)" if f.said else plain


def figures_chart_svg(course: Course, figures: list[Figure], title: str) -> str:
    """A horizontal bar chart as inline SVG: one bar per figure, labelled with text, date and scholar.

    Drawn at build time from the data, so it needs no kernel and no script.
    """
    bar_h, gap, label_w, bar_w = 22, 30, 330, 260
    value_w = 12 + 8 * max((len(_value_text(f)) for f in figures), default=10)  # ~8 px a character
    width = label_w + bar_w + value_w
    top = 8
    height = top + len(figures) * (bar_h + gap) + 4
    # bars are comparable only within a unit: each unit gets its own scale
    top_value: dict[str, float] = {}
    for f in figures:
        top_value[f.unit] = max(top_value.get(f.unit, 0.0), f.value)
    parts = [
        f'<svg class="cw-chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, f in enumerate(figures):
        y = top + i * (bar_h + gap)
        src = course.sources[f.source]
        colour = course.readings[src.reading].colour if src.reading in course.readings else "#444444"
        length = max(2.0, bar_w * f.value / (top_value[f.unit] or 1))
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="13" fill="#1a1a1a">{escape(src.short)}, '
            f"{escape(readable_when(f.when))}</text>"
            f'<text x="0" y="{y + 30}" font-size="11" fill="#444444">'
            f"{escape(labels.scholars(f.cites, course.bibliography))}</text>"
            f'<rect x="{label_w}" y="{y + 2}" width="{length:.1f}" height="{bar_h}" fill="{colour}"/>'
            f'<text x="{label_w + length + 6:.1f}" y="{y + 18}" font-size="13" fill="#1a1a1a">'
            f"{escape(_value_text(f))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def numbers_view(course: Course, quantity: str, from_dir: str = FROM_DIR) -> str:
    """Each text's figure for one quantity: value, date, what it counts, the scholar cited, a chart."""
    figures = figures_by_quantity(course).get(quantity, [])
    if not figures:
        return no_data_view(f'No figures for "{quantity}" in data/figures.yml.')
    label = quantity_label(quantity)
    rows = []
    for f in figures:
        src = course.sources[f.source]
        rows.append(
            f'<tr class="cw-src-{f.source}"><th scope="row">{escape(src.short)}</th>'
            f"<td>{escape(_value_text(f))}</td><td>{escape(readable_when(f.when))}</td><td>{escape(f.label)}</td>"
            f"<td>{scholars_html(course, f.cites, from_dir)}</td>"
            f"<td>“{escape(f.context)}” ({paragraph_link(course, f.source, f.paragraph, from_dir)})"
            + (f'<br><span class="cw-note">{escape(f.note)}</span>' if f.note else "")
            + "</td></tr>"
        )
    table = (
        f'<table class="cw-figures"><caption>{escape(label)}: the figures each text gives</caption>'
        '<thead><tr><th scope="col">Text</th><th scope="col">Figure</th><th scope="col">When</th>'
        '<th scope="col">What is counted</th><th scope="col">Scholar cited</th>'
        '<th scope="col">In the text\'s words</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    chart = figures_chart_svg(course, figures, f"{label}: each text's figure, with the scholar it cites")
    units = sorted({f.unit or "(no unit)" for f in figures})
    scale_note = (
        f'<figcaption class="cw-note">Figures in different units ({escape(", ".join(units))}) '
        "are drawn to separate scales: compare bar lengths only within a unit.</figcaption>"
        if len(units) > 1
        else ""
    )
    return (
        f'<div class="cw-view cw-numbers-view"><h3>{escape(label)}</h3>'
        f'<figure class="cw-chart-figure">{chart}{scale_note}</figure>{table}</div>'
    )


# ---- attribution quiz -------------------------------------------------------------------------


def quiz_prompt_view(q: Quote) -> str:
    """The unlabelled quotation a student attributes."""
    return (
        f'<div class="cw-quiz-prompt"><p class="cw-quiz-ask">Which reading is this quotation from?</p>'
        f'<blockquote class="cw-quote cw-unlabelled"><p>{escape(q.text)}</p></blockquote></div>'
    )


def quiz_neutral_view() -> str:
    """Shown before any reading is chosen."""
    return (
        '<div class="cw-feedback cw-neutral" role="status"><p>Choose a reading above: '
        "feedback on your choice appears here.</p></div>"
    )


def quiz_feedback_view(course: Course, q: Quote, chosen_reading: str, from_dir: str = FROM_DIR) -> str:
    """Feedback for choosing `chosen_reading` as the origin of quotation `q`."""
    src = course.sources[q.source]
    right_reading = course.readings[src.reading]
    chosen = course.readings[chosen_reading]
    if chosen_reading == src.reading:
        verdict = (
            f'<p class="cw-result cw-right"><strong>Right.</strong> It is the '
            f"{escape(chosen.name)} reading.</p>"
        )
        cls = "cw-right"
    else:
        verdict = (
            f'<p class="cw-result cw-wrong"><strong>Not this one.</strong> It is not the '
            f"{escape(chosen.name)} reading: it is the {escape(right_reading.name)} reading.</p>"
        )
        cls = "cw-wrong"
    return (
        f'<div class="cw-feedback {cls}">{verdict}<p>The quotation is from {escape(src.voice)}: '
        f"{escape(src.author)}, <em>{escape(src.title)}</em> ({escape(src.date)}). Read it in context: "
        f"{paragraph_link(course, q.source, q.paragraph, from_dir)}.</p></div>"
    )


def quiz_quotes(course: Course, theme: Theme, limit: int = 6) -> list[Quote]:
    """Up to `limit` quotations from the theme's claims, taking the texts in turn so that several
    readings appear. Readers' comments are left out: they are not any text's view."""
    per_source: dict[str, list[Quote]] = defaultdict(list)
    for claim in theme.claims:
        for q in claim.quotes:
            if labels.is_comment(course, q.source, q.paragraph):
                continue
            if q.source in course.sources and course.sources[q.source].reading in course.readings:
                per_source[q.source].append(q)
    out: list[Quote] = []
    queues = [per_source[sid] for sid in course.sources if per_source.get(sid)]
    while len(out) < limit and any(queues):
        for queue in queues:
            if queue and len(out) < limit:
                out.append(queue.pop(0))
    return out


# ---- timeline ---------------------------------------------------------------------------------


def timeline_view(course: Course, reading_id: str | None, from_dir: str = FROM_DIR) -> str:
    """The events the texts of `reading_id` mention, by date; `None` for every event."""
    if not course.events:
        return no_data_view("No events have been recorded in data/events.yml.")
    sources = [sid for sid, s in course.sources.items() if reading_id in (None, s.reading)]
    events = sorted(
        (
            e
            for e in course.events
            if (reading_id is None) or any(m.source in sources for m in e.mentioned_by)
        ),
        key=lambda e: e.date,
    )
    if reading_id is None:
        heading = "Every event in the timeline"
    else:
        heading = f"Events the {course.readings[reading_id].name} texts mention"
    if not events:
        return (
            f'<div class="cw-view cw-timeline-view"><h3>{escape(heading)}</h3>'
            '<p class="cw-silent-label">These texts mention none of the events recorded.</p></div>'
        )
    items = []
    for e in events:
        mentions = [m for m in e.mentioned_by if m.source in sources]
        links = ", ".join(paragraph_link(course, m.source, m.paragraph, from_dir) for m in mentions)
        where = (
            f'<p class="cw-mentions">Mentioned in: {links}</p>'
            if links
            else f'<p class="cw-outside">Not in the five texts. Source: {escape(e.outside)}</p>'
            if e.outside
            else '<p class="cw-outside">Not in the five texts.</p>'
        )
        items.append(
            f'<li class="cw-event"><p><time datetime="{escape(e.date)}">{escape(labels.event_date(e))}'
            f"</time> <strong>{escape(e.title)}</strong></p><p>{escape(e.description)}</p>"
            f"{where}</li>"
        )
    return (
        f'<div class="cw-view cw-timeline-view"><h3>{escape(heading)}</h3>'
        f'<ol class="cw-events">{"".join(items)}</ol></div>'
    )
