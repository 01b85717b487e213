"""axe-core (pinned, from the npm registry) finds no serious or critical violation on any page,
nor in any view of any widget."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.browsing import PageReport, axe_violations, choose, widget_pages
from tests.browser.widget_state import choice_widgets

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_no_page_has_a_serious_or_critical_violation(page_reports: dict[str, PageReport]):
    assert {p: r.violations for p, r in page_reports.items() if r.violations} == {}


def test_no_widget_view_has_a_serious_or_critical_violation(built_book: Path, visit, axe_js: str):
    """A widget shows one view at a time: show each in turn, gather copies of them on the page
    (inside the widget's own classes, so the same styles apply), and check them all at once."""
    problems, views = [], 0
    for path in widget_pages(built_book):
        v = visit(path)
        roots = v.page.locator(".widget-subarea > .jupyter-widgets")
        v.page.evaluate("""() => { const d = document.createElement('div'); d.id = 'cw-axe-views';
                                   document.querySelector('main, article, body').appendChild(d); }""")
        for w in choice_widgets(built_book / path):
            root = roots.nth(w.view_index)
            for i in range(len(w.options)):
                choose(root, w.kind, i)
                root.evaluate("""r => { const copy = document.createElement('div');
                    copy.className = r.className;
                    copy.appendChild(r.children[1].cloneNode(true));
                    document.getElementById('cw-axe-views').appendChild(copy); }""")
                views += 1
        problems += [f"{path}: {p}" for p in axe_violations(v.page, axe_js, "#cw-axe-views")]
        v.page.context.close()
    assert views > 0
    assert problems == []
