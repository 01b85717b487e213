"""Widgets that work with or without a kernel: a choice `jslink`ed to a `Stack` of pre-rendered views.

No widget here relies on a Python callback: in the static book the link runs in the browser, from
the widget state saved in the page; in Jupyter or Binder the same link runs live.
"""

from __future__ import annotations

import ipywidgets as w

from .load import course
from .views import question_view


def choice_stack(label: str, options: list[str], views: list[str]) -> w.VBox:
    """A labelled Dropdown whose index selects one of `views` (HTML strings), in the browser."""
    if not views:
        return w.VBox([w.HTML("<p>No data to show yet.</p>")])
    choice = w.Dropdown(options=[(o, i) for i, o in enumerate(options)],
                        value=0, description=label, style={"description_width": "initial"},
                        layout=w.Layout(width="auto"))
    stack = w.Stack([w.HTML(v) for v in views], selected_index=0)
    w.jslink((choice, "index"), (stack, "selected_index"))
    return w.VBox([choice, stack], layout=w.Layout(width="100%"))


def theme_comparator(theme_id: str) -> w.VBox:
    """Pick a question of the theme; see every text's answer side by side, with its own words."""
    c = course()
    theme = c.themes[theme_id]
    return choice_stack(
        "Question:",
        [q.text for q in theme.questions],
        [question_view(c, theme, q.id) for q in theme.questions],
    )
