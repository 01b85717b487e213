"""views: records → HTML. Each view carries the texts' words, the right links and silence as silence."""

from __future__ import annotations

import dataclasses
from html import escape
from pathlib import Path

import pytest

from courseware import views
from courseware.load import load_course
from courseware.models import (
    Claim,
    Course,
    Event,
    Figure,
    Mention,
    Question,
    Quote,
    Reference,
    Silence,
    Theme,
    TurningPoint,
)
from tests.helpers import copy_data

ICT_COMMENT = 20  # ICT paragraphs 18-27 are readers' comments, not the article


def paragraph_text(c: Course, sid: str, n: int) -> str:
    return next(p.text for p in c.texts[sid].paragraphs if p.n == n)


def words(c: Course, sid: str, n: int, count: int = 6) -> str:
    """The first few words of a paragraph: a verbatim quotation for the test course."""
    return " ".join(paragraph_text(c, sid, n).split()[:count])


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    """The real texts, sources and readings, with a small theme and one record of each list."""
    c = load_course(copy_data(tmp_path_factory.mktemp("data")))
    theme = Theme(
        id="t",
        number=1,
        title="Test theme",
        page="book/chapters/01-test",
        questions=[Question(id="q1", text="First question?"), Question(id="q2", text="Second question?")],
        claims=[
            Claim(
                question="q1",
                source="hampton-awl",
                position="AWL position in our words.",
                short="AWL",
                quotes=[Quote(source="hampton-awl", paragraph=6, text=words(c, "hampton-awl", 6))],
            ),
            Claim(
                question="q1",
                source="ict-aurora-2017",
                position="ICT position.",
                short="ICT",
                quotes=[
                    Quote(source="ict-aurora-2017", paragraph=5, text=words(c, "ict-aurora-2017", 5)),
                    Quote(
                        source="ict-aurora-2017",
                        paragraph=ICT_COMMENT,
                        text=words(c, "ict-aurora-2017", ICT_COMMENT),
                    ),
                ],
            ),
            Claim(
                question="q2",
                source="anarchist-essay",
                position="Anarchist position.",
                short="An",
                quotes=[Quote(source="anarchist-essay", paragraph=5, text=words(c, "anarchist-essay", 5))],
            ),
        ],
        silent=[Silence(source="icf-98-2017", note="It says nothing of this.")],
    )
    return dataclasses.replace(
        c,
        themes={"t": theme},
        figures=[
            Figure(
                id="f1",
                quantity="party-membership",
                label="Bolshevik members",
                value=8400,
                unit="members",
                when="1905",
                year=1905,
                source="hampton-awl",
                paragraph=6,
                context="8,400",
                cites=["rigby-1968"],
            ),
            Figure(
                id="f2",
                quantity="party-membership",
                label="Bolshevik members",
                value=23600,
                unit="members",
                when="1917-01",
                year=1917.0,
                source="ict-aurora-2017",
                paragraph=6,
                context="members",
            ),
        ],
        bibliography={
            "rigby-1968": Reference(
                id="rigby-1968",
                author="Rigby, T. H.",
                year="1968",
                title="Communist Party Membership",
                cited_by=["hampton-awl"],
            )
        },
        events=[
            Event(
                id="feb",
                date="1917-03-08",
                old_style="23 February 1917",
                title="February revolution",
                description="Our words.",
                mentioned_by=[Mention(source="anarchist-essay", paragraph=5)],
            ),
            Event(
                id="oct",
                date="1917-11-07",
                title="October",
                description="Our words.",
                mentioned_by=[Mention(source="hampton-awl", paragraph=6)],
            ),
            Event(
                id="ext",
                date="1922-12",
                title="Outside event",
                description="Our words.",
                outside="A history book",
            ),
        ],
        turning_points=[
            TurningPoint(source="hampton-awl", year=1928, verdict="lost", reason="A new ruling class."),
            TurningPoint(source="ict-aurora-2017", year=1921, verdict="lost", reason="A party-state."),
        ],
    )


def test_question_view_shows_each_text_its_words_and_its_silence(course: Course):
    html = views.question_view(course, course.themes["t"], "q1")
    assert "<h3>First question?</h3>" in html
    assert html.count('<section class="cw-card') == len(course.sources)
    assert "AWL position in our words." in html
    assert "../readings/hampton-awl.html#p6" in html
    assert "Hampton (AWL), ¶6" in html or f"{course.sources['hampton-awl'].short}, ¶6" in html
    assert "Silent on this question." in html and "It says nothing of this." in html


def test_a_readers_comment_is_labelled_as_such_never_as_the_text(course: Course):
    html = views.question_view(course, course.themes["t"], "q1")
    label = f"reader's comment on {course.sources['ict-aurora-2017'].short}, ¶{ICT_COMMENT}"
    assert escape(label) in html


def test_links_from_a_reference_page_reach_the_reader(course: Course):
    html = views.question_view(course, course.themes["t"], "q1", from_dir="book/reference")
    assert "../readings/hampton-awl.html#p6" in html


