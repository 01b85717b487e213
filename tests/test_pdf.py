"""The print edition: the book as one PDF and a handout per chapter (`make pdf`, `bin/course pdf`).

The slow test builds both from a clean folder exactly as the command does (TeX Live installed first
if missing) and reads the PDF back as text with poppler's pdftotext. The quick tests cover the parts:
links between pages made into links inside the PDF, the LaTeX log's warnings, the widgets' printed
form, the handouts' pieces.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from docutils import nodes
from sphinx import addnodes

from courseware.data import course
from courseware.printing import build, handouts, latex
from courseware.text import compact
from courseware.widgets import attribution_quiz, numbers_explorer, theme_comparator, turning_point_slider
from tests.helpers import ROOT

# ---- links inside the PDF -----------------------------------------------------------------------


def test_a_relative_html_link_names_its_document_and_anchor():
    assert latex.page_target("book/chapters/01-soviets", "../readings/hampton-awl.html#p31") == (
        "book/readings/hampton-awl",
        "p31",
    )
    assert latex.page_target("book/index", "reference/glossary.html") == ("book/reference/glossary", "")
    assert latex.page_target("book/index", "https://example.org/a.html") is None
    assert latex.page_target("book/index", "#p3") is None


def _tree() -> nodes.document:
    """A book of two pages, as the LaTeX builder assembles it: a chapter quoting the reader."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    doc = new_document("book", get_default_settings(Parser))
    chapter = addnodes.start_of_file(docname="book/chapters/01-soviets")
    para = nodes.paragraph()
    para += nodes.reference("", "Hampton, ¶2", refuri="../readings/hampton-awl.html#p2")
    para += nodes.reference("", "glossary", refuri="../reference/glossary.html#term-soviet")
    chapter += para
    reader = addnodes.start_of_file(docname="book/readings/hampton-awl")
    text = nodes.paragraph(ids=["p2"])
    text += nodes.Text("the paragraph")
    reader += text
    doc += [chapter, reader]
    return doc


def test_links_to_pages_in_the_pdf_point_inside_it_and_others_lose_their_link():
    doc = _tree()
    inside, dropped = latex.relink(doc, "book/index")
    assert (inside, dropped) == (1, 1)
    refs = list(doc.findall(nodes.reference))
    assert [r["refuri"] for r in refs] == ["%book/readings/hampton-awl#p2"]
    assert "glossary" in doc.astext()  # the words stay
    # the paragraph's anchor became a target the LaTeX writer labels
    targets = list(doc.findall(nodes.target))
    assert [t["ids"] for t in targets] == [["p2"]]


# ---- the LaTeX log ------------------------------------------------------------------------------


def test_known_warnings_are_explained_and_others_are_not():
    log = (
        "Package inputenc Warning: inputenc package ignored with utf8 based engines.\n"
        "LaTeX Warning: Reference `book/readings/x:p9' on page 3 undefined on input line 12.\n"
        "Package hyperref Warning: Token not allowed in a PDF string (Unicode):\n"
        "(hyperref)                removing `\\sphinxhyphen' on input line 5.\n"
        "Overfull \\hbox (3.0pt too wide) in paragraph at lines 1--2\n"
    )
    found = build.log_warnings("book.pdf", log)
    assert [bool(w.explained) for w in found] == [True, False, False]
    assert "undefined" in found[1].text
    assert "removing" in found[2].text  # the continuation line is part of the warning


# ---- the widgets on paper -----------------------------------------------------------------------


def _printed(widget) -> str:
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(widget)
    assert "application/vnd.jupyter.widget-view+json" in data  # the page still shows the widget
    return data["text/markdown"]


def test_the_comparator_prints_every_question_and_every_text():
    c = course()
    for theme in c.themes.values():
        text = _printed(theme_comparator(theme.id))
        for q in theme.questions:
            assert q.text.split()[0] in text
        assert text.count("\n- **") >= len(theme.questions) * len(c.sources)  # a claim or a silence each


def test_the_slider_prints_as_a_table_of_years_and_the_numbers_as_tables():
    slider = _printed(turning_point_slider())
    assert all(f"| {year} |" in slider for year in range(1917, 1931))
    numbers = _printed(numbers_explorer())
    assert numbers.count("| Text | Figure | When |") >= 2


def test_the_quiz_prints_questions_and_marks_its_answers_for_the_back():
    text = _printed(attribution_quiz("soviets"))
    assert "{quiz-answers}`Soviets`" in text
    assert re.search(r"^1\. “", text, re.M)
    assert "{para}`" in text


# ---- handouts -----------------------------------------------------------------------------------


