"""The widget state saved in a built page, read without a browser: which widgets a page shows,
their choices, and the text each choice's view should show."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

_SCRIPT = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-(state|view)\+json">(.*?)</script>', re.S
)
CHOICES = {"DropdownModel": "dropdown", "ToggleButtonsModel": "toggle", "SelectionSliderModel": "slider"}
KINDS = (
    "cw-theme-comparator",
    "cw-turning-point-slider",
    "cw-numbers-explorer",
    "cw-attribution-quiz",
    "cw-timeline-filter",
)


@dataclass
class ChoiceWidget:
    """A top-level widget: a choice linked to a stack, and the text expected for each option."""

    view_index: int  # which saved view on the page (document order)
    css_class: str  # cw-theme-comparator, ...
    kind: str  # dropdown, toggle, slider
    options: list[str]
    expected: list[str]  # a distinctive text of each option's view
    linked: bool  # choice.index is jslinked to the stack's selected_index


class _Text(HTMLParser):
    """The text of the first <h3>, else of the first quotation, else of the first paragraph."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        for tag in ("h3", "blockquote", "p"):
            if tag in self.stack and tag not in self.found and data.strip():
                self.found[tag] = " ".join(data.split())


def distinctive_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    for tag in ("h3", "blockquote", "p"):
        if tag in parser.found:
            return parser.found[tag][:70]
    return ""


def read_page(path: Path) -> tuple[dict[str, dict], list[str]]:
    """(models by id, the model id of each saved view in document order)."""
    models: dict[str, dict] = {}
    views: list[str] = []
    for kind, body in _SCRIPT.findall(path.read_text(encoding="utf-8")):
        data = json.loads(body)
        if kind == "state":
            models.update(data["state"])
        else:
            views.append(data["model_id"])
    return models, views


def _ref(value: str) -> str:
    return value.removeprefix("IPY_MODEL_")


def first_html(models: dict[str, dict], model_id: str) -> str:
    """The value of the first HTML widget found depth-first under `model_id`."""
    m = models[model_id]
    if m["model_name"] == "HTMLModel":
        return m["state"].get("value", "")
    for child in m["state"].get("children", []):
        found = first_html(models, _ref(child))
        if found:
            return found
    return ""


def links(models: dict[str, dict]) -> set[tuple[str, str]]:
    """(choice id, stack id) for every jslink from a choice's index to a stack's selected_index."""
    out = set()
    for m in models.values():
        if m["model_name"] == "LinkModel":
            (src, src_attr), (dst, dst_attr) = m["state"]["source"], m["state"]["target"]
            if (src_attr, dst_attr) == ("index", "selected_index"):
                out.add((_ref(src), _ref(dst)))
    return out


def css_classes(models: dict[str, dict], model_id: str) -> list[str]:
    return models[model_id]["state"].get("_dom_classes", [])


def choice_widgets(path: Path) -> list[ChoiceWidget]:
    """Every course widget on a page whose first child is a choice and second a stack."""
    models, views = read_page(path)
    linked = links(models)
    out = []
    for i, root in enumerate(views):
        classes = [c for c in css_classes(models, root) if c in KINDS]
        children = [_ref(c) for c in models[root]["state"].get("children", [])]
        if not classes or len(children) < 2:
            continue
        choice, stack = models[children[0]], models[children[1]]
        if choice["model_name"] not in CHOICES or stack["model_name"] != "StackModel":
            continue
        labels = choice["state"]["_options_labels"]
        expected = [distinctive_text(first_html(models, _ref(c))) for c in stack["state"]["children"]]
        out.append(
            ChoiceWidget(
                i,
                classes[0],
                CHOICES[choice["model_name"]],
                labels,
                expected,
                (children[0], children[1]) in linked,
            )
        )
    return out


def kinds_on_page(path: Path) -> set[str]:
    models, views = read_page(path)
    return {c for v in views for c in css_classes(models, v) if c in KINDS}
