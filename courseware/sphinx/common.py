"""Helpers shared by the course's directives: data access, links, quotation nodes."""

from __future__ import annotations

import posixpath

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..corpus import anchor, find_paragraph, reader_page
from ..load import Course, course
from ..models import Quote
from ..validate import check_quote

log = logging.getLogger("courseware")


def href(from_doc: str, to_doc: str, fragment: str = "") -> str:
    """A relative link between two documents of the HTML build."""
    rel = posixpath.relpath(to_doc, posixpath.dirname(from_doc) or ".")
    return f"{rel}.html" + (f"#{fragment}" if fragment else "")


class CourseDirective(SphinxDirective):
    """A directive that reads the course data and records it as a build dependency."""

    @property
    def course(self) -> Course:
        for path in sorted(course().root.rglob("*.yml")):
            self.env.note_dependency(str(path))
        return course()

    def link(self, source_id: str, n: int | None = None) -> str:
        return href(self.env.docname, reader_page(source_id), anchor(n) if n else "")

    def quote(self, q: Quote, inline: bool = False) -> nodes.Node:
        return quote_node(self.env.docname, self.get_location(), q, inline)


def quote_node(docname: str, location: str, q: Quote, inline: bool = False) -> nodes.Node:
    """A quotation with its source and a link to the paragraph; warns if it is not verbatim."""
    c = course()
    msg = check_quote(c, q, docname)
    if msg:
        log.warning(msg, location=location)
        return nodes.inline(text=f"[quotation not verified: {q.text}]", classes=["cw-error"])
    src = c.sources[q.source]
    para = find_paragraph(c, q.source, q.paragraph)
    label = f"{src.short}, ¶{q.paragraph}"
    if para is not None and para.kind == "comment":
        label = f"reader's comment on {src.short}, ¶{q.paragraph}"
    uri = href(docname, reader_page(q.source), anchor(q.paragraph))
    ref = nodes.reference("", label, refuri=uri, classes=["cw-cite"])
    if inline:
        node = nodes.inline(classes=["cw-q", f"cw-src-{q.source}"])
        node += nodes.Text(f"“{q.text}” (")
        node += ref
        node += nodes.Text(")")
        return node
    block = nodes.block_quote(classes=["cw-quote", f"cw-src-{q.source}"])
    block += nodes.paragraph(text=q.text)
    attribution = nodes.attribution()
    attribution += ref
    block += attribution
    return block
