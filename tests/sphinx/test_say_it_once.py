"""On the built book: each passage is quoted in full at most once per chapter, and later mentions
link back to it; every chapter shows its reading time; the texts × themes overview links every cell
to a claim that exists.

Run on a build already made with `--built-book …/_build/html`, or let the fixture build the book.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from courseware.load import load_course
from courseware.text import compact

COURSE = load_course()


class _Quotations(HTMLParser):
    """Full quotations (block `cw-quote`, inline `cw-q`) with the paragraph they cite, later mentions
    (`cw-q-again`) with the id they link to, every id on the page, and the reading-time note."""

    def __init__(self) -> None:
        super().__init__()
        self.full: list[tuple[tuple[str, int] | None, str]] = []
        self.again: list[str] = []
        self.ids: set[str] = set()
        self.reading_time = ""
        self._open: list | None = None  # [paragraph, words, depth, tag]
        self._in_time = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if a.get("id"):
            self.ids.add(a["id"])
        if "cw-reading-time" in classes:
            self._in_time = True
        if self._open is not None and tag == self._open[3]:
            self._open[2] += 1
        if self._open is None and (
            (tag == "blockquote" and "cw-quote" in classes) or (tag == "span" and "cw-q" in classes)
        ):
            self._open = [None, "", 1, tag]
        if tag == "a" and "cw-again" in classes:
            self.again.append(a.get("href", ""))
        if self._open is not None and tag == "a" and "cw-cite" in classes and self._open[0] is None:
            m = re.search(r"readings/([\w-]+)\.html#p(\d+)", a.get("href", ""))
            if m:
                self._open[0] = (m[1], int(m[2]))

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_time = False
        if self._open is not None and tag == self._open[3]:
            self._open[2] -= 1
            if self._open[2] == 0:
                self.full.append((self._open[0], self._open[1]))
                self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data
        if self._in_time:
            self.reading_time += data


def _parsed(page: Path) -> _Quotations:
    p = _Quotations()
    p.feed(page.read_text(encoding="utf-8"))
    return p


def _chapters(built_book: Path) -> list[Path]:
    pages = sorted((built_book / "book" / "chapters").glob("*.html"))
    assert len(pages) == len(COURSE.themes)
    return pages


def _passage(words: str) -> str:
    """A quotation's own words, without its attribution in brackets at the end."""
    return compact(re.sub(r"\s*\([^()]*¶\d+\)\s*$", "", words.strip()).strip("“” "))


def test_each_passage_is_quoted_in_full_at_most_once_per_chapter(built_book: Path):
    repeats = {}
    for page in _chapters(built_book):
        counts = Counter((para, _passage(words)) for para, words in _parsed(page).full if para)
        twice = {k: n for k, n in counts.items() if n > 1}
        if twice:
            repeats[page.stem] = twice
    assert repeats == {}


def test_later_mentions_link_to_the_full_quotation_on_the_same_page(built_book: Path):
    total = 0
    for page in _chapters(built_book):
        parsed = _parsed(page)
        for href in parsed.again:
            assert href.startswith("#") and href[1:] in parsed.ids, (page.stem, href)
        total += len(parsed.again)
    assert total > 50  # the chapters do mention passages again, and those mentions are links


def test_every_chapter_shows_its_reading_time(built_book: Path):
    for page in _chapters(built_book):
        text = " ".join(_parsed(page).reading_time.split())
        assert re.fullmatch(
            r"Reading time: about \d+ minutes \([\d,]+ words\), plus the widgets and "
            r"the graded exercise\.",
            text,
        ), (page.stem, text)


MOST_WORDS = 3_500  # a seminar's reading for one session (the chapters ran to 6,300 before they were cut)


def test_no_chapter_runs_over_a_seminars_reading(built_book: Path):
    words = {}
    for page in _chapters(built_book):
        text = " ".join(_parsed(page).reading_time.split())
        words[page.stem] = int(re.search(r"\(([\d,]+) words\)", text)[1].replace(",", ""))
    assert {k: n for k, n in words.items() if n > MOST_WORDS} == {}
    assert min(words.values()) > 1_500  # the count counts: a chapter's text is there


@pytest.mark.parametrize("sid", list(COURSE.sources))
def test_the_overview_links_each_text_to_its_claims(built_book: Path, sid: str):
    html = (built_book / "book" / "reference" / "texts-and-themes.html").read_text(encoding="utf-8")
    for theme in COURSE.themes.values():
        claims = [c for c in theme.claims if c.source == sid]
        if not claims:
            continue
        first = next(c for q in theme.questions for c in claims if c.question == q.id)
        target = f"{theme.page.split('/')[-1]}.html#claim-{first.question}-{sid}"
        assert target in html, (theme.id, sid)
        chapter = _parsed(built_book / f"{theme.page}.html")
        assert f"claim-{first.question}-{sid}" in chapter.ids
