"""Directives for a theme chapter, drawn from `data/themes/<theme>.yml`:

- `claims`: each text's position in our words, then its own words, linked to the reader;
- `comparison-table`: text × question, a few words a cell, silence shown as silence;
- `disagreements`: each contradiction, each side's claim and scholar, and why they differ.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx

from .. import labels
from ..compare import claims_by_source, comparison_rows
from ..models import Course, Quote, Theme
from .common import CourseDirective, check_quote, href, log, note_quoted


class ThemeDirective(CourseDirective):
    required_arguments = 1
    # the theme; sources and readings name the voices, the bibliography (and citations) what a side
    # rests on; each quotation notes its own text
    reads = ("themes/{arg}.yml", "sources.yml", "readings.yml", "bibliography.yml", "citations.yml")

    def theme(self) -> Theme:
        c = self.course
        tid = self.arguments[0]
        if tid not in c.themes:
            raise self.error(f'no theme "{tid}" in data/themes/; use one of {", ".join(c.themes)}')
        return c.themes[tid]

    def source_label(self, c: Course, sid: str, quote: Quote | None = None) -> nodes.Node:
        """The voice and text a position belongs to; a reader's comment is never the text's voice."""
        who, joint = labels.voice(c, sid, quote)
        p = nodes.paragraph(classes=["cw-voice", f"cw-src-{sid}"])
        p += nodes.strong(text=who)
        p += nodes.Text(joint)
        p += nodes.reference("", c.sources[sid].short, refuri=self.link(sid))
        return p


class ClaimsDirective(ThemeDirective):
    """```{claims} soviets``` with optional `:question: origins` to show one question only."""

    option_spec = {"question": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        c, theme = self.course, self.theme()
        only = self.options.get("question")
        questions = [q for q in theme.questions if only in (None, q.id)]
        if only and not questions:
            raise self.error(f'theme "{theme.id}" has no question "{only}"')
        out: list[nodes.Node] = []
        by_source = claims_by_source(c, theme)
        noted: set[str] = set()
        for q in questions:
            if not only:
                out.append(nodes.rubric(text=q.text, classes=["cw-question"]))
            for sid, claims in by_source.items():
                box = nodes.container(
                    ids=[claim_anchor(q.id, sid)] if not only else [], classes=["cw-claim", f"cw-src-{sid}"]
                )
                box += self.source_label(c, sid)
                mine = [cl for cl in claims if cl.question == q.id]
                if not mine:
                    box["classes"].append("cw-silent")
                    note = next((s.note for s in theme.silent if s.source == sid), "")
                    # say it once: the note on what the text does instead is given the first time
                    if sid in noted:
                        note = "(See the note on its silence above.)" if note else ""
                    noted.add(sid)
                    box += nodes.paragraph(text="Silent on this question. " + note)
                for cl in mine:
                    box += nodes.paragraph(text=cl.position)
                    for quote in cl.quotes:
                        box += self.quote(quote)
                out.append(box)
        return out


def claim_anchor(question: str, source: str) -> str:
    """The HTML id of one text's answer to one question in its chapter.

    >>> claim_anchor("origins", "hampton-awl")
    'claim-origins-hampton-awl'
    """
    return f"claim-{question}-{source}"


def overview_cell(c: Course, theme: Theme, source: str) -> tuple[str, str] | None:
    """A text's one-line position on a theme, and the question it answers: its first claim's
    `short`; None when the text is silent on the theme."""
    mine = [cl for q in theme.questions for cl in theme.claims if cl.question == q.id and cl.source == source]
    return (mine[0].short, mine[0].question) if mine else None


class OverviewDirective(CourseDirective):
    """```{texts-themes-overview}```: texts as rows, themes as columns; each cell a text's one-line
    position on the theme, linked to its claim in the chapter, or its silence."""

    reads = ("themes/*.yml", "sources.yml", "readings.yml")

    def run(self) -> list[nodes.Node]:
        c = self.course
        themes = list(c.themes.values())
        table = nodes.table(classes=["cw-overview"])
        table += nodes.title(text="The five texts across the themes: one line each, linked to the claim")
        group = nodes.tgroup(cols=len(themes) + 1)
        table += group
        for _ in range(len(themes) + 1):
            group += nodes.colspec(colwidth=1)
        head = nodes.row()
        head += nodes.entry("", nodes.paragraph(text="Text"))
        for t in themes:
            cell = nodes.paragraph()
            cell += nodes.reference("", f"{t.number}. {t.title}", refuri=href(self.env.docname, t.page))
            head += nodes.entry("", cell)
        group += nodes.thead("", head)
        body = nodes.tbody()
        group += body
        for sid, src in c.sources.items():
            row = nodes.row()
            first = nodes.paragraph()
            first += nodes.reference("", src.short, refuri=self.link(sid))
            row += nodes.entry("", first)
            for t in themes:
                found = overview_cell(c, t, sid)
                para = nodes.paragraph()
                if found is None:
                    para += nodes.emphasis(text="silent")
                else:
                    short, question = found
                    para += nodes.reference(
                        "", short, refuri=href(self.env.docname, t.page, claim_anchor(question, sid))
                    )
                row += nodes.entry("", para)
            body += row
        return [table]


class ComparisonTableDirective(ThemeDirective):
    """```{comparison-table} soviets```: rows are texts, columns are the theme's questions."""

    def run(self) -> list[nodes.Node]:
        c, theme = self.course, self.theme()
        header, rows = comparison_rows(c, theme)
        table = nodes.table(classes=["cw-compare"])
        group = nodes.tgroup(cols=len(header))
        table += group
        for _ in header:
            group += nodes.colspec(colwidth=1)
        thead = nodes.thead()
        group += thead
        hrow = nodes.row()
        for h in header:
            hrow += nodes.entry("", nodes.paragraph(text=h))
        thead += hrow
        tbody = nodes.tbody()
        group += tbody
        for sid, cells in rows:
            row = nodes.row()
            first = nodes.paragraph()
            first += nodes.reference("", c.sources[sid].voice, refuri=self.link(sid))
            row += nodes.entry("", first)
            for cell in cells:
                row += nodes.entry("", nodes.paragraph(text=cell))
            tbody += row
        title = nodes.title(text=f"The texts compared: {theme.title}")
        table.insert(0, title)
        return [table]


