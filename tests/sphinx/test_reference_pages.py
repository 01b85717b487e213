"""The timeline and glossary directives, built in a tiny Sphinx project: every event and every
glossary entry gets its anchor, and every link it prints points where it should."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sphinx.application import Sphinx

from courseware.data import course
from courseware.sphinx.glossary import sort_key
from courseware.text import normalise

PAGES = {
    "index.rst": "Test\n====\n\n.. toctree::\n\n   book/reference/timeline\n   book/reference/glossary\n"
    "   book/reference/part\n",
    "book/reference/timeline.rst": "Timeline\n========\n\n.. timeline::\n",
    "book/reference/glossary.rst": "Glossary\n========\n\n.. glossary-list::\n",
    "book/reference/part.rst": "Part\n====\n\n.. timeline::\n   :from: 1921\n   :to: 1921\n",
}


class _Anchors(HTMLParser):
    """Collects every id, every href, and the text of each <dt> in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.terms: list[str] = []
        self._in_dt = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "dt":
            self._in_dt = True
            self.terms.append("")

    def handle_endtag(self, tag):
        if tag == "dt":
            self._in_dt = False

    def handle_data(self, data):
        if self._in_dt:
            self.terms[-1] += data


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, _Anchors]:
    src = tmp_path_factory.mktemp("src")
    out = tmp_path_factory.mktemp("out")
    (src / "conf.py").write_text("extensions = ['courseware.sphinx']\nhtml_theme = 'basic'\n")
    for name, text in PAGES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text)
    warnings = io.StringIO()
    app = Sphinx(
        str(src),
        str(src),
        str(out),
        str(out / ".doctrees"),
        "html",
        status=None,
        warning=warnings,
        freshenv=True,
    )
    app.build()
    assert warnings.getvalue() == "", warnings.getvalue()
    pages = {}
    for name in ("timeline", "glossary", "part"):
        parser = _Anchors()
        parser.feed(Path(out, "book", "reference", f"{name}.html").read_text(encoding="utf-8"))
        pages[name] = parser
    return pages


def test_every_event_has_its_anchor(built):
    ids = built["timeline"].ids
    for event in course().events:
        assert f"event-{event.id}" in ids
    assert len([i for i in ids if i.startswith("event-")]) == len(course().events)


def test_every_mention_links_to_its_paragraph_in_the_reader(built):
    hrefs = set(built["timeline"].hrefs)
    for event in course().events:
        for m in event.mentioned_by:
            assert f"../readings/{m.source}.html#p{m.paragraph}" in hrefs


def test_years_filter_shows_only_those_years(built):
    shown = {i for i in built["part"].ids if i.startswith("event-")}
    expected = {f"event-{e.id}" for e in course().events if e.date.startswith("1921")}
    assert shown == expected and expected


def test_every_glossary_entry_has_its_anchor_in_alphabetical_order(built):
    page = built["glossary"]
    for entry in course().glossary.values():
        assert f"term-{entry.id}" in page.ids
    expected = [e.term for e in sorted(course().glossary.values(), key=sort_key)]
    assert [normalise(t) for t in page.terms] == [normalise(t) for t in expected]


def test_see_also_links_point_to_anchors_on_the_page(built):
    page = built["glossary"]
    see = [h for h in page.hrefs if h.startswith("#term-")]
    assert see, "no see-also links were rendered"
    for h in see:
        assert h[1:] in page.ids
