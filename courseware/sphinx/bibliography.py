"""`bibliography-list` directive: every work the five texts cite, grouped by author.

```{bibliography-list}
```
renders the whole bibliography: a heading per initial letter, each author in turn, each of the
author's works with the HTML id `ref-<id>` (the target of the {scholar} role), and the texts that cite
it, linked to their reader pages. With `:source: hampton-awl` it lists only the works one text cites;
with `:only: texts` only the works the texts cite, with `:only: outside` only the works the course adds
(each says what the course uses it for).
"""

from __future__ import annotations

import posixpath
import unicodedata
from itertools import groupby

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx

from ..corpus import reader_href
from ..models import Course, Reference
from .common import CourseDirective, href

FIGURES_PAGE = "book/chapters/05-numbers-in-dispute"


def author_key(author: str) -> str:
    """How an author sorts: without accents, case or punctuation.

    >>> author_key("Broué, P."), author_key("Lenin, V. I.")
    ('broue', 'lenin')
    """
    first = author.split(",")[0]
    plain = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == " ").strip()


def sorted_references(course: Course, source: str | None = None, only: str | None = None) -> list[Reference]:
    """The bibliography in reading order: by author, then year, then id; optionally one text's only,
    or only the texts' works (`only="texts"`) or the course's additions (`only="outside"`)."""
    refs = [
        r
        for r in course.bibliography.values()
        if (source is None or source in r.cited_by)
        and (only is None or (only == "outside") == bool(r.outside))
    ]
    return sorted(refs, key=lambda r: (author_key(r.author), r.year, r.id))


class BibliographyListDirective(CourseDirective):
    """The whole bibliography (or one text's part of it), grouped by author under initial letters."""

    # figures.yml: how many figures rest on a work; sources.yml: the texts that cite it
    reads = ("bibliography.yml", "sources.yml", "figures.yml", "citations.yml")
    option_spec = {
        "source": directives.unchanged,
        "only": lambda arg: directives.choice(arg, ("texts", "outside")),
    }

    def run(self) -> list[nodes.Node]:
        c = self.course
        source = self.options.get("source")
        if source is not None and source not in c.sources:
            raise self.error(f'bibliography-list: no source "{source}"; use one of {", ".join(c.sources)}')
        refs = sorted_references(c, source, self.options.get("only"))
        if not refs:
            return [nodes.paragraph(text="No works are recorded in data/bibliography.yml yet.")]
        out: list[nodes.Node] = []
        for letter, in_letter in groupby(refs, key=lambda r: author_key(r.author)[:1].upper()):
            out.append(nodes.rubric(text=letter, classes=["cw-bib-letter"]))
            authors = nodes.bullet_list(classes=["cw-bib-authors"])
            for _, works in groupby(in_letter, key=lambda r: author_key(r.author)):
                works = list(works)
                item = nodes.list_item(classes=["cw-bib-author"])
                item += nodes.paragraph("", "", nodes.strong(text=works[0].author))
                entries = nodes.bullet_list(classes=["cw-bib-works"])
                for ref in works:
                    entries += self.entry(c, ref)
                item += entries
                authors += item
            out.append(authors)
        return out

    def entry(self, c: Course, ref: Reference) -> nodes.list_item:
        """One work: year, title, details, the texts that cite it and the figures that rest on it."""
        item = nodes.list_item(ids=[f"ref-{ref.id}"], classes=["cw-bib-entry"])
        para = nodes.paragraph()
        para += nodes.Text(f"({ref.year}) ")
        para += nodes.emphasis(text=ref.title)
        stop = "" if ref.title.endswith(("?", "!", ".")) else "."
        if ref.publisher:
            para += nodes.Text(f"{stop} {ref.publisher.rstrip('.')}.")
        else:
            para += nodes.Text(stop)
        item += para
        if ref.outside:
            added = nodes.paragraph(classes=["cw-bib-outside"])
            added += nodes.strong(text="Outside the five texts. ")
            added += nodes.Text(ref.outside)
            item += added
            return item
        cited = nodes.paragraph(classes=["cw-bib-cited-by"])
        cited += nodes.Text("Cited by: ")
        for i, sid in enumerate(ref.cited_by):
            if i:
                cited += nodes.Text(", ")
            label = c.sources[sid].short if sid in c.sources else sid
            cited += nodes.reference(
                "", label, refuri=reader_href(sid, None, posixpath.dirname(self.env.docname))
            )
        resting = sum(1 for f in c.figures if ref.id in f.cites)
        if resting:
            cited += nodes.Text(f". Figures resting on it: {resting} (see ")
            cited += nodes.reference("", "Numbers in dispute", refuri=href(self.env.docname, FIGURES_PAGE))
            cited += nodes.Text(")")
        cited += nodes.Text(".")
        item += cited
        return item


def setup(app: Sphinx) -> None:
    app.add_directive("bibliography-list", BibliographyListDirective)
