"""One visit of each widget page, with every check of its widgets made on that visit, in Chromium
with no kernel: drawn from the saved state, labelled, worked from the keyboard, each choice showing
its own view, the quizzes' feedback, and axe over every view. The tour records what it found, and
the tests assert on the record, so a page is opened once per run rather than once per test.

Every choice is made as a reader makes it (Playwright's select, click and key presses); what the
page then shows is read back in one call. The order matters: the keyboard is tried first, from the
state the page was saved in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.browser.browsing import Visit, axe_violations, choose
from tests.browser.widget_state import ChoiceWidget, choice_widgets

ROOTS = ".widget-subarea > .jupyter-widgets"


@dataclass
class WidgetReport:
    """What the tour of one page found; each list holds problems, each count what was tried."""

    drawn: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    keys_tried: int = 0
    keys: list[str] = field(default_factory=list)
    choices_tried: int = 0
    choices: list[str] = field(default_factory=list)
    quizzes: list[str] = field(default_factory=list)
    views_checked: int = 0
    violations: list[str] = field(default_factory=list)


def squash(text: str) -> str:
    return " ".join(text.split())


# The saved views, and the text each drawn root shows.
_DRAWN = """() => ({
  saved: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
  texts: [...document.querySelectorAll(arguments_roots)].map(r => r.innerText),
})""".replace("arguments_roots", repr(ROOTS))

# The text naming each control: a dropdown's or slider's <label for>, a button group's
# aria-labelledby, and each toggle button's own text (null where there is no label at all).
_LABELS = """() => {
  const text = el => el ? el.innerText.trim() : null;
  const labelFor = el => text(document.querySelector(`label[for='${el.id}']`));
  return {
    selects: [...document.querySelectorAll('.jupyter-widgets select')].map(labelFor),
    sliders: [...document.querySelectorAll('.jupyter-widgets input[type=range]')].map(labelFor),
    groups: [...document.querySelectorAll('.widget-toggle-buttons [role=group]')].map(g => ({
      label: text(document.getElementById(g.getAttribute('aria-labelledby') || '')),
      buttons: [...g.querySelectorAll('button')].map(b => b.innerText.trim()),
    })),
  };
}"""

# What a widget's stack shows now; with `copy`, a copy of the shown view is also put in
# #cw-axe-views, inside the widget's own classes so that the same styles apply.
_SHOWN = """(root, copy) => {
  if (copy) {
    const holder = document.createElement('div');
    holder.className = root.className;
    holder.appendChild(root.children[1].cloneNode(true));
    document.getElementById('cw-axe-views').appendChild(holder);
  }
  const stack = root.querySelector(':scope > .widget-container');
  return stack ? stack.innerText : '';
}"""

_AXE_HOLDER = """() => { const d = document.createElement('div'); d.id = 'cw-axe-views';
  document.querySelector('main, article, body').appendChild(d); }"""

# A quiz card: whether its neutral view shows, and whether it holds feedback.
_CARD = """card => {
  const neutral = card.querySelector('.cw-quiz-neutral');
  const shown = !!neutral && neutral.getClientRects().length > 0
    && getComputedStyle(neutral).visibility !== 'hidden';
  return {neutral: shown, feedback: card.querySelectorAll('.cw-quiz-feedback .cw-feedback').length};
}"""

# After a button of a card was pressed: its aria-pressed, and the feedback's text.
_PRESSED = """(card, b) => ({
  pressed: card.querySelectorAll('.widget-toggle-buttons button')[b].getAttribute('aria-pressed'),
  feedback: (card.querySelector('.cw-quiz-feedback') || {innerText: ''}).innerText,
})"""


def _drawn(v: Visit, path: str, report: WidgetReport) -> None:
    found = v.page.evaluate(_DRAWN)
    if len(found["texts"]) != found["saved"]:
        report.drawn.append(f"{path}: {found['saved']} saved widget views, {len(found['texts'])} drawn")
    for i, text in enumerate(squash(t) for t in found["texts"]):
        if not text or "Error displaying widget" in text:
            report.drawn.append(f"{path}: widget {i} shows {text[:80]!r}")


def _labels(v: Visit, path: str, report: WidgetReport) -> None:
    found = v.page.evaluate(_LABELS)
    report.labels += [f"{path}: a dropdown without a label" for label in found["selects"] if not label]
    report.labels += [f"{path}: a slider without a label" for label in found["sliders"] if not label]
    for group in found["groups"]:
        if not group["label"]:
            report.labels.append(f"{path}: toggle buttons without a label")
        report.labels += [f"{path}: a toggle button without text" for b in group["buttons"] if not b]


def _keys(v: Visit, path: str, widgets: list[ChoiceWidget], report: WidgetReport) -> None:
    """From the saved state (option 0), one arrow key on a dropdown or slider shows option 1."""
    roots = v.page.locator(ROOTS)
    for w in widgets:
        if len(w.options) < 2 or w.kind not in ("dropdown", "slider"):
            continue
        root = roots.nth(w.view_index)
        control = root.locator("select" if w.kind == "dropdown" else "input[type=range]").first
        control.focus()
        control.press("ArrowDown" if w.kind == "dropdown" else "ArrowRight")
        shown = squash(root.evaluate(_SHOWN, False))
        if w.expected[1] not in shown:
            report.keys.append(
                f"{path}: {w.css_class}: the arrow key did not show option 1 "
                f"({w.expected[1]!r}); shows {shown[:80]!r}"
            )
        report.keys_tried += 1


def _choices(v: Visit, path: str, widgets: list[ChoiceWidget], report: WidgetReport) -> None:
    """Every option of every choice shows its own view; each view is copied out for axe."""
    roots = v.page.locator(ROOTS)
    for w in widgets:
        if not w.linked:
            report.choices.append(f"{path}: {w.css_class} has no jslink from its choice to its views")
            continue
        root = roots.nth(w.view_index)
        # the last option first, so that every option, including the first, is a change
        for step, i in enumerate([len(w.options) - 1, *range(len(w.options))]):
            choose(root, w.kind, i)
            shown = squash(root.evaluate(_SHOWN, step > 0))
            report.views_checked += step > 0
            if w.expected[i] not in shown:
                report.choices.append(
                    f"{path}: {w.css_class}, option {i} ({w.options[i]!r}): expected "
                    f"{w.expected[i]!r}, shows {shown[:100]!r}"
                )
            report.choices_tried += 1


def _verdict(feedback: str) -> str:
    if feedback.startswith("Right."):
        return "right"
    return "wrong" if feedback.startswith("Not this one.") else feedback[:60]


def _quizzes(v: Visit, path: str, report: WidgetReport) -> None:
    """Each quotation of each quiz: neutral until a reading is pressed; then every reading pressed
    in turn shows as pressed, with feedback that links a paragraph, and exactly one is right. The
    first quotation's readings are clicked with the mouse, the others' pressed from the keyboard."""
    for quiz in v.page.locator(".widget-subarea > .cw-attribution-quiz").all():  # not axe's copies
        picker = quiz.locator("select").first
        for q in range(picker.locator("option").count()):
            picker.select_option(index=q)
            card = quiz.locator(".cw-quiz-card").first
            before = card.evaluate(_CARD)
            if not before["neutral"] or before["feedback"]:
                report.quizzes.append(f"{path}: quotation {q}: no neutral view before a choice")
            buttons = card.locator(".widget-toggle-buttons button")
            results = []
            for b in range(buttons.count()):
                if q == 0:
                    buttons.nth(b).click()
                else:
                    buttons.nth(b).press("Enter")
                after = card.evaluate(_PRESSED, b)
                if after["pressed"] != "true":
                    report.quizzes.append(f"{path}: quotation {q}, reading {b}: not shown as pressed")
                feedback = squash(after["feedback"])
                results.append(_verdict(feedback))
                if "¶" not in feedback:
                    report.quizzes.append(f"{path}: quotation {q}, reading {b}: no paragraph link")
            if sorted(results) != ["right"] + ["wrong"] * (len(results) - 1):
                report.quizzes.append(f"{path}: quotation {q}: feedback {results}")
            if card.evaluate(_CARD)["neutral"]:
                report.quizzes.append(f"{path}: quotation {q}: the neutral view stays after a choice")


def tour(v: Visit, path: str, page_file: Path, axe_js: str) -> WidgetReport:
    """Every check of the widgets on one opened page (`page_file` is its built HTML)."""
    report = WidgetReport()
    widgets = choice_widgets(page_file)
    v.page.evaluate(_AXE_HOLDER)
    _drawn(v, path, report)
    _labels(v, path, report)
    _keys(v, path, widgets, report)
    _choices(v, path, widgets, report)
    _quizzes(v, path, report)
    report.violations = [f"{path}: {p}" for p in axe_violations(v.page, axe_js, "#cw-axe-views")]
    return report
