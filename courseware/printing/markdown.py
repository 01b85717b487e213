"""Records → MyST markdown: what each widget shows, all of it at once, for paper. Pure: no I/O.

A widget shows one view at a time; a printed page cannot switch, so its print equivalent shows
every view: the comparator's readings for every question, the slider as a table of verdicts, the
numbers as tables, the quiz as questions with the answers set apart (the PDF gathers them at the
back). The markdown is attached to the widget as its `text/markdown` form: the HTML book shows the
widget, the LaTeX build shows this. Quotations use the `{q}` role, so they are checked and linked to
the paragraph; other paragraph links use `{para}`.
"""

from __future__ import annotations

import re
from collections import defaultdict

from .. import labels
from ..models import Course, Event, Quote, Theme
from ..text import readable_when

ANSWERS_CLASS = "cw-print-answers"  # marks the quiz answers, which the PDF moves to the back
YEARS = list(range(1917, 1931))
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~^$])")


def esc(text: str) -> str:
    """Plain text made safe for MyST markdown (no emphasis, roles, links or tables by accident).

    >>> esc("a *b* [c]")
    'a \\\\*b\\\\* \\\\[c\\\\]'
    """
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def q(quote: Quote) -> str:
    """An inline, checked quotation linked to its paragraph."""
    return f"{{q}}`{quote.source} {quote.paragraph}: {' '.join(quote.text.split())}`"


def para(source: str, n: int) -> str:
    """A link to paragraph `n` of a text, labelled like a citation."""
    return f"{{para}}`{source} {n}`"


def comparator(course: Course, theme: Theme) -> str:
    """Every question of the theme, and under it every text's answer with its own words."""
    out = [
        f"*Printed form of the interactive comparison: every question, every text ({esc(theme.title)}).*",
        "",
    ]
    for i, question in enumerate(theme.questions, 1):
        out += [f"**Question {i}. {esc(question.text)}**", ""]
        for sid, src in course.sources.items():
            claims = [c for c in theme.claims if c.source == sid and c.question == question.id]
            if claims:
                for c in claims:
                    words = "; ".join(q(x) for x in c.quotes)
                    out.append(
                        f"- **{esc(src.voice)}** ({esc(src.short)}): {esc(c.position)} "
                        f"In {labels.speaker(course, c.quotes[0])}: {words}"
                    )
            else:
                note = next((s.note for s in theme.silent if s.source == sid), "")
                out.append(
                    f"- **{esc(src.voice)}** ({esc(src.short)}): silent on this question."
                    + (f" {esc(note)}" if note else "")
                )
        out.append("")
    return "\n".join(out)


