"""A chapter's data-drawn sections as notebook output: the same data as the book's directives, with
links that work from the chapter notebook (to the built book, or to the exercise notebook)."""

from __future__ import annotations

import re

from courseware import page_views
from courseware.data import course


def test_links_of_the_book_become_links_into_the_built_book_from_the_notebook():
    fragment = '<a href="../readings/x.html#p3">x</a> <a href="https://example.org/">y</a> <a href="#z">z</a>'
    out = page_views.to_built_book(fragment)
    assert 'href="../../_build/html/book/readings/x.html#p3"' in out
    assert 'href="https://example.org/"' in out and 'href="#z"' in out


def test_claims_show_every_text_on_every_question_with_its_own_words():
    theme = course().themes["soviets"]
    html = page_views.claims("soviets").data
    for q in theme.questions:
        assert q.text.replace("'", "&#x27;") in html or q.text in html
    assert html.count('class="cw-claim') == len(theme.questions) * len(course().sources)
    quote = theme.claims[0].quotes[0]
    assert f"../../_build/html/book/readings/{quote.source}.html#p{quote.paragraph}" in html


def test_comparison_table_and_disagreements_are_drawn_from_the_data():
    theme = course().themes["soviets"]
    table = page_views.comparison_table("soviets").data
    assert table.count("<tr>") == 1 + len(course().sources)
    dis = page_views.disagreements("soviets").data
    assert dis.count('class="cw-disagreement"') == len(theme.disagreements)
    assert "Why they differ." in dis


def test_the_exercise_section_links_to_the_exercise_notebook():
    html = page_views.exercise("soviets").data
    assert 'href="../../exercises/soviets.ipynb"' in html
    assert re.search(r"\d+ items \(\d+ graded, worth \d+ points", html)
