"""A page's data-drawn sections as notebook output: what the book's directives (`claims`,
`comparison-table`, `disagreements`, `exercise`, `timeline`) show, for the chapter notebooks.

Each function returns an `IPython.display.HTML`, so the section appears as the output of a package
call. Links lead to the built book in the edition (`_build/html/`), relative to the notebook, which
sits beside its page (`book/chapters/01-soviets.ipynb`); the exercise link opens the exercise
notebook itself.
"""

from __future__ import annotations

import posixpath
import re
from html import escape

from IPython.display import HTML

from . import labels, views
from .compare import claims_by_source, comparison_rows
from .corpus import reader_href
from .data import course
from .models import Course, Quote

FROM_DIR = "book/chapters"
BUILT_BOOK = "_build/html"
_HREF = re.compile(r'href="(?![a-z]+:|#|/)([^"]+)"')


def to_built_book(fragment: str, from_dir: str = FROM_DIR) -> str:
    """Relative links of the book's pages (`../readings/x.html#p-3`) as links from a notebook in
    `from_dir` to the built book (`../../_build/html/book/readings/x.html#p-3`).

    >>> to_built_book('<a href="../readings/x.html#p-3">x</a>')
    '<a href="../../_build/html/book/readings/x.html#p-3">x</a>'
    """
    up = "../" * len(from_dir.strip("/").split("/"))

    def fix(m: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(from_dir, m[1]))
        return f'href="{up}{BUILT_BOOK}/{target}"'

    return _HREF.sub(fix, fragment)


def _page(body: str, css: str, from_dir: str) -> HTML:
    return HTML(f'<div class="cw-notebook-section {css}">{to_built_book(body, from_dir)}</div>')


def _theme(c: Course, theme_id: str):
    if theme_id not in c.themes:
        raise KeyError(f'no theme "{theme_id}" in data/themes/ (known: {", ".join(c.themes)})')
    return c.themes[theme_id]


def _voice(c: Course, sid: str, from_dir: str, quote: Quote | None = None) -> str:
    who, joint = labels.voice(c, sid, quote)
    return (
        f'<p class="cw-voice"><strong>{escape(who, quote=False)}</strong>{joint}'
        f'<a href="{escape(reader_href(sid, None, from_dir))}">{escape(c.sources[sid].short)}</a></p>'
    )


def claims(theme_id: str, from_dir: str = FROM_DIR) -> HTML:
    """Each text's position on every question of the theme, in our words, then its own words."""
    c = course()
    theme = _theme(c, theme_id)
    by_source = claims_by_source(c, theme)
    out = []
    for q in theme.questions:
        out.append(f"<h4>{escape(q.text)}</h4>")
        for sid, mine in by_source.items():
            mine = [cl for cl in mine if cl.question == q.id]
            body = _voice(c, sid, from_dir)
            if not mine:
                note = next((s.note for s in theme.silent if s.source == sid), "")
                body += f"<p><em>Silent on this question.</em> {escape(note)}</p>"
            for cl in mine:
                body += f"<p>{escape(cl.position)}</p>"
                body += "".join(views.quote_html(c, qt, from_dir) for qt in cl.quotes)
            out.append(f'<div class="cw-claim cw-src-{sid}">{body}</div>')
    return _page("".join(out), "cw-claims", from_dir)


def comparison_table(theme_id: str, from_dir: str = FROM_DIR) -> HTML:
    """The texts × questions table: a few words a cell, silence shown as silence."""
    c = course()
    theme = _theme(c, theme_id)
    header, rows = comparison_rows(c, theme)
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        f'<tr><th><a href="{escape(reader_href(sid, None, from_dir))}">'
        f"{escape(c.sources[sid].voice)}</a></th>" + "".join(f"<td>{escape(x)}</td>" for x in cells) + "</tr>"
        for sid, cells in rows
    )
    return _page(
        f"<table><caption>The texts compared: {escape(theme.title)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
        "cw-compare",
        from_dir,
    )


def disagreements(theme_id: str, from_dir: str = FROM_DIR) -> HTML:
    """Every contradiction recorded for the theme: each side, its words and scholars, and why."""
    c = course()
    theme = _theme(c, theme_id)
    out = []
    for d in theme.disagreements:
        sides = []
        for side in d.sides:
            item = _voice(c, side.source, from_dir, side.quote)
            item += f"<p>{escape(side.says)}</p>" + views.quote_html(c, side.quote, from_dir)
            if side.cites:
                item += f"<p>Rests on: {views.scholars_html(c, side.cites, from_dir)}.</p>"
            sides.append(f"<li>{item}</li>")
        kind = labels.DISAGREEMENT_KIND[d.kind]
        out.append(
            f'<div class="cw-disagreement"><h4>{escape(kind)}: {escape(d.topic)}</h4>'
            f"<ul>{''.join(sides)}</ul><p><strong>Why they differ.</strong> {escape(d.why)}</p>"
            "</div>"
        )
    return _page(
        "".join(out) or "<p>No disagreements are recorded for this theme.</p>", "cw-disagreements", from_dir
    )


def exercise(exercise_id: str, from_dir: str = FROM_DIR) -> HTML:
    """The chapter's graded exercise: what it holds, and a link that opens its notebook."""
    from .checks import load_spec

    spec = load_spec(exercise_id)
    up = "../" * len(from_dir.strip("/").split("/"))
    link = f'<a href="{up}exercises/{escape(exercise_id)}.ipynb">exercises/{escape(exercise_id)}.ipynb</a>'
    if spec is None:
        return HTML(f"<p>The exercise notebook is {link}.</p>")
    items = spec.items
    graded = [i for i in items if i.graded]
    points = sum(i.points for i in graded)
    skills = ", ".join(sorted({i.skill for i in items if i.skill}))
    return HTML(
        f'<div class="cw-exercise"><p>{len(items)} items ({len(graded)} graded, worth '
        f"{points:g} points, and {len(items) - len(graded)} for practice), training: "
        f"{escape(skills)}.</p><p>Open the notebook: {link}.</p></div>"
    )


def _link(href: str, label: str) -> str:
    return f'<a class="cw-cite" href="{escape(href)}">{escape(label)}</a>'


def timeline(from_dir: str = "book/reference") -> HTML:
    """Every dated event the texts mention, year by year, with links to the paragraphs."""
    from .sphinx.timeline import events_by_year, mentions_by_source

    c = course()
    out = []
    for year, events in events_by_year(c).items():
        items = []
        for e in events:
            when = labels.event_date(e)
            found = mentions_by_source(c, e)
            if found:
                refs = "; ".join(
                    _link(reader_href(sid, None, from_dir), c.sources[sid].short)
                    + " "
                    + ", ".join(
                        _link(reader_href(sid, n, from_dir), labels.paragraph_number(c, sid, n)) for n in ns
                    )
                    for sid, ns in found.items()
                )
                mentions = f"Mentioned by: {refs}."
            else:
                mentions = f"<em>Not mentioned in the five texts.</em> {escape(e.outside or '')}"
            items.append(
                f"<li><p>{escape(when)} — <strong>{escape(e.title)}</strong></p>"
                f"<p>{escape(e.description)}</p><p>{mentions}</p></li>"
            )
        out.append(f"<h4>{year}</h4><ul>{''.join(items)}</ul>")
    return _page("".join(out), "cw-timeline", from_dir)
