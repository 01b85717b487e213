"""`timeline` directive: every event of `data/events.yml`, by year, each with the texts that
mention it linked to their paragraphs in the reader. Each event's HTML id is `event-<id>`, each
year's `year-<year>`.

```{timeline}
```
Options: `:from:` and `:to:` (years) show part of the timeline.
"""

from __future__ import annotations

from collections import defaultdict

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx

from .. import labels
from ..models import Course, Event
from .common import CourseDirective


def events_by_year(
    course: Course, first: int | None = None, last: int | None = None
) -> dict[int, list[Event]]:
    """The events in date order, grouped by year; a month-only or year-only date sorts first."""
    out: dict[int, list[Event]] = defaultdict(list)
    for e in sorted(course.events, key=lambda e: (e.date, e.id)):
        year = int(e.date[:4])
        if (first is None or year >= first) and (last is None or year <= last):
            out[year].append(e)
    return dict(out)


def mentions_by_source(course: Course, event: Event) -> dict[str, list[int]]:
    """The paragraphs of each text that mention `event`, texts in the order of `sources.yml`."""
    found: dict[str, list[int]] = {}
    for sid in course.sources:
        ns = sorted({m.paragraph for m in event.mentioned_by if m.source == sid})
        if ns:
            found[sid] = ns
    return found


class TimelineDirective(CourseDirective):
    """```{timeline}```, optionally with `:from: 1917` and `:to: 1921`."""

    # the texts: whether a mentioning paragraph is a reader's comment
    reads = ("events.yml", "sources.yml", "texts/*.yml")
    option_spec = {"from": directives.nonnegative_int, "to": directives.nonnegative_int}

    def run(self) -> list[nodes.Node]:
        c = self.course
        years = events_by_year(c, self.options.get("from"), self.options.get("to"))
        if not years:
            return [
                nodes.paragraph(text="No events are recorded for these years.", classes=["cw-silent-label"])
            ]
        out: list[nodes.Node] = []
        for year, events in years.items():
            box = nodes.container(ids=[f"year-{year}"], classes=["cw-timeline-year"])
            box += nodes.rubric(text=str(year), classes=["cw-timeline-heading"])
            items = nodes.bullet_list(classes=["cw-events", "cw-timeline"])
            for e in events:
                items += self._event(c, e)
            box += items
            out.append(box)
        return out

    def _event(self, c: Course, e: Event) -> nodes.Node:
        item = nodes.list_item(ids=[f"event-{e.id}"], classes=["cw-event"])
        head = nodes.paragraph(classes=["cw-event-head"])
        head += nodes.inline(text=labels.event_date(e), classes=["cw-event-date"])
        head += nodes.Text(" — ")
        head += nodes.strong(text=e.title)
        item += head
        item += nodes.paragraph(text=e.description, classes=["cw-event-description"])
        item += self._mentions(c, e)
        return item

    def _mentions(self, c: Course, e: Event) -> nodes.Node:
        para = nodes.paragraph(classes=["cw-event-mentions"])
        found = mentions_by_source(c, e)
        if not found:
            para["classes"].append("cw-outside")
            para += nodes.emphasis(text="Not mentioned in the five texts. ")
            para += nodes.Text(f"Source: {e.outside}" if e.outside else "")
            return para
        para += nodes.Text("Mentioned by: ")
        for i, (sid, ns) in enumerate(found.items()):
            if i:
                para += nodes.Text("; ")
            para += nodes.reference(
                "", c.sources[sid].short, refuri=self.link(sid), classes=["cw-cite", f"cw-src-{sid}"]
            )
            for j, n in enumerate(ns):
                para += nodes.Text(", " if j else " ")
                para += nodes.reference(
                    "", labels.paragraph_number(c, sid, n), refuri=self.link(sid, n), classes=["cw-cite"]
                )
        para += nodes.Text(".")
        return para


def setup(app: Sphinx) -> None:
    app.add_directive("timeline", TimelineDirective)