def test_turning_point_view_gives_verdict_and_reason_or_says_none(course: Course):
    html = views.turning_point_view(course, 1921)
    assert "1921: what each text says" in html
    assert "A party-state." in html and "cw-verdict-lost" in html
    assert "No verdict recorded for 1921." in html
    later = views.turning_point_view(course, 1925)
    assert "Its latest verdict before 1925: 1921, lost." in later


def test_turning_point_view_without_data_says_so(course: Course):
    empty = dataclasses.replace(course, turning_points=[])
    assert "No data yet." in views.turning_point_view(empty, 1921)


def test_numbers_view_shows_each_figure_its_date_scholar_and_a_chart(course: Course):
    html = views.numbers_view(course, "party-membership")
    assert "<h3>Party membership</h3>" in html
    assert "8,400 members" in html and "23,600 members" in html
    assert "1905" in html and "January 1917" in html
    assert '<a href="../reference/bibliography.html#ref-rigby-1968">Rigby 1968</a>' in html
    assert "no scholar named" in html
    assert '<svg class="cw-chart" role="img"' in html
    assert html.count("<rect ") == 2
    assert "Rigby 1968</text>" in html  # the chart labels each bar with its scholar


def test_numbers_view_for_an_unknown_quantity_says_no_data(course: Course):
    assert "No data yet." in views.numbers_view(course, "nothing")


def test_quiz_feedback_is_right_for_the_quotes_reading_and_wrong_for_the_others(course: Course):
    q = course.themes["t"].claims[0].quotes[0]  # hampton-awl → awl
    right = views.quiz_feedback_view(course, q, "awl")
    assert "Right." in right and "../readings/hampton-awl.html#p6" in right
    wrong = views.quiz_feedback_view(course, q, "anarchist")
    assert "Not this one." in wrong and course.readings["awl"].name in wrong
    assert q.text in views.quiz_prompt_view(q)
    assert course.sources["hampton-awl"].short not in views.quiz_prompt_view(q)  # unlabelled


def test_quiz_quotes_take_texts_in_turn_and_leave_out_readers_comments(course: Course):
    quotes = views.quiz_quotes(course, course.themes["t"], limit=10)
    assert [q.source for q in quotes] == ["ict-aurora-2017", "anarchist-essay", "hampton-awl"]
    assert all(q.paragraph != ICT_COMMENT for q in quotes)
    assert len(views.quiz_quotes(course, course.themes["t"], limit=2)) == 2


def test_timeline_view_filters_by_reading_and_orders_by_date(course: Course):
    everything = views.timeline_view(course, None)
    assert (
        everything.index("February revolution")
        < everything.index("October")
        < everything.index("Outside event")
    )
    assert "Not in the five texts. Source: A history book" in everything
    assert "old style: 23 February 1917" in everything
    anarchist = views.timeline_view(course, "anarchist")
    assert "February revolution" in anarchist and "October" not in anarchist
    assert "../readings/anarchist-essay.html#p5" in anarchist
    assert "mention none" in views.timeline_view(course, "ict-left-communist")


def test_views_escape_html_in_the_data(course: Course):
    q = Quote(source="hampton-awl", paragraph=6, text="<script>alert(1)</script>")
    assert "<script>" not in views.quote_html(course, q)


def test_the_chart_is_drawn_at_build_time_with_no_script(course: Course):
    svg = views.figures_chart_svg(course, course.figures, "t")
    assert "<script" not in svg and svg.startswith("<svg")


def test_reader_links_match_the_reader_pages_layout():
    assert Path(views.FROM_DIR).parts == ("book", "chapters")
    assert views.bibliography_href("x", "book/chapters") == "../reference/bibliography.html#ref-x"


def test_figures_in_different_units_get_separate_scales_and_say_so(course: Course):
    pct = Figure(
        id="f3",
        quantity="party-membership",
        label="Share",
        value=25,
        unit="%",
        when="1921",
        year=1921,
        source="hampton-awl",
        paragraph=6,
        context="members",
    )
    mixed = dataclasses.replace(course, figures=[*course.figures, pct])
    html = views.numbers_view(mixed, "party-membership")
    assert "drawn to separate scales" in html
    svg = views.figures_chart_svg(mixed, mixed.figures, "t")
    assert 'width="260.0"' in svg  # the largest of each unit fills the bar: 23,600 members and 25 %
    assert svg.count('width="260.0"') == 2
    assert "separate scales" not in views.numbers_view(course, "party-membership")


@pytest.mark.parametrize(
    ("quantity", "words"),
    [("factory-committees", "Nearly two-thirds"), ("soviet-1905", "between two and three million")],
)
def test_numbers_view_shows_a_hedged_figure_in_the_texts_words(quantity, words):
    html = views.numbers_view(load_course(), quantity)
    assert escape(f"(“{words}”)") in html or f"(“{words}”)" in html
