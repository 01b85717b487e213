"""One place for each label: the functions of `courseware.labels` on real records, every view that
shows a label agreeing with them, and the package's source free of the copies they replace."""

from __future__ import annotations

import doctest
import re
import typing
from html import escape
from pathlib import Path

import pytest

from courseware import labels, views
from courseware.data import course
from courseware.models import Disagreement, Event, Paragraph, Quote, Reference, TurningPoint
from courseware.printing import markdown
from courseware.turning import VERDICTS, reasons_html, reasons_markdown, turning_chart

PACKAGE = Path(labels.__file__).resolve().parent
ICT = "ict-aurora-2017"
ICT_TEXT, ICT_COMMENT = 12, 20  # ICT paragraphs 18-27 are readers' comments, not the article


def _ref(author: str, year: str = "1971") -> Reference:
    return Reference(id="x-1971", author=author, year=year, title="t", outside="for the test")


def test_doctests_pass():
    assert doctest.testmod(labels).failed == 0


# ---- scholars ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "surname", "scholar"),
    [
        ("Rigby, T. H.", "Rigby", "Rigby 1971"),
        ("Broué, P.", "Broué", "Broué 1971"),
        ("Workers Solidarity Movement", "Workers Solidarity Movement", "Workers Solidarity Movement 1971"),
    ],
)
def test_a_work_is_named_author_year(author, surname, scholar):
    assert labels.surname(_ref(author)) == surname
    assert labels.scholar(_ref(author)) == scholar


def test_every_work_of_the_bibliography_is_named_as_before():
    for ref in course().bibliography.values():
        assert labels.scholar(ref) == f"{ref.author.split(',')[0]} {ref.year}"


def test_scholars_join_names_keep_unknown_ids_and_say_when_none():
    bib = course().bibliography
    assert labels.scholars(["rigby-1971", "smith-2002"], bib) == "Rigby 1971, Smith 2002"
    assert labels.scholars(["no-such-work"], bib) == "no-such-work"
    assert labels.scholars([], bib) == labels.NO_SCHOLAR == "no scholar named"


def test_a_note_names_a_work_by_its_author_only_in_notes_and_reading_lists():
    ref = _ref("Smith, S. A.")
    assert labels.names_author(Paragraph(n=1, kind="note", text="[2] S.A. SMITH, Red Petrograd"), ref)
    assert labels.names_author(Paragraph(n=1, kind="reading", text="Smith, Red Petrograd"), ref)
    assert not labels.names_author(Paragraph(n=1, kind="text", text="Smith, Red Petrograd"), ref)
    assert not labels.names_author(Paragraph(n=1, kind="note", text="[2] Rabinowitch"), ref)


def test_views_print_and_charts_name_scholars_alike():
    c = course()
    sides = [s for t in c.themes.values() for d in t.disagreements for s in d.sides if len(s.cites) > 1]
    assert sides, "no side rests on two works: the joined form is untested"
    side = sides[0]
    joined = labels.scholars(side.cites, c.bibliography)
    assert ", " in joined
    html = views.scholars_html(c, side.cites)
    assert re.sub(r"<[^>]+>", "", html) == joined
    from courseware import charts

    assert charts.scholars(side.cites, c) == joined


# ---- verdicts -----------------------------------------------------------------------------------


def test_every_verdict_of_the_data_has_one_label():
    allowed = typing.get_args(TurningPoint.model_fields["verdict"].annotation)
    assert set(labels.VERDICT) == set(allowed)
    assert labels.VERDICT["holding"] == "holding on"


def test_chart_legend_reasons_slider_and_print_say_holding_on():
    c = course()
    holding = next(tp for tp in c.turning_points if tp.verdict == "holding")
    assert {k: v.label for k, v in VERDICTS.items()} == labels.VERDICT
    legend = [t.get_text() for t in turning_chart().legends[0].get_texts()]
    assert legend == list(labels.VERDICT.values())
    assert ">holding on<" in reasons_html()
    assert "*holding on*" in reasons_markdown()
    assert ">holding on<" in views.turning_point_view(c, holding.year)
    assert "holding on" in markdown.turning_points(c)


def test_every_kind_of_disagreement_has_a_heading():
    allowed = typing.get_args(Disagreement.model_fields["kind"].annotation)
    assert set(labels.DISAGREEMENT_KIND) == set(allowed)


# ---- whose words --------------------------------------------------------------------------------


def test_a_readers_comment_is_told_apart_from_the_text():
    c = course()
    short = c.sources[ICT].short
    assert labels.is_comment(c, ICT, ICT_COMMENT)
    assert not labels.is_comment(c, ICT, ICT_TEXT)
    assert not labels.is_comment(c, ICT, 9999)  # no such paragraph: not a comment
    assert labels.cite(c, ICT, ICT_TEXT) == f"{short}, ¶{ICT_TEXT}"
    assert labels.cite(c, ICT, ICT_COMMENT) == f"reader's comment on {short}, ¶{ICT_COMMENT}"
    assert labels.paragraph_number(c, ICT, ICT_TEXT) == f"¶{ICT_TEXT}"
    assert labels.paragraph_number(c, ICT, ICT_COMMENT) == f"¶{ICT_COMMENT} (reader's comment)"


