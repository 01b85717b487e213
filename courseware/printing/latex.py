"""Sphinx extension for the print edition. Everything but the `{para}` role acts only in LaTeX builds.

In the HTML book, links between pages are relative addresses (`../readings/ict-aurora-2017.html#p5`).
A PDF has no such files, so, once the LaTeX builder has put the whole book into one tree:

- a link to a page that is in the PDF becomes a link inside the PDF (to the paragraph, term or entry);
  a link to a page that is not (a handout has no reader) keeps its words and loses the link;
- every anchor such a link reaches gets a LaTeX label (the writer labels sections and tables, but
  not paragraphs or list items);
- the quiz answers (marked by the `{quiz-answers}` role) move to a section at the back;
- only the chapters the table of contents numbers are numbered;
- the comparison tables may break across pages (a page-high table would leave a page half empty).
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder
from sphinx.util.docutils import SphinxRole

from .. import labels
from ..corpus import reader_href
from ..data import course
from .markdown import ANSWERS_CLASS

ANSWERS_TITLE = "Answers to the practice quizzes"
_PARA = re.compile(r"^\s*(?P<source>[\w-]+)\s+(?P<n>\d+)\s*$")
_PAGE = re.compile(r"^(?P<path>[^:#?]+)\.html(?:#(?P<frag>.*))?$")  # relative, no scheme
# nodes whose ids the LaTeX writer labels itself; an id elsewhere needs a target node
_LABELLED = (nodes.section, nodes.table, nodes.figure, nodes.term, nodes.target, nodes.reference, nodes.title)


class ParaRole(SphinxRole):
    """{para}`ict-aurora-2017 5` → "ICT 2017, ¶5", linked to the paragraph in the reader."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        m = _PARA.match(self.text)
        c = course()
        if not m or m["source"] not in c.sources:
            msg = self.inliner.reporter.error(
                f'{{para}} takes "SOURCE PARAGRAPH" with a source of data/sources.yml, got "{self.text}"',
                line=self.lineno,
            )
            return [], [msg]
        source, n = m["source"], int(m["n"])
        uri = reader_href(source, n, posixpath.dirname(self.env.docname))
        return [nodes.reference("", labels.cite(c, source, n), refuri=uri, classes=["cw-cite"])], []


def page_target(from_doc: str, uri: str) -> tuple[str, str] | None:
    """The document and fragment a relative HTML link from `from_doc` points at, or None.

    >>> page_target("book/chapters/01-soviets", "../readings/hampton-awl.html#p31")
    ('book/readings/hampton-awl', 'p31')
    >>> page_target("book/chapters/01-soviets", "https://example.org/a.html") is None
    True
    """
    m = _PAGE.match(uri)
    if not m or "//" in uri:
        return None
    doc = posixpath.normpath(posixpath.join(posixpath.dirname(from_doc), m["path"]))
    return doc, m["frag"] or ""


def _docs_in(tree: nodes.Node, root: str) -> list[tuple[nodes.Element, str]]:
    """Every reference with a `refuri`, with the document it was written in."""
    out: list[tuple[nodes.Element, str]] = []

    def walk(node: nodes.Node, doc: str) -> None:
        if isinstance(node, addnodes.start_of_file):
            doc = node["docname"]
        if isinstance(node, nodes.reference) and node.get("refuri"):
            out.append((node, doc))
        for child in node.children:
            walk(child, doc)

    walk(tree, root)
    return out


def _ids_by_doc(tree: nodes.Node, root: str) -> dict[tuple[str, str], nodes.Element]:
    found: dict[tuple[str, str], nodes.Element] = {}

    def walk(node: nodes.Node, doc: str) -> None:
        if isinstance(node, addnodes.start_of_file):
            doc = node["docname"]
        if isinstance(node, nodes.Element):
            for i in node.get("ids", []):
                found.setdefault((doc, i), node)
            for child in node.children:
                walk(child, doc)

    walk(tree, root)
    return found


def _label(node: nodes.Element, ident: str) -> None:
    """Give `node`'s id `ident` a target the LaTeX writer labels."""
    if isinstance(node, _LABELLED):
        return
    node["ids"].remove(ident)
    target = nodes.target("", "", ids=[ident])
    if isinstance(node, nodes.TextElement):
        node.insert(0, target)
    elif node.parent is not None:
        node.parent.insert(node.parent.index(node), target)