def test_every_chapter_has_what_its_handout_is_made_of():
    c = course()
    titles = handouts.chapter_titles(ROOT)
    for theme in c.themes.values():
        h = handouts.handout(c, theme, ROOT, titles, "cite")
        assert "## Learning goals" in h.markdown and "## Discussion" in h.markdown
        assert f"{{comparison-table}} {theme.id}" in h.markdown
        assert "{ref}" not in h.markdown  # a handout has no other chapter to link to


def test_a_chapter_without_learning_goals_is_named_with_the_fix(tmp_path):
    c = course()
    theme = c.themes["soviets"]
    page = tmp_path / f"{theme.page}.md"
    page.parent.mkdir(parents=True)
    page.write_text("# Soviets\n\n## Discussion\n\n1. Why?\n", encoding="utf-8")
    with pytest.raises(handouts.HandoutError, match=r"01-soviets\.md: no ```\{admonition\} Learning goals"):
        handouts.handout(c, theme, tmp_path, {}, "cite")


# ---- the whole thing ----------------------------------------------------------------------------


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def printed(tmp_path_factory, shared_executions) -> Path:
    """`bin/course pdf OUT` from a clean folder: installs what is missing, builds the book and handouts
    (with the notebooks' outputs from the run's book build: `shared_executions`)."""
    out = tmp_path_factory.mktemp("pdf")
    done = subprocess.run(
        ["bin/course", "pdf", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=3600
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-5000:]
    assert "UNEXPLAINED" not in done.stdout
    return out


@pytest.mark.slow
def test_the_book_pdf_is_named_for_the_course_and_has_every_chapter_and_text(printed):
    pdf = printed / "four-readings-of-1917.pdf"
    assert pdf.exists() and not (printed / "projectnamenotset.pdf").exists()
    text = _pdf_text(pdf)
    flat = compact(text)
    c = course()
    for theme in c.themes.values():
        assert compact(theme.title) in flat, theme.title
    for sid, body in c.texts.items():
        for p in body.paragraphs:  # every paragraph of every text, in the reader part
            assert compact(p.text)[:80] in flat, f"{sid} ¶{p.n}"
    answers = 0
    for theme in c.themes.values():  # the dropdowns' answers print, not only their questions
        page = (ROOT / f"{theme.page}.md").read_text(encoding="utf-8")
        for body in re.findall(r"^```\{dropdown\}[^\n]*\n(.*?)^```", page, re.S | re.M):
            plain = [ln for ln in body.splitlines() if len(ln) > 40 and not re.search(r"[{}`*_]", ln)]
            if plain:
                assert compact(plain[0])[:40] in flat, (theme.id, plain[0])
                answers += 1
    assert answers >= len(c.themes)


@pytest.mark.slow
def test_the_pdf_has_no_widget_repr_and_no_link_to_a_web_page_file(printed):
    pdf = printed / "four-readings-of-1917.pdf"
    text = _pdf_text(pdf)
    for repr_start in ("VBox(", "Dropdown(", "ToggleButtons(", "SelectionSlider(", "Stack("):
        assert repr_start not in text
    urls = subprocess.run(["pdfinfo", "-url", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert not re.search(r"\.html?\b", "\n".join(u for u in urls.splitlines() if "marxists.org" not in u))
    assert "Answers to the practice quizzes" in text
    assert "Printed form of the interactive comparison" in text


@pytest.mark.slow
def test_quotation_links_lead_to_paragraphs_inside_the_pdf(printed):
    tex = (printed / "_build" / "latex" / "four-readings-of-1917.tex").read_text(encoding="utf-8")
    log = (printed / "_build" / "latex" / "four-readings-of-1917.log").read_text(
        encoding="utf-8", errors="replace"
    )
    to_reader = re.findall(r"\\hyperref\[\\detokenize\{book/readings/[\w-]+:p\d+\}\]", tex)
    assert len(to_reader) > 500
    local = [t for t in re.findall(r"\\href\{([^}]*)\}", tex) if not t.startswith(("http", "mailto"))]
    assert local == []  # every link between pages became a link inside the PDF
    assert "undefined" not in log.lower()


@pytest.mark.slow
def test_a_short_handout_for_every_chapter(printed):
    c = course()
    made = sorted((printed / "handouts").glob("*.pdf"))
    assert len(made) == len(c.themes)
    for pdf in made:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
        assert 2 <= pages <= 5, (pdf.name, pages)  # a seminar handout: a few pages, not a chapter
        text = _pdf_text(pdf)
        for heading in ("Learning goals", "The texts compared", "Where they disagree", "Discussion"):
            assert heading in text, (pdf.name, heading)