class DisagreementsDirective(ThemeDirective):
    """```{disagreements} soviets```: every contradiction recorded for the theme. With `:brief:` (the
    seminar handouts), each side's quotation is cut to its opening words and its paragraph, so that
    a handout stays short; the chapter has the full passage."""

    BRIEF_WORDS = 12
    option_spec = {"brief": directives.flag}

    def run(self) -> list[nodes.Node]:
        c, theme = self.course, self.theme()
        out: list[nodes.Node] = []
        for d in theme.disagreements:
            box = nodes.container(ids=[f"disagreement-{d.id}"], classes=["cw-disagreement"])
            box += nodes.rubric(text=f"{labels.DISAGREEMENT_KIND[d.kind]}: {d.topic}")
            items = nodes.bullet_list()
            for side in d.sides:
                item = nodes.list_item()
                item += self.source_label(c, side.source, side.quote)
                item += nodes.paragraph(text=side.says)
                item += self.brief_quote(c, side.quote) if "brief" in self.options else self.quote(side.quote)
                if side.cites:
                    cites = labels.scholars(side.cites, c.bibliography)
                    item += nodes.paragraph(text=f"Rests on: {cites}.", classes=["cw-cites"])
                items += item
            box += items
            why = nodes.paragraph(classes=["cw-why"])
            why += nodes.strong(text="Why they differ. ")
            why += nodes.Text(d.why)
            box += why
            out.append(box)
        return out

    def brief_quote(self, c: Course, q: Quote) -> nodes.Node:
        """The quotation's opening words and its paragraph (checked verbatim like a full one)."""
        note_quoted(self.env, q)
        msg = check_quote(c, q, self.env.docname)
        if msg:  # as for a full quotation: a warning, which fails the strict build
            log.warning(msg, location=self.get_location())
            return nodes.inline(text=f"[quotation not verified: {q.text}]", classes=["cw-error"])
        words = q.text.split()
        short = " ".join(words[: self.BRIEF_WORDS]) + (" …" if len(words) > self.BRIEF_WORDS else "")
        para = nodes.paragraph(classes=["cw-quote-brief"])
        para += nodes.Text(f"“{short}” ")
        para += nodes.reference(
            text=f"({labels.cite(c, q.source, q.paragraph)})", refuri=self.link(q.source, q.paragraph)
        )
        return para


def setup(app: Sphinx) -> None:
    app.add_directive("claims", ClaimsDirective)
    app.add_directive("comparison-table", ComparisonTableDirective)
    app.add_directive("disagreements", DisagreementsDirective)
    app.add_directive("texts-themes-overview", OverviewDirective)