def test_the_voice_of_a_quotation_from_a_comment_is_the_commenter():
    c = course()
    words = c.texts[ICT].paragraphs[ICT_COMMENT - 1].text[:40]
    comment = Quote(source=ICT, paragraph=ICT_COMMENT, text=words)
    own = Quote(source=ICT, paragraph=ICT_TEXT, text=c.texts[ICT].paragraphs[ICT_TEXT - 1].text[:40])
    assert labels.voice(c, ICT) == (c.sources[ICT].voice, " — ")
    assert labels.voice(c, ICT, own) == (c.sources[ICT].voice, " — ")
    assert labels.voice(c, ICT, comment) == ("A reader's comment", " under ")
    assert labels.speaker(c, comment) == "a reader's comment"
    assert labels.speaker(c, own) == "its own words"
    assert escape(labels.cite(c, ICT, ICT_COMMENT)) in views.quote_html(c, comment)


# ---- dates --------------------------------------------------------------------------------------


def test_an_event_date_is_in_words_with_its_old_style_date():
    e = Event(id="x", date="1917-03-08", old_style="23 February 1917", title="t", description="d")
    assert labels.event_date(e) == "8 March 1917 (old style: 23 February 1917)"
    assert labels.event_date(e.model_copy(update={"old_style": ""})) == "8 March 1917"
    c = course()
    first = sorted(c.events, key=lambda e: e.date)[0]
    assert escape(labels.event_date(first)) in views.timeline_view(c, None)
    assert markdown.esc(labels.event_date(first)) in markdown.timeline(c)


# ---- the copies are gone ------------------------------------------------------------------------


def _sources(skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Each module of the package (the wheel's copy of the data left out) by its path in it."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("public/") or rel in skip:
            continue
        out[rel] = path.read_text(encoding="utf-8")
    return out


def _offenders(pattern: str, skip: tuple[str, ...]) -> list[str]:
    found = re.compile(pattern)
    return [
        f"{rel}:{n}: {line.strip()}"
        for rel, text in _sources(skip).items()
        for n, line in enumerate(text.splitlines(), 1)
        if found.search(line)
    ]


# what, how a copy looked, a pattern that finds it, the modules allowed to hold it
COPIES = [
    (
        "an author's surname",
        "f\"{ref.author.split(',')[0]} {ref.year}\"",
        r"\.author\.split\(",
        ("labels.py",),
    ),
    ("a verdict's label", '"holding": "holding on",', r"\"holding on\"|Verdict\(\"holding\"", ("labels.py",)),
    ("the no-scholar wording", 'or "no scholar named"', r"\"no scholar named\"", ("labels.py",)),
    ("a disagreement kind's heading", '_KIND = {"fact": "On a fact"}', r"\"On a fact\"", ("labels.py",)),
    (
        "the reader's-comment test",
        'if para is not None and para.kind == "comment":',
        r"kind == \"comment\"",
        ("labels.py",),
    ),
    (
        "a reader's-comment label",
        'label = f"reader\'s comment on {src.short}"',
        r"reader's comment on|\(reader's comment\)",
        ("labels.py",),
    ),
    ("month names", '"September",', r"\"September\"|%B", ("text.py",)),
    (
        "a date formatter",
        "def format_date(iso: str) -> str:",
        r"def format_date|old style: \{",
        ("labels.py",),
    ),
    (
        "a link into the reader",
        'f"{up}readings/{source_id}.html"',
        r"readings/\{|relpath\(reader_page|href\(.*reader_page\(",
        (),
    ),
    (
        "the repository root",
        "ROOT = Path(__file__).resolve().parent.parent",
        r"__file__\)\.resolve\(\)\.parent\.parent|ROOT = Path",
        (),
    ),
    ("a typography fold", "_QUOTES = str.maketrans(", r"maketrans", ("text.py",)),
    (
        "a YAML reader",
        'raw = yaml.safe_load(path.read_text(encoding="utf-8"))',
        r"yaml\.(safe_)?load\(",
        ("yamltext.py",),
    ),
]


@pytest.mark.parametrize(("what", "copy", "pattern", "home"), COPIES, ids=[c[0] for c in COPIES])
def test_each_label_is_made_in_one_place(what, copy, pattern, home):
    assert re.search(pattern, copy), f"the pattern for {what} would not find a copy"
    assert _offenders(pattern, home) == [], f"{what} is made outside {', '.join(home) or 'its one function'}"