def relink(tree: nodes.Node, root: str) -> tuple[int, int]:
    """Point links between pages inside the PDF; unlink those to pages it lacks. Returns both counts."""
    ids = _ids_by_doc(tree, root)
    docs = {root} | {d for d, _ in ids} | {n["docname"] for n in tree.findall(addnodes.start_of_file)}
    inside = dropped = 0
    labelled: set[tuple[str, str]] = set()
    for ref, doc in _docs_in(tree, root):
        uri = ref["refuri"]
        if uri.startswith("#"):
            key = (doc, uri[1:])
            if key in ids and key not in labelled:
                _label(ids[key], uri[1:])
                labelled.add(key)
            continue
        hit = page_target(doc, uri)
        if hit is None:
            continue
        target_doc, frag = hit
        if target_doc in docs and (not frag or (target_doc, frag) in ids):
            ref["refuri"] = f"%{target_doc}" + (f"#{frag}" if frag else "")
            if frag and (target_doc, frag) not in labelled:
                _label(ids[(target_doc, frag)], frag)
                labelled.add((target_doc, frag))
            inside += 1
        else:
            ref.replace_self(nodes.inline("", "", *ref.children, classes=["cw-unlinked"]))
            dropped += 1
    return inside, dropped


class QuizAnswersRole(SphinxRole):
    """{quiz-answers}`Soviets` opens a chapter's quiz answers (the list that follows it).

    In HTML the widget shows instead, so this never appears there; in a LaTeX build the heading and
    its list move to the answers at the back (`gather_answers`)."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        return [nodes.inline("", f"Answers: {self.text}", classes=[ANSWERS_CLASS])], []


def gather_answers(tree: nodes.document) -> int:
    """Move every chapter's quiz answers (a marked paragraph and the list after it) to one section
    at the end of the book."""
    marks = [n for n in tree.findall(nodes.inline) if ANSWERS_CLASS in n.get("classes", [])]
    if not marks:
        return 0
    section = nodes.section(ids=["cw-quiz-answers"], names=[ANSWERS_TITLE.lower()])
    section += nodes.title(text=ANSWERS_TITLE)
    section += nodes.paragraph(
        text="The practice quizzes of the chapters, answered: for each quotation, "
        "its reading, its text, and the paragraph it comes from."
    )
    for mark in marks:
        heading = mark.parent
        answers = heading.next_node(descend=False, siblings=True)
        mark.replace_self(nodes.strong("", mark.astext().removeprefix("Answers: ")))
        heading.parent.remove(heading)
        section += heading
        if isinstance(answers, nodes.enumerated_list):
            answers.parent.remove(answers)
            section += answers
    tree += section
    return len(marks)


def number_like_html(tree: nodes.document, numbered: set[str]) -> None:
    """Number only the chapters the table of contents numbers (the themes), as the HTML book does:
    so "chapter 3" in the prose is chapter 3 of the PDF. LaTeX numbers nothing while `secnumdepth`
    is -1, and does not count those chapters either."""
    tree.insert(0, nodes.raw("", r"\setcounter{secnumdepth}{-1}", format="latex"))
    for sof in list(tree.findall(addnodes.start_of_file)):
        depth = 2 if sof["docname"] in numbered else -1
        sof.parent.insert(
            sof.parent.index(sof), nodes.raw("", rf"\setcounter{{secnumdepth}}{{{depth}}}", format="latex")
        )


def fit_comparison(table: nodes.table) -> None:
    """A comparison table that may break across pages, its columns wrapped to the page's width: the
    texts' names narrower, the questions wider (by default LaTeX would not wrap a long table)."""
    table["classes"] += ["longtable", "colwidths-given"]
    for i, spec in enumerate(table.findall(nodes.colspec)):
        spec["colwidth"] = 2 if i == 0 else 3


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not isinstance(app.builder, LaTeXBuilder):
        return
    relink(doctree, docname)
    gather_answers(doctree)
    for table in doctree.findall(nodes.table):
        if "cw-compare" in table.get("classes", []):
            fit_comparison(table)
    number_like_html(doctree, {d for d, numbers in app.env.toc_secnumbers.items() if numbers})


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_role("para", ParaRole())
    app.add_role("quiz-answers", QuizAnswersRole())
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
