"""The book builds strictly from a clean state, every page is there, and the build catches errors.

The real book is built once per test session (fixture `built_book` in conftest.py); the failure
cases build a one-page book with the course's own `_config.yml` in a temporary folder.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from courseware.corpus import reader_page
from courseware.load import load_course
from tests.helpers import ROOT

JB = [sys.executable, "-m", "courseware.jb"]  # Jupyter Book, started through the package


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc["parts"]:
        files += [c["file"] for c in part["chapters"]]
    return files


def test_every_page_in_the_toc_is_built(built_book: Path):
    assert (built_book / "index.html").exists()
    missing = [f for f in toc_files() if not (built_book / f"{f}.html").exists()]
    assert missing == []


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if a.get("id"):
            self.ids.add(a["id"])


def parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_every_theme_chapter_quotes_every_text_that_speaks_to_it(built_book: Path):
    course = load_course()
    assert course.themes, "no theme data"
    for theme in course.themes.values():
        page = built_book / f"{theme.page}.html"
        assert page.exists(), f"{theme.id}: {theme.page} was not built"
        source_md = (ROOT / f"{theme.page}.md").read_text(encoding="utf-8")
        for directive in ("claims", "comparison-table", "disagreements"):
            assert f"{{{directive}}} {theme.id}" in source_md, f"{theme.page}.md lacks {{{directive}}}"
        links = parse(page).hrefs
        for sid in {c.source for c in theme.claims}:
            target = Path(reader_page(sid)).name + ".html#p"
            assert any(target in h for h in links), f"{theme.page}: no quotation linked to {sid}"


def test_every_quotation_link_lands_on_an_existing_paragraph(built_book: Path):
    anchors = {p.stem: parse(p).ids for p in (built_book / "book" / "readings").glob("*.html")}
    bad = []
    for page in (built_book / "book").rglob("*.html"):
        for href in parse(page).hrefs:
            m = re.search(r"readings/([\w-]+)\.html#(p\d+)$", href)
            if m and m[2] not in anchors.get(m[1], set()):
                bad.append(f"{page.name}: {href}")
    assert bad == []


def test_reader_pages_carry_provenance_and_numbered_anchors(built_book: Path):
    course = load_course()
    for sid, text in course.texts.items():
        html = (built_book / f"{reader_page(sid)}.html").read_text(encoding="utf-8")
        assert "About this text" in html
        ids = parse(built_book / f"{reader_page(sid)}.html").ids
        assert {f"p{p.n}" for p in text.paragraphs} <= ids
    ict = (built_book / f"{reader_page('ict-aurora-2017')}.html").read_text(encoding="utf-8")
    assert "Readers’ comments: not part of the article" in ict or "Readers' comments" in ict


def _tiny_book(tmp_path: Path, page: str) -> Path:
    book = tmp_path / "book"
    book.mkdir()
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    (book / "index.md").write_text(page, encoding="utf-8")
    return book


def _build(book: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*JB, "build", "--all", "-W", "-n", "--keep-going", str(book)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=book,
    )


NOTEBOOK = """---
jupytext:
  text_representation: {{extension: .md, format_name: myst}}
kernelspec: {{display_name: Python 3, language: python, name: python3}}
---
# A page

```{{code-cell}} ipython3
{code}
```
"""


@pytest.mark.slow
def test_a_cell_that_raises_fails_the_strict_build(tmp_path):
    book = _tiny_book(tmp_path, NOTEBOOK.format(code='raise ValueError("broken cell")'))
    result = _build(book)
    assert result.returncode != 0
    assert "broken cell" in result.stdout + result.stderr


@pytest.mark.slow
def test_the_same_page_without_the_error_builds(tmp_path):
    book = _tiny_book(tmp_path, NOTEBOOK.format(code="print('fine')"))
    result = _build(book)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.mark.slow
def test_a_misquotation_in_prose_fails_the_strict_build(tmp_path):
    page = "# A page\n\nHe wrote {q}`hampton-awl 30: Soviet democracy had ceased to work by 1921`.\n"
    result = _build(_tiny_book(tmp_path, page))
    assert result.returncode != 0
    assert "is not verbatim" in result.stdout + result.stderr
