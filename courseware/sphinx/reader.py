"""`source-text` directive: a text in the reader, with its provenance card and numbered paragraphs;
`q` role: an inline verbatim quotation in the book's prose, checked and linked."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

from ..corpus import anchor
from ..models import Heading, Quote
from .common import CourseDirective, quote_node

KIND_LABEL = {
    "front": "Editor's introduction and publication details",
    "note": None,
    "comment": "Readers' comments: not part of the article; the commenters are not named",
    "publisher": "About the publication",
    "reading": "Further reading",
}

PROVENANCE = [
    ("Reading", "voice"),
    ("Author", "author"),
    ("Title", "title"),
    ("Published in", "published_in"),
    ("Date", "date"),
    ("Tradition", "current"),
    ("Transcription", "transcription"),
    ("Notes", "notes"),
]


class SourceTextDirective(CourseDirective):
    """Render one whole text: ```{source-text} hampton-awl```."""

    required_arguments = 1
    reads = ("texts/{arg}.yml", "sources.yml", "citations.yml")

    def run(self) -> list[nodes.Node]:
        c = self.course
        sid = self.arguments[0]
        if sid not in c.sources:
            raise self.error(f'no source "{sid}"; use one of {", ".join(c.sources)}')
        src = c.sources[sid]
        out: list[nodes.Node] = [self._card(src)]
        current_kind = "text"
        container = nodes.container(classes=["cw-text"])
        out.append(container)
        for block in c.texts[sid].blocks:
            if isinstance(block, Heading):
                container += nodes.rubric(text=block.heading, classes=["cw-text-heading"])
                continue
            if block.kind != current_kind:
                current_kind = block.kind
                label = KIND_LABEL.get(block.kind)
                container = nodes.container(classes=["cw-text", f"cw-kind-{block.kind}"])
                out.append(container)
                if label:
                    container += nodes.rubric(text=label, classes=["cw-kind-label"])
            para = nodes.paragraph(ids=[anchor(block.n)], classes=["cw-para", f"cw-kind-{block.kind}"])
            para += nodes.reference("", f"¶{block.n}", refuri=f"#{anchor(block.n)}", classes=["cw-pnum"])
            para += nodes.Text(" " + block.text)
            container += para
        return out

    def _card(self, src) -> nodes.Node:
        card = nodes.admonition(classes=["cw-provenance"])
        card += nodes.title(text="About this text")
        fields = nodes.field_list()
        for label, attr in PROVENANCE:
            value = getattr(src, attr)
            if not value:
                continue
            body = nodes.paragraph(text=value)
            if value.startswith("unknown"):
                body["classes"].append("cw-unknown")
            fields += nodes.field("", nodes.field_name(text=label), nodes.field_body("", body))
        link = nodes.paragraph()
        if src.url != "unknown":
            link += nodes.Text("Original: ")
            link += nodes.reference("", src.url, refuri=src.url)
        else:
            link += nodes.Text("Original: no public address is known for this text.")
        fields += nodes.field("", nodes.field_name(text="Link"), nodes.field_body("", link))
        card += fields
        return card


_Q = re.compile(r"^\s*(?P<source>[\w-]+)\s+(?P<n>\d+)\s*:\s*(?P<text>.+)$", re.S)


class QuoteRole(SphinxRole):
    """Inline quotation: {q}`hampton-awl 31: Soviet democracy had ceased to function by 1921`."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        m = _Q.match(self.text)
        if not m:
            msg = self.inliner.reporter.error(
                f'{{q}} takes "SOURCE PARAGRAPH: words", got "{self.text}"', line=self.lineno
            )
            return [], [msg]
        q = Quote(source=m["source"], paragraph=int(m["n"]), text=" ".join(m["text"].split()))
        return [quote_node(self.env.docname, self.get_location(), q, inline=True, env=self.env)], []


class SourcesOverviewDirective(CourseDirective):
    """```{sources-overview}```: the five texts in a table, grouped by reading, linked to the reader."""

    COLUMNS = ("Text", "Reading", "Author", "Date", "Published in")
    reads = ("sources.yml", "readings.yml")

    def run(self) -> list[nodes.Node]:
        c = self.course
        table = nodes.table(classes=["cw-sources"])
        group = nodes.tgroup(cols=len(self.COLUMNS))
        table += group
        for _ in self.COLUMNS:
            group += nodes.colspec(colwidth=1)
        head = nodes.row()
        for h in self.COLUMNS:
            head += nodes.entry("", nodes.paragraph(text=h))
        group += nodes.thead("", head)
        body = nodes.tbody()
        group += body
        for src in sorted(c.sources.values(), key=lambda s: list(c.readings).index(s.reading)):
            row = nodes.row()
            first = nodes.paragraph()
            first += nodes.reference("", src.short, refuri=self.link(src.id))
            row += nodes.entry("", first)
            for value in (src.voice, src.author, src.date, src.published_in):
                row += nodes.entry("", nodes.paragraph(text=value))
            body += row
        return [table]


class ReadingsOverviewDirective(CourseDirective):
    """```{readings-overview}```: each reading, our one-paragraph summary, and the texts voicing it."""

    reads = ("readings.yml", "sources.yml")

    def run(self) -> list[nodes.Node]:
        c = self.course
        items = nodes.definition_list(classes=["cw-readings"])
        for r in c.readings.values():
            term = nodes.term(text=r.name)
            body = nodes.definition()
            body += nodes.paragraph(text=r.summary)
            texts = nodes.paragraph(text="Voiced here by: ")
            voiced = [s for s in c.sources.values() if s.reading == r.id]
            for i, s in enumerate(voiced):
                if i:
                    texts += nodes.Text("; ")
                texts += nodes.reference("", f"{s.short} ({s.voice})", refuri=self.link(s.id))
            body += texts
            items += nodes.definition_list_item("", term, body)
        return [items]


def setup(app: Sphinx) -> None:
    app.add_directive("source-text", SourceTextDirective)
    app.add_directive("sources-overview", SourcesOverviewDirective)
    app.add_directive("readings-overview", ReadingsOverviewDirective)
    app.add_role("q", QuoteRole())
