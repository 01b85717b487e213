"""Helpers shared by the course's directives: data access, links, quotation nodes."""

from __future__ import annotations

import posixpath
from typing import ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import labels
from ..corpus import reader_href
from ..data import course
from ..models import Course, Quote
from ..text import compact, quote_parts
from ..validate import check_quote
from . import dependencies
from .dependencies import note_reads

log = logging.getLogger("courseware")


def href(from_doc: str, to_doc: str, fragment: str = "") -> str:
    """A relative link between two documents of the HTML build (to the reader: `reader_href`)."""
    rel = posixpath.relpath(to_doc, posixpath.dirname(from_doc) or ".")
    return f"{rel}.html" + (f"#{fragment}" if fragment else "")


class CourseDirective(SphinxDirective):
    """A directive that reads the course data and records what it reads as the page's dependencies.

    `reads`: the data files it reads, relative to data/, `{arg}` its first argument (see
    `dependencies`); a subclass that does not say depends on every file. The quotations it prints
    note their own text (`quote_node`)."""

    reads: ClassVar[tuple[str, ...]] = dependencies.EVERYTHING

    @property
    def course(self) -> Course:
        note_reads(self.env, self.reads, self.arguments[0] if self.arguments else None)
        return course()

    def link(self, source_id: str, n: int | None = None) -> str:
        return reader_href(source_id, n, posixpath.dirname(self.env.docname))

    def quote(self, q: Quote, inline: bool = False) -> nodes.Node:
        return quote_node(self.env.docname, self.get_location(), q, inline, self.env)


# ---- say it once: a passage is quoted in full once per page; later mentions link back to it --------

_SHOWN = "cw_quotes_shown"  # env attribute: docname -> [(source, paragraph, compact words, node id)]
AGAIN_WORDS = 6  # how many words of a passage a later mention repeats


def _shown(env: BuildEnvironment) -> dict[str, list[tuple[str, int, str, str]]]:
    if not hasattr(env, _SHOWN):
        setattr(env, _SHOWN, {})
    return getattr(env, _SHOWN)


def first_showing(env: BuildEnvironment, q: Quote) -> str | None:
    """The node id of the full quotation on this page that already contains `q`, if any."""
    words = compact(" ".join(quote_parts(q.text)))
    for source, n, shown, node_id in _shown(env).get(env.docname, []):
        if (
            (source, n) == (q.source, q.paragraph)
            and all(compact(part) in shown for part in quote_parts(q.text))
            and words
        ):
            return node_id
    return None


def _record_showing(env: BuildEnvironment, q: Quote) -> str:
    page = _shown(env).setdefault(env.docname, [])
    node_id = f"cw-q-{q.source}-{q.paragraph}-{len(page) + 1}"
    page.append((q.source, q.paragraph, compact(q.text), node_id))
    return node_id


def _again(q: Quote, node_id: str, ref: nodes.reference, inline: bool) -> nodes.Node:
    """A later mention of a passage quoted in full above: its first words, and links to both."""
    words = " ".join(" ".join(quote_parts(q.text)).split()[:AGAIN_WORDS])
    node = nodes.inline(classes=["cw-q-again", f"cw-src-{q.source}"])
    node["cw_full"] = q.text  # kept so that `_restore_orphans` can print it in full if need be
    node["cw_target"] = node_id
    node += nodes.Text(f"“{words} …” (")
    node += nodes.reference("", "quoted above", refuri=f"#{node_id}", classes=["cw-again"])
    node += nodes.Text("; ")
    node += ref
    node += nodes.Text(")")
    if inline:
        return node
    return nodes.paragraph("", "", node, classes=["cw-quote-again"])


def _in_cell_output(node: nodes.Node) -> bool:
    """True inside a notebook cell's output: markdown there is one of several renderings of the
    output, and the HTML page may show another (the widget), so it cannot hold a full quotation."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.Element) and "cell_output" in parent.get("classes", []):
            return True
        parent = parent.parent
    return False


def _restore_orphans(app: Sphinx, doctree: nodes.document) -> None:
    """A later mention whose full quotation is not certain to reach the page (it sits in a cell's
    output) is printed in full instead, and takes over the full quotation's id."""
    hidden: dict[str, nodes.Element] = {}
    ids: set[str] = set()
    for node in doctree.findall(nodes.Element):
        for i in node["ids"]:
            if _in_cell_output(node):
                hidden[i] = node
            else:
                ids.add(i)
    for node in list(doctree.findall(nodes.inline)):
        target = node.get("cw_target")
        if "cw-q-again" not in node["classes"] or not target or target in ids:
            continue
        if target in hidden:
            hidden[target]["ids"].remove(target)
        ref = next(iter(node.findall(nodes.reference)), None)
        cite = [r for r in node.findall(nodes.reference) if "cw-cite" in r["classes"]]
        full = nodes.inline(ids=[target], classes=["cw-q", *node["classes"][1:]])
        full += nodes.Text(f"“{node['cw_full']}” (")
        full += cite[0].deepcopy() if cite else (ref.deepcopy() if ref else nodes.Text(""))
        full += nodes.Text(")")
        node.replace_self(full)
        ids.add(target)


def _forget_page(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _shown(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    mine = _shown(env)
    for docname, shown in _shown(other).items():
        if docname in docnames:
            mine[docname] = shown


QUOTED = ("texts/{arg}.yml", "sources.yml")  # what checking and citing a quotation reads


def note_quoted(env: BuildEnvironment, q: Quote) -> None:
    """The quoted text and the card that names it are dependencies of the page that quotes them."""
    note_reads(env, QUOTED, q.source)


def quote_node(
    docname: str, location: str, q: Quote, inline: bool = False, env: BuildEnvironment | None = None
) -> nodes.Node:
    """A quotation with its source and a link to the paragraph; warns if it is not verbatim. Given the
    build environment, a passage already quoted in full on the page becomes a short link back to it."""
    c = course()
    if env is not None:
        note_quoted(env, q)
    msg = check_quote(c, q, docname)
    if msg:
        log.warning(msg, location=location)
        return nodes.inline(text=f"[quotation not verified: {q.text}]", classes=["cw-error"])
    uri = reader_href(q.source, q.paragraph, posixpath.dirname(docname))
    ref = nodes.reference("", labels.cite(c, q.source, q.paragraph), refuri=uri, classes=["cw-cite"])
    node_id = None
    if env is not None:
        earlier = first_showing(env, q)
        if earlier is not None:
            return _again(q, earlier, ref, inline)
        node_id = _record_showing(env, q)
    ids = [node_id] if node_id else []
    if inline:
        node = nodes.inline(ids=ids, classes=["cw-q", f"cw-src-{q.source}"])
        node += nodes.Text(f"“{q.text}” (")
        node += ref
        node += nodes.Text(")")
        return node
    block = nodes.block_quote(ids=ids, classes=["cw-quote", f"cw-src-{q.source}"])
    block += nodes.paragraph(text=q.text)
    attribution = nodes.attribution()
    attribution += ref
    block += attribution
    return block


def setup(app: Sphinx) -> None:
    app.connect("env-purge-doc", _forget_page)
    app.connect("doctree-read", _restore_orphans)
    app.connect("env-merge-info", _merge)
