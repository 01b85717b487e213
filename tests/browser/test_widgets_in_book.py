"""The book's widgets in Chromium, with no kernel: each renders from its saved state, each choice
shows its own view, every control is labelled and works from the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.browsing import choose, widget_pages
from tests.browser.widget_state import KINDS, choice_widgets, kinds_on_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOTS = ".widget-subarea > .jupyter-widgets"


def squash(text: str) -> str:
    return " ".join(text.split())


def test_every_widget_kind_is_in_the_book(built_book: Path):
    shown = set().union(*(kinds_on_page(built_book / p) for p in widget_pages(built_book)))
    missing = [k.removeprefix("cw-") for k in KINDS if k not in shown]
    assert missing == [], f"no page of the book shows these widgets: {missing}"


def test_every_widget_renders_from_its_saved_state(built_book: Path, visit):
    problems = []
    for path in widget_pages(built_book):
        v = visit(path)
        scripts = v.page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
        roots = v.page.locator(ROOTS)
        if roots.count() != scripts:
            problems.append(f"{path}: {scripts} saved widget views, {roots.count()} drawn")
        for i in range(roots.count()):
            text = squash(roots.nth(i).inner_text())
            if not text or "Error displaying widget" in text:
                problems.append(f"{path}: widget {i} shows {text[:80]!r}")
        v.page.context.close()
    assert problems == []


def test_each_choice_shows_its_own_view(built_book: Path, visit):
    checked, problems = 0, []
    for path in widget_pages(built_book):
        widgets = choice_widgets(built_book / path)
        if not widgets:
            continue
        v = visit(path)
        roots = v.page.locator(ROOTS)
        for w in widgets:
            if not w.linked:
                problems.append(f"{path}: {w.css_class} has no jslink from its choice to its views")
                continue
            root = roots.nth(w.view_index)
            stack = root.locator(":scope > .widget-container").first
            # the last option first, so that every option, including the first, is a change
            for i in [len(w.options) - 1, *range(len(w.options))]:
                choose(root, w.kind, i)
                shown = squash(stack.inner_text())
                if w.expected[i] not in shown:
                    problems.append(
                        f"{path}: {w.css_class}, option {i} ({w.options[i]!r}): expected "
                        f"{w.expected[i]!r}, shows {shown[:100]!r}"
                    )
                checked += 1
        v.page.context.close()
    assert checked > 0, "no widget with a choice in the book"
    assert problems == []


def test_every_choice_is_labelled(built_book: Path, visit):
    problems = []
    for path in widget_pages(built_book):
        v = visit(path)
        page = v.page
        for sel in page.locator(".jupyter-widgets select").all():
            label = page.locator(f"label[for='{sel.get_attribute('id')}']")
            if label.count() == 0 or not label.first.inner_text().strip():
                problems.append(f"{path}: a dropdown without a label")
        for group in page.locator(".widget-toggle-buttons [role=group]").all():
            label = page.locator(f"#{group.get_attribute('aria-labelledby')}")
            if label.count() == 0 or not label.first.inner_text().strip():
                problems.append(f"{path}: toggle buttons without a label")
            for b in group.locator("button").all():
                if not b.inner_text().strip():
                    problems.append(f"{path}: a toggle button without text")
        for slider in page.locator(".jupyter-widgets input[type=range]").all():
            label = page.locator(f"label[for='{slider.get_attribute('id')}']")
            if label.count() == 0 or not label.first.inner_text().strip():
                problems.append(f"{path}: a slider without a label")
        v.page.context.close()
    assert problems == []


def test_dropdowns_and_sliders_work_from_the_keyboard(built_book: Path, visit):
    checked, problems = 0, []
    for path in widget_pages(built_book):
        widgets = [w for w in choice_widgets(built_book / path) if len(w.options) > 1]
        if not widgets:
            continue
        v = visit(path)
        roots = v.page.locator(ROOTS)
        for w in widgets:
            root = roots.nth(w.view_index)
            stack = root.locator(":scope > .widget-container").first
            if w.kind == "dropdown":
                control = root.locator("select").first
            elif w.kind == "slider":
                control = root.locator("input[type=range]").first
            else:
                continue
            control.focus()
            control.press("ArrowRight" if w.kind == "slider" else "ArrowDown")
            shown = squash(stack.inner_text())
            if w.expected[1] not in shown:
                problems.append(
                    f"{path}: {w.css_class}: the arrow key did not show option 1 "
                    f"({w.expected[1]!r}); shows {shown[:80]!r}"
                )
            checked += 1
        v.page.context.close()
    assert checked > 0
    assert problems == []


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


def test_the_quiz_gives_feedback_for_each_reading(built_book: Path, visit):
    pages = [p for p in widget_pages(built_book) if "cw-attribution-quiz" in kinds_on_page(built_book / p)]
    if not pages:
        pytest.fail("no page shows an attribution quiz", pytrace=False)
    problems = []
    for path in pages:
        v = visit(path)
        for quiz in v.page.locator(".cw-attribution-quiz").all():
            picker = quiz.locator("select").first
            for q in range(picker.locator("option").count()):
                picker.select_option(index=q)
                card = quiz.locator(".cw-quiz-card").first
                neutral = card.locator(".cw-quiz-neutral")
                if not neutral.is_visible() or card.locator(".cw-quiz-feedback .cw-feedback").count():
                    problems.append(f"{path}: quotation {q}: no neutral view before a choice")
                buttons = card.locator(".widget-toggle-buttons button")
                results = []
                for b in range(buttons.count()):
                    buttons.nth(b).click()
                    if buttons.nth(b).get_attribute("aria-pressed") != "true":
                        problems.append(f"{path}: quotation {q}, reading {b}: not shown as pressed")
                    fb = squash(card.locator(".cw-quiz-feedback").inner_text())
                    results.append(
                        "right"
                        if fb.startswith("Right.")
                        else "wrong"
                        if fb.startswith("Not this one.")
                        else fb[:60]
                    )
                    if "¶" not in fb:
                        problems.append(f"{path}: quotation {q}, reading {b}: no paragraph link")
                if sorted(results) != ["right"] + ["wrong"] * (len(results) - 1):
                    problems.append(f"{path}: quotation {q}: feedback {results}")
                if neutral.is_visible():
                    problems.append(f"{path}: quotation {q}: the neutral view stays after a choice")
        v.page.context.close()
    assert problems == []
