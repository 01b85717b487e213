"""Every page of the built book works offline: no request leaves the machine, no local file is
missing, and no script of ours fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.browsing import PageReport, html_pages, widget_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_widget_javascript_is_served_by_the_book_not_a_cdn(built_book: Path):
    pages = widget_pages(built_book)
    assert pages, "no page of the book shows a widget"
    assert (built_book / "_static" / "courseware-widgets.js").exists()
    for page in pages:
        html = (built_book / page).read_text(encoding="utf-8")
        scripts = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
        assert any("_static/courseware-widgets.js" in s for s in scripts), page
        assert [s for s in scripts if "embed" in s or "jupyter-widgets" in s] == [], page
        assert [s for s in scripts if "://" in s or s.startswith("//")] == [], page
        assert [s for s in scripts if "require" in s] == [], f"{page} loads require.js"


def test_pages_without_widgets_do_not_load_the_widget_javascript(built_book: Path):
    plain = sorted(set(html_pages(built_book)) - set(widget_pages(built_book)))
    assert plain
    loads = re.compile(r'<script[^>]*\bsrc="[^"]*courseware-widgets\.js')  # not a page naming the file
    assert [p for p in plain if loads.search((built_book / p).read_text(encoding="utf-8"))] == []
    assert loads.search((built_book / widget_pages(built_book)[0]).read_text(encoding="utf-8"))


def test_no_page_requests_anything_beyond_localhost(page_reports: dict[str, PageReport]):
    assert {p: r.external for p, r in page_reports.items() if r.external} == {}


def test_every_local_request_succeeds(page_reports: dict[str, PageReport]):
    assert {p: r.failed for p, r in page_reports.items() if r.failed} == {}


def test_no_page_error_comes_from_the_course(page_reports: dict[str, PageReport]):
    assert {p: r.errors for p, r in page_reports.items() if r.errors} == {}
