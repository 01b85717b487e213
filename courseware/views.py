"""Records → HTML, one view per choice of a widget. Pure: no widgets, no I/O."""

from __future__ import annotations

from html import escape

from .corpus import reader_href
from .load import Course
from .models import Quote, Theme


def quote_html(course: Course, q: Quote, from_dir: str = "book/chapters") -> str:
    """A verbatim quotation with its source label, linked to the paragraph in the reader."""
    src = course.sources[q.source]
    href = reader_href(q.source, q.paragraph, from_dir)
    return (
        f'<blockquote class="cw-quote cw-src-{q.source}"><p>{escape(q.text)}</p>'
        f'<footer><a href="{escape(href)}">{escape(src.short)}, ¶{q.paragraph}</a></footer></blockquote>'
    )


def question_view(course: Course, theme: Theme, question_id: str, from_dir: str = "book/chapters") -> str:
    """Every text's answer to one question of a theme, side by side; silence shown as silence."""
    cards = []
    for sid, src in course.sources.items():
        claims = [c for c in theme.claims if c.source == sid and c.question == question_id]
        body = (
            "".join(f"<p>{escape(c.position)}</p>" + "".join(quote_html(course, q, from_dir)
                                                                for q in c.quotes) for c in claims)
            if claims else '<p class="cw-silent">Silent on this question.</p>'
        )
        cards.append(f'<section class="cw-card cw-src-{sid}"><h4>{escape(src.voice)}</h4>{body}</section>')
    question = next(q.text for q in theme.questions if q.id == question_id)
    return f'<div class="cw-view"><h3>{escape(question)}</h3><div class="cw-cards">{"".join(cards)}</div></div>'
