"""Widgets that work with or without a kernel: a choice `jslink`ed to a `Stack` of pre-rendered views.

No widget here relies on a Python callback: in the static book the link runs in the browser, from
the widget state saved in the page; in Jupyter or Binder the same link runs live. Every view is
rendered from the data by `views` when the cell runs, so the page carries all of them.

Widgets (each call returns one `ipywidgets.VBox`, ready to be the last line of a cell):

- `theme_comparator(theme_id)`: pick a question, see the five texts side by side with their quotes;
- `turning_point_slider()`: pick a year 1917-1930, see each text's verdict and reason;
- `numbers_explorer()`: pick a quantity, see each text's figure, its scholar and a chart;
- `attribution_quiz(theme_id)`: pick a quotation, then a reading; feedback for that choice;
- `timeline_filter()`: pick a reading (or all), see the events its texts mention.
"""

from __future__ import annotations

from typing import Literal

import ipywidgets as w

from . import views
from .data import course
from .models import Course
from .printing import markdown as printed

ChoiceKind = Literal["dropdown", "toggle", "slider"]
_LABEL_STYLE = {"description_width": "initial"}


class PrintableBox(w.VBox):
    """A widget box that also carries its print equivalent, as MyST markdown.

    Jupyter and the HTML book show the widget; the LaTeX build has no widgets and takes the
    `text/markdown` form instead, which shows every view at once (see `printing.markdown`).
    """

    def __init__(self, children: tuple | list = (), print_markdown: str = "", **kwargs: object) -> None:
        super().__init__(children, **kwargs)
        self.print_markdown = print_markdown

    def _repr_markdown_(self) -> str | None:
        return self.print_markdown or None


def no_data(message: str) -> w.VBox:
    """A widget-shaped box saying there is nothing to show yet (never an exception)."""
    return PrintableBox(
        [w.HTML(views.no_data_view(message))], printed.no_data(message), layout=w.Layout(width="100%")
    )


def make_choice(kind: ChoiceKind, label: str, options: list[str], index: int | None = 0) -> w.DOMWidget:
    """A labelled choice among `options` (shown in order) whose `index` is the choice.

    The label is the widget's `description` (a `<label>` on the page) and its accessible name.
    """
    pairs = [(o, i) for i, o in enumerate(options)]
    value = None if index is None else index
    if kind == "dropdown":
        return w.Dropdown(
            options=pairs,
            value=value,
            description=label,
            style=_LABEL_STYLE,
            layout=w.Layout(width="auto", max_width="100%"),
        )
    if kind == "toggle":
        return w.ToggleButtons(
            options=pairs,
            value=value,
            description=label,
            style={**_LABEL_STYLE, "button_width": "auto"},
            tooltips=list(options),
        )
    if kind == "slider":
        return w.SelectionSlider(
            options=pairs,
            value=0 if value is None else value,
            description=label,
            style=_LABEL_STYLE,
            continuous_update=True,
            layout=w.Layout(width="100%", max_width="40em"),
        )
    raise ValueError(f'unknown choice kind "{kind}": use "dropdown", "toggle" or "slider"')


def linked_stack(choice: w.DOMWidget, views_html: list[str], css_class: str = "") -> w.Stack:
    """A Stack of HTML views whose `selected_index` follows `choice.index` in the browser."""
    full = w.Layout(width="100%")
    stack = w.Stack([w.HTML(v, layout=full) for v in views_html], selected_index=choice.index, layout=full)
    w.jslink((choice, "index"), (stack, "selected_index"))
    if css_class:
        stack.add_class(css_class)
    return stack


def choice_stack(
    label: str,
    options: list[str],
    views_html: list[str],
    kind: ChoiceKind = "dropdown",
    css_class: str = "",
    print_markdown: str = "",
) -> w.VBox:
    """A labelled choice whose index selects one of `views_html` (HTML strings), in the browser.
    `print_markdown` is what the printed book shows instead (every view at once)."""
    if not views_html:
        return no_data("No data to show yet.")
    if len(options) != len(views_html):
        raise ValueError(
            f"choice_stack: {len(options)} options but {len(views_html)} views; give one view per option"
        )
    choice = make_choice(kind, label, options)
    box = PrintableBox(
        [choice, linked_stack(choice, views_html)], print_markdown, layout=w.Layout(width="100%")
    )
    box.add_class("cw-widget")
    if css_class:
        box.add_class(css_class)
    return box


def _theme(c: Course, theme_id: str):
    if theme_id not in c.themes:
        known = ", ".join(c.themes) or "none yet"
        raise KeyError(
            f'no theme "{theme_id}" in data/themes/ (known: {known}); '
            "correct the id or add data/themes/<id>.yml"
        )
    return c.themes[theme_id]


