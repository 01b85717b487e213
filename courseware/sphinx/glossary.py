"""`glossary-list` directive: every entry of `data/glossary.yml`, alphabetically by term, each with
HTML id `term-<id>` (the target of the `{gloss}` role) and its "see also" links.

```{glossary-list}
```
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from ..models import Course, GlossaryEntry
from .common import CourseDirective


def sort_key(entry: GlossaryEntry) -> str:
    """Alphabetical order by term, ignoring case and surrounding quotation marks.

    >>> sort_key(GlossaryEntry(id="x", term='"All power"', definition="d"))
    'all power'
    """
    return entry.term.strip("\"'“”‘’").casefold()


def entries_alphabetically(course: Course) -> list[GlossaryEntry]:
    return sorted(course.glossary.values(), key=sort_key)


class GlossaryListDirective(CourseDirective):
    """```{glossary-list}```: the whole glossary as a definition list."""

    reads = ("glossary.yml",)

    def run(self) -> list[nodes.Node]:
        c = self.course
        dl = nodes.definition_list(classes=["cw-glossary"])
        for entry in entries_alphabetically(c):
            item = nodes.definition_list_item(classes=["cw-term"])
            # The id goes on the term (<dt>): docutils writes no element for the item itself.
            item += nodes.term(entry.term, entry.term, ids=[f"term-{entry.id}"])
            body = nodes.definition()
            body += nodes.paragraph(text=entry.definition)
            if entry.see:
                see = nodes.paragraph(classes=["cw-see-also"])
                see += nodes.emphasis(text="See also: ")
                for i, other in enumerate(entry.see):
                    if i:
                        see += nodes.Text(", ")
                    target = c.glossary.get(other)
                    label = target.term if target else other
                    see += nodes.reference("", label, refuri=f"#term-{other}")
                see += nodes.Text(".")
                body += see
            item += body
            dl += item
        return [dl]


def setup(app: Sphinx) -> None:
    app.add_directive("glossary-list", GlossaryListDirective)
