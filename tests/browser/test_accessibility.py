"""axe-core (pinned, from the npm registry) finds no serious or critical violation on any page,
nor in any view of any widget."""

from __future__ import annotations

import pytest

from tests.browser.browsing import PageReport
from tests.browser.widget_tour import WidgetReport

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_no_page_has_a_serious_or_critical_violation(page_reports: dict[str, PageReport]):
    assert {p: r.violations for p, r in page_reports.items() if r.violations} == {}


def test_no_widget_view_has_a_serious_or_critical_violation(widget_reports: dict[str, WidgetReport]):
    """A widget shows one view at a time: the widget tour shows each in turn, gathers copies of
    them on the page (inside the widget's own classes, so the same styles apply), and axe checks
    them all at once."""
    assert sum(r.views_checked for r in widget_reports.values()) > 0
    assert [v for r in widget_reports.values() for v in r.violations] == []