def theme_comparator(theme_id: str, from_dir: str = views.FROM_DIR, c: Course | None = None) -> w.VBox:
    """Pick a question of the theme; see every text's answer side by side, with its own words."""
    c = c or course()
    theme = _theme(c, theme_id)
    return choice_stack(
        "Question:",
        [q.text for q in theme.questions],
        [views.question_view(c, theme, q.id, from_dir) for q in theme.questions],
        css_class="cw-theme-comparator",
        print_markdown=printed.comparator(c, theme),
    )


def turning_point_slider(from_dir: str = views.FROM_DIR, c: Course | None = None) -> w.VBox:
    """A year slider, 1917-1930; each year shows each text's verdict on it and the reason given."""
    c = c or course()
    if not c.turning_points:
        return no_data("No turning points have been recorded yet (data/turning_points.yml).")
    return choice_stack(
        "Year:",
        [str(y) for y in views.YEARS],
        [views.turning_point_view(c, y, from_dir) for y in views.YEARS],
        kind="slider",
        css_class="cw-turning-point-slider",
        print_markdown=printed.turning_points(c),
    )


def numbers_explorer(from_dir: str = views.FROM_DIR, c: Course | None = None) -> w.VBox:
    """Pick a quantity; see each text's figure, its date and scholar, and a chart."""
    c = c or course()
    groups = views.figures_by_quantity(c)
    if not groups:
        return no_data("No figures have been recorded yet (data/figures.yml).")
    return choice_stack(
        "Quantity:",
        [
            f"{views.quantity_label(q)} ({len(fs)} figure{'s' if len(fs) != 1 else ''})"
            for q, fs in groups.items()
        ],
        [views.numbers_view(c, q, from_dir) for q in groups],
        css_class="cw-numbers-explorer",
        print_markdown=printed.numbers(c, groups, views.quantity_label),
    )


_HIDE_NOTE_AFTER_CHOICE = (
    "<style>.cw-quiz-card:has(.widget-toggle-button.mod-active) .cw-quiz-neutral{display:none}</style>"
)


def _quiz_card(c: Course, quote, number: int, from_dir: str) -> w.VBox:
    """One quotation, a reading choice (nothing chosen yet), and one feedback view per reading."""
    readings = list(c.readings)
    answer = make_choice("toggle", "Your answer:", [c.readings[r].name for r in readings], index=None)
    feedback = linked_stack(
        answer, [views.quiz_feedback_view(c, quote, r, from_dir) for r in readings], "cw-quiz-feedback"
    )
    # The note is for before a choice: once a reading is chosen (its button is `mod-active`), the
    # card hides it, in the browser alone, so it also works in the static book.
    neutral = w.HTML(views.quiz_neutral_view() + _HIDE_NOTE_AFTER_CHOICE)
    neutral.add_class("cw-quiz-neutral")
    neutral.layout.width = "100%"
    card = w.VBox(
        [w.HTML(views.quiz_prompt_view(quote), layout=w.Layout(width="100%")), answer, feedback, neutral],
        layout=w.Layout(width="100%"),
    )
    card.add_class("cw-quiz-card")
    return card


def attribution_quiz(
    theme_id: str, limit: int = 6, from_dir: str = views.FROM_DIR, c: Course | None = None
) -> w.VBox:
    """Practice: attribute unlabelled quotations from a theme to their reading.

    A Dropdown picks one of up to `limit` quotations (the theme's texts taken in turn, readers'
    comments left out); under it, ToggleButtons pick a reading, starting with none chosen, and a
    pre-rendered feedback view per reading says right or wrong, which text it is from, and links to
    the paragraph. Before a choice, a neutral "choose a reading" note shows. Every choice is linked
    in the browser, so the quiz works in the static book.
    """
    c = c or course()
    theme = _theme(c, theme_id)
    quotes = views.quiz_quotes(c, theme, limit)
    if not quotes:
        return no_data(f'No quotations recorded yet for the theme "{theme_id}".')
    cards = [_quiz_card(c, q, i + 1, from_dir) for i, q in enumerate(quotes)]
    picker = make_choice(
        "dropdown", "Quotation:", [f"Quotation {i + 1} of {len(quotes)}" for i in range(len(quotes))]
    )
    stack = w.Stack(cards, selected_index=0, layout=w.Layout(width="100%"))
    w.jslink((picker, "index"), (stack, "selected_index"))
    box = PrintableBox([picker, stack], printed.quiz(c, theme, quotes), layout=w.Layout(width="100%"))
    box.add_class("cw-widget")
    box.add_class("cw-attribution-quiz")
    return box


def timeline_filter(from_dir: str = views.FROM_DIR, c: Course | None = None) -> w.VBox:
    """Pick a reading, or all of them; see the events its texts mention, by date."""
    c = c or course()
    if not c.events:
        return no_data("No events have been recorded yet (data/events.yml).")
    choices: list[str | None] = [None, *c.readings]
    return choice_stack(
        "Reading:",
        ["All readings"] + [c.readings[r].name for r in c.readings],
        [views.timeline_view(c, r, from_dir) for r in choices],
        css_class="cw-timeline-filter",
        print_markdown=printed.timeline(c),
    )
