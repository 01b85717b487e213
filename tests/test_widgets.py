"""widgets: each is a labelled choice jslinked to a Stack with one view per choice, and no Python
callback of ours (the static book has no kernel to run one)."""

from __future__ import annotations

import ipywidgets as w
import pytest
from ipywidgets.widgets.widget import _instances
from ipywidgets.widgets.widget_link import Link

from courseware import views, widgets
from courseware.models import Course
from tests.test_views import course  # noqa: F401 (the small test course, a fixture)

CHOICE_TYPES = (w.Dropdown, w.ToggleButtons, w.SelectionSlider)


@pytest.fixture
def use(course: Course) -> Course:  # noqa: F811
    """The small test course, passed to each widget instead of the book's data."""
    return course


def links_from(choice: w.Widget) -> list[Link]:
    return [x for x in _instances.values() if isinstance(x, Link) and x.source == (choice, "index")]


def user_observers(widget: w.Widget) -> int:
    """Change handlers beyond those ipywidgets itself registers on a fresh widget of the same type."""
    kwargs = {"options": [("a", 0)]} if isinstance(widget, CHOICE_TYPES) else {}
    fresh = type(widget)(**kwargs)

    def count(x: w.Widget) -> int:
        return sum(
            len(handlers) for per_trait in x._trait_notifiers.values() for handlers in per_trait.values()
        )

    return count(widget) - count(fresh)


def all_widgets(root: w.Widget) -> list[w.Widget]:
    out = [root]
    for child in getattr(root, "children", ()):
        out += all_widgets(child)
    return out


def assert_choice_stack(box: w.VBox, n: int, kind: type) -> tuple[w.Widget, w.Stack]:
    choice, stack = box.children[:2]
    assert isinstance(choice, kind)
    assert isinstance(stack, w.Stack)
    assert len(choice.options) == n == len(stack.children)
    assert choice.description.strip(), "every control is labelled"
    assert [link.target for link in links_from(choice)] == [(stack, "selected_index")]
    assert stack.selected_index == choice.index
    assert all(user_observers(x) == 0 for x in all_widgets(box))
    return choice, stack


def test_theme_comparator_has_one_view_per_question(use: Course):
    box = widgets.theme_comparator("t", c=use)
    theme = use.themes["t"]
    choice, stack = assert_choice_stack(box, len(theme.questions), w.Dropdown)
    assert "cw-theme-comparator" in box._dom_classes
    expected = [views.question_view(use, theme, q.id) for q in theme.questions]
    assert [c.value for c in stack.children] == expected


def test_theme_comparator_names_the_missing_theme_and_the_fix(use: Course):
    with pytest.raises(KeyError, match='no theme "nope".*data/themes/'):
        widgets.theme_comparator("nope", c=use)


def test_turning_point_slider_has_a_view_per_year_1917_to_1930(use: Course):
    box = widgets.turning_point_slider(c=use)
    choice, stack = assert_choice_stack(box, 14, w.SelectionSlider)
    assert choice.options[0] == ("1917", 0) and choice.options[-1] == ("1930", 13)
    assert "1921: what each text says" in stack.children[4].value


def test_widgets_without_data_show_a_clear_no_data_view(use: Course):
    import dataclasses

    empty = dataclasses.replace(use, turning_points=[], figures=[], events=[])
    for make in (widgets.turning_point_slider, widgets.numbers_explorer, widgets.timeline_filter):
        box = make(c=empty)
        assert len(box.children) == 1 and "No data yet." in box.children[0].value


def test_numbers_explorer_has_one_view_per_quantity(use: Course):
    box = widgets.numbers_explorer(c=use)
    choice, stack = assert_choice_stack(box, 1, w.Dropdown)
    assert choice.options[0][0] == "Party membership (2 figures)"
    assert "<svg" in stack.children[0].value


def test_timeline_filter_offers_all_readings_then_each(use: Course):
    box = widgets.timeline_filter(c=use)
    choice, stack = assert_choice_stack(box, 1 + len(use.readings), w.Dropdown)
    assert choice.options[0][0] == "All readings"
    assert "Every event in the timeline" in stack.children[0].value


def test_attribution_quiz_links_quotation_and_reading_choices_to_their_views(use: Course):
    box = widgets.attribution_quiz("t", c=use)
    quotes = views.quiz_quotes(use, use.themes["t"])
    picker, cards = assert_choice_stack(box, len(quotes), w.Dropdown)
    for card, q in zip(cards.children, quotes, strict=True):
        prompt, answer, feedback, neutral = card.children
        assert q.text in prompt.value
        assert isinstance(answer, w.ToggleButtons) and answer.index is None  # nothing chosen yet
        assert answer.description.strip()
        assert len(answer.options) == len(use.readings) == len(feedback.children)
        assert [link.target for link in links_from(answer)] == [(feedback, "selected_index")]
        assert feedback.selected_index is None and "Choose a reading" in neutral.value
        rights = [i for i, v in enumerate(feedback.children) if "Right." in v.value]
        assert len(rights) == 1
        assert list(use.readings)[rights[0]] == use.sources[q.source].reading


def test_choice_stack_refuses_a_view_count_that_does_not_match(use: Course):
    with pytest.raises(ValueError, match="one view per option"):
        widgets.choice_stack("X:", ["a", "b"], ["<p>a</p>"])


def test_choice_stack_accepts_each_kind_of_choice():
    for kind, cls in (("dropdown", w.Dropdown), ("toggle", w.ToggleButtons), ("slider", w.SelectionSlider)):
        box = widgets.choice_stack("Pick:", ["a", "b"], ["<p>A</p>", "<p>B</p>"], kind=kind)
        assert_choice_stack(box, 2, cls)
