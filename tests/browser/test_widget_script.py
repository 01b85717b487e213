"""courseware-widgets.js on its own, in Chromium: pages written here with saved widget state, as
ipywidgets saves it, so each rule of the script is checked without building the book."""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as w
import pytest
from ipywidgets.embed import embed_data

from courseware.sphinx.widgetjs import JS_DIR, WIDGETS_JS

pytestmark = pytest.mark.browser


def page_with(tmp_path: Path, *views: w.Widget) -> str:
    """A page carrying `views` exactly as myst-nb writes them, with the course's script; its URL."""
    data = embed_data(views=list(views))
    view_tags = "".join(
        f'<div class="cell_output"><script type="application/vnd.jupyter.widget-view+json">'
        f"{json.dumps(spec)}</script></div>"
        for spec in data["view_specs"]
    )
    (tmp_path / "page.html").write_text(
        "<!doctype html><html lang='en'><head><title>t</title>"
        f'<script type="application/vnd.jupyter.widget-state+json">{json.dumps(data["manager_state"])}'
        f'</script><script src="{(JS_DIR / WIDGETS_JS).as_uri()}"></script></head>'
        f"<body><main>{view_tags}</main></body></html>",
        encoding="utf-8",
    )
    return (tmp_path / "page.html").as_uri()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    context.close()
    assert errors == [], f"the script raised: {errors}"


def test_a_dropdown_linked_to_a_stack_shows_the_chosen_view(tmp_path: Path, page):
    choice = w.Dropdown(options=["one", "two", "three"], index=0, description="Pick:")
    stack = w.Stack([w.HTML("<p>first</p>"), w.HTML("<p>second</p>"), w.HTML("<p>third</p>")])
    w.jslink((choice, "index"), (stack, "selected_index"))
    page.goto(page_with(tmp_path, w.VBox([choice, stack])))
    area = page.locator(".widget-subarea > .jupyter-widgets.widget-vbox")
    assert "first" in area.inner_text() and "second" not in area.inner_text()
    select = page.locator("select")
    assert page.locator(f"label[for='{select.get_attribute('id')}']").inner_text() == "Pick:"
    select.select_option(index=2)
    assert "third" in area.inner_text() and "first" not in area.inner_text()
    select.focus()
    select.press("ArrowUp")
    assert "second" in area.inner_text() and "third" not in area.inner_text()


def test_toggle_buttons_are_a_named_group_whose_choice_is_pressed(tmp_path: Path, page):
    choice = w.ToggleButtons(options=["a", "b"], index=None, description="Answer:")
    stack = w.Stack([w.HTML("is a"), w.HTML("is b")], selected_index=None)
    w.jslink((choice, "index"), (stack, "selected_index"))
    page.goto(page_with(tmp_path, w.VBox([choice, stack])))
    group = page.locator("[role=group]")
    assert page.locator(f"#{group.get_attribute('aria-labelledby')}").inner_text() == "Answer:"
    buttons = group.locator("button")
    assert [buttons.nth(i).get_attribute("aria-pressed") for i in range(2)] == ["false", "false"]
    assert "is a" not in page.inner_text("main")  # nothing chosen: no view
    buttons.nth(1).click()
    assert [buttons.nth(i).get_attribute("aria-pressed") for i in range(2)] == ["false", "true"]
    assert "is b" in page.inner_text("main")


def test_the_slider_is_a_labelled_range_that_announces_its_option(tmp_path: Path, page):
    choice = w.SelectionSlider(options=["1917", "1918", "1919"], description="Year:")
    stack = w.Stack([w.HTML(f"in {y}") for y in ("1917", "1918", "1919")])
    w.jslink((choice, "index"), (stack, "selected_index"))
    page.goto(page_with(tmp_path, w.VBox([choice, stack])))
    slider = page.locator("input[type=range]")
    assert slider.evaluate("e => e.labels[0].textContent") == "Year:"
    slider.focus()
    slider.press("End")
    assert slider.get_attribute("aria-valuetext") == "1919"
    assert page.locator(".widget-readout").inner_text() == "1919"
    assert "in 1919" in page.inner_text("main")


def test_two_views_of_one_choice_stay_together(tmp_path: Path, page):
    choice = w.Dropdown(options=["x", "y"], description="Pick:")
    stack = w.Stack([w.HTML("shows x"), w.HTML("shows y")])
    w.jslink((choice, "index"), (stack, "selected_index"))
    page.goto(page_with(tmp_path, w.VBox([choice, stack]), stack))
    page.locator("select").select_option(index=1)
    assert page.inner_text("main").count("shows y") == 2


def test_a_widget_the_script_does_not_know_says_where_it_works(tmp_path: Path, page):
    page.goto(page_with(tmp_path, w.VBox([w.IntSlider(description="n"), w.HTML("still drawn")])))
    text = page.inner_text("main")
    assert "IntSliderModel" in text and "works in Jupyter" in text
    assert "still drawn" in text