def turning_points(course: Course) -> str:
    """The slider as a table (year × text, each cell the verdict), then each verdict's reason."""
    if not course.turning_points:
        return "*No turning points have been recorded yet.*"
    verdicts: dict[tuple[int, str], list[str]] = defaultdict(list)
    for tp in course.turning_points:  # an undated verdict sits where the chart places it, and says so
        undated = " (no year given)" if tp.undated else ""
        verdicts[(tp.year, tp.source)].append(labels.VERDICT[tp.verdict] + undated)
    sources = list(course.sources.items())
    head = "| Year | " + " | ".join(esc(s.short) for _, s in sources) + " |"
    rule = "|---" * (len(sources) + 1) + "|"
    rows = [
        f"| {y} | " + " | ".join(", ".join(verdicts.get((y, sid), [])) or "–" for sid, _ in sources) + " |"
        for y in YEARS
    ]
    out = [
        "*Printed form of the year slider: each text's verdict on each year, 1917–1930 "
        "(– : no verdict recorded for that year).*",
        "",
        head,
        rule,
        *rows,
        "",
        "**The reasons each text gives**",
        "",
    ]
    order = list(course.sources)
    for tp in sorted(course.turning_points, key=lambda t: (t.year, order.index(t.source))):
        when = f"no year given (“{esc(tp.undated)}”)" if tp.undated else str(tp.year)
        verdict = labels.VERDICT[tp.verdict]
        line = f"- {when}, {esc(course.sources[tp.source].short)}, *{verdict}*: {esc(tp.reason)}"
        out.append(line + (f" {q(tp.quote)}" if tp.quote else ""))
    return "\n".join(out)


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def numbers(course: Course, groups: dict[str, list], label) -> str:
    """Each quantity as a table: text, figure, when, what is counted, scholar; then the text's words.

    `groups` is `views.figures_by_quantity(course)`; `label` names a quantity (`views.quantity_label`).
    """
    if not groups:
        return "*No figures have been recorded yet.*"
    out = ["*Printed form of the numbers explorer: every quantity, every text's figure.*", ""]
    for quantity, figures in groups.items():
        out += [
            f"**{esc(label(quantity))}**",
            "",
            "| Text | Figure | When | What is counted | Scholar cited |",
            "|---|---|---|---|---|",
        ]
        for f in figures:
            cites = labels.scholars(f.cites, course.bibliography)
            out.append(
                f"| {esc(course.sources[f.source].short)} | {esc(_number(f.value) + ' ' + f.unit)} | "
                f"{esc(readable_when(f.when))} | {esc(f.label)} | {esc(cites)} |"
            )
        out += ["", "In the texts' words:", ""]
        for f in figures:
            out.append(
                f"- {esc(course.sources[f.source].short)}: “{esc(f.context)}” ({para(f.source, f.paragraph)})"
                + (f" {esc(f.note)}" if f.note else "")
            )
        out.append("")
    return "\n".join(out)


def quiz(course: Course, theme: Theme, quotes: list[Quote]) -> str:
    """The quiz as numbered questions; the answers in a container the PDF moves to the back."""
    if not quotes:
        return "*No quotations recorded yet for this quiz.*"
    names = ", ".join(esc(r.name) for r in course.readings.values())
    out = [
        f"*Printed form of the practice quiz. For each quotation, say which reading it is from "
        f"({names}). The answers are at the back of the book.*",
        "",
    ]
    for i, quote in enumerate(quotes, 1):
        out.append(f"{i}. “{esc(quote.text)}”")
    # a paragraph opened by the {quiz-answers} role, then the list: the PDF moves both to the back
    out += ["", f"{{quiz-answers}}`{theme.title.replace('`', '')}`", ""]
    for i, quote in enumerate(quotes, 1):
        src = course.sources[quote.source]
        out.append(f"{i}. {esc(course.readings[src.reading].name)}: {para(quote.source, quote.paragraph)}")
    return "\n".join(out)


def _event_line(course: Course, e: Event) -> str:
    when = esc(labels.event_date(e))
    line = f"- **{when}, {esc(e.title)}.** {esc(e.description)}"
    if e.mentioned_by:
        by_reading: dict[str, list[str]] = defaultdict(list)
        for m in e.mentioned_by:
            if m.source in course.sources:
                by_reading[course.sources[m.source].reading].append(para(m.source, m.paragraph))
        parts = [
            f"{esc(course.readings[r].name)}: {', '.join(links)}"
            for r, links in by_reading.items()
            if r in course.readings
        ]
        return line + " Mentioned by " + "; ".join(parts) + "."
    return line + (
        f" Not in the five texts. Source: {esc(e.outside)}." if e.outside else " Not in the five texts."
    )


def timeline(course: Course) -> str:
    """Every event by date, each with the readings whose texts mention it (the filter's every view)."""
    if not course.events:
        return "*No events have been recorded yet.*"
    out = [
        "*Printed form of the timeline filter: every event, with the readings whose texts mention it.*",
        "",
    ]
    out += [_event_line(course, e) for e in sorted(course.events, key=lambda e: e.date)]
    return "\n".join(out)


def no_data(message: str) -> str:
    return f"*No data yet. {esc(message)}*"
