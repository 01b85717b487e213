"""The book's widgets in Chromium, with no kernel: each renders from its saved state, each choice
shows its own view, every control is labelled and works from the keyboard, and each quiz gives
feedback. The checks run on one visit of each page (`widget_tour`); each test reads its part."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.browsing import widget_pages
from tests.browser.widget_state import KINDS, kinds_on_page
from tests.browser.widget_tour import WidgetReport

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def problems(reports: dict[str, WidgetReport], part: str) -> list[str]:
    return [p for r in reports.values() for p in getattr(r, part)]


def test_every_widget_kind_is_in_the_book(built_book: Path):
    shown = set().union(*(kinds_on_page(built_book / p) for p in widget_pages(built_book)))
    missing = [k.removeprefix("cw-") for k in KINDS if k not in shown]
    assert missing == [], f"no page of the book shows these widgets: {missing}"


def test_every_widget_page_was_toured(built_book: Path, widget_reports: dict[str, WidgetReport]):
    assert sorted(widget_reports) == widget_pages(built_book)


def test_every_widget_renders_from_its_saved_state(widget_reports: dict[str, WidgetReport]):
    assert problems(widget_reports, "drawn") == []


def test_each_choice_shows_its_own_view(widget_reports: dict[str, WidgetReport]):
    assert sum(r.choices_tried for r in widget_reports.values()) > 0, "no widget with a choice in the book"
    assert problems(widget_reports, "choices") == []


def test_every_choice_is_labelled(widget_reports: dict[str, WidgetReport]):
    assert problems(widget_reports, "labels") == []


def test_dropdowns_and_sliders_work_from_the_keyboard(widget_reports: dict[str, WidgetReport]):
    assert sum(r.keys_tried for r in widget_reports.values()) > 0
    assert problems(widget_reports, "keys") == []


def test_the_quiz_gives_feedback_for_each_reading(built_book: Path, widget_reports: dict[str, WidgetReport]):
    if not [p for p in widget_pages(built_book) if "cw-attribution-quiz" in kinds_on_page(built_book / p)]:
        pytest.fail("no page shows an attribution quiz", pytrace=False)
    assert problems(widget_reports, "quizzes") == []


def test_the_year_slider_announces_the_year(built_book: Path, visit):
    pages = [
        p for p in widget_pages(built_book) if "cw-turning-point-slider" in kinds_on_page(built_book / p)
    ]
    if not pages:
        pytest.fail("no page shows the turning-point slider", pytrace=False)
    v = visit(pages[0])
    handle = v.page.locator(".cw-turning-point-slider input[type=range]").first
    label = v.page.locator(f"label[for='{handle.get_attribute('id')}']").first
    assert label.inner_text().strip() == "Year:"
    assert handle.evaluate("e => e.labels[0].textContent") == "Year:"  # the accessible name's source
    handle.focus()
    handle.press("Home")
    for _ in range(4):
        handle.press("ArrowRight")
    assert handle.get_attribute("aria-valuetext") == "1921"
    assert "1921: what each text says" in v.page.locator(".cw-turning-point-slider").inner_text()
