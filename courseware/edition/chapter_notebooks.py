"""Every notebook page of the book (a MyST page with a kernel: the chapters, the timeline) as an
.ipynb beside it, read from the page as it is when the edition is released, so the launch buttons
open a notebook that reads like the page and never shows raw MyST:

- the data-drawn directives (`claims`, `comparison-table`, `disagreements`, `exercise`,
  `timeline`) become code cells calling `courseware.page_views`, whose output is the section;
- roles become plain text with links: a quotation (`q`) in quotation marks with a link to its
  paragraph, a glossary term (`gloss`) or scholar (`scholar`) linked to its entry, a reference
  (`ref`, `doc`) by its title; links go to the built book in the edition, or to the notebook;
- admonitions become a bold title over their text, dropdowns a `<details>` block;
- code cells (the widgets) stay code cells, so the widgets are live.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from nbformat import NotebookNode

from .. import labels
from ..corpus import reader_href
from ..data import loaded
from ..models import Course
from ..page_views import BUILT_BOOK

GLOSSARY = "book/reference/glossary.html"
BIBLIOGRAPHY = "book/reference/bibliography.html"
_FENCE = re.compile(
    r"(?ms)^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}[ \t]*(?P<arg>[^\n]*)\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$\n?"
)
_ROLE = re.compile(r"\{(?P<name>gloss|scholar|q|ref|doc|term)\}`(?P<text>[^`]*)`")
_EXPLICIT = re.compile(r"^(?P<text>.+?)\s*<(?P<target>[^<>]+)>$", re.S)
_LABEL = re.compile(r"(?m)^\((?P<label>[\w-]+)\)=\s*$\n?")
_Q = re.compile(r"^\s*(?P<source>[\w-]+)\s+(?P<n>\d+)\s*:\s*(?P<text>.+)$", re.S)
DATA_DIRECTIVES = {
    "claims": "claims",
    "comparison-table": "comparison_table",
    "disagreements": "disagreements",
    "exercise": "exercise",
    "timeline": "timeline",
}


@dataclass(frozen=True)
class Target:
    """Where a label or document points: its title and the page's document name."""

    title: str
    docname: str


def is_notebook_page(path: Path) -> bool:
    head = path.read_text(encoding="utf-8")[:600]
    return head.startswith("---") and "kernelspec" in head.split("\n---", 1)[0]


def targets(root: Path, pages: list[Path]) -> dict[str, Target]:
    """Every `(label)=` before a heading, and every page by document name, with its title."""
    out: dict[str, Target] = {}
    for page in pages:
        doc = page.relative_to(root).with_suffix("").as_posix()
        text = page.read_text(encoding="utf-8")
        title = re.search(r"(?m)^#\s+(.+)$", text)
        out[doc] = Target(title[1].strip() if title else doc, doc)
        for m in re.finditer(r"(?m)^\((?P<label>[\w-]+)\)=\s*\n+#+\s+(?P<title>.+)$", text):
            out[m["label"]] = Target(m["title"].strip(), doc)
    return out


class PageConverter:
    """Converts one page; `root` is the book's root (the edition), `doc` the page's document name."""

    def __init__(
        self, root: Path, doc: str, known: dict[str, Target], notebooks: set[str], c: Course
    ) -> None:
        self.root, self.doc, self.known, self.notebooks, self.course = root, doc, known, notebooks, c
        self.dir = posixpath.dirname(doc)

    def rel(self, path: str) -> str:
        return posixpath.relpath(path, self.dir)

    def built(self, page: str, fragment: str = "") -> str:
        return self.rel(f"{BUILT_BOOK}/{page}") + (f"#{fragment}" if fragment else "")

    def doc_link(self, docname: str, fragment: str = "") -> str:
        """A page as a notebook when it has one (it opens in JupyterLab), else in the built book."""
        if docname in self.notebooks:
            return self.rel(f"{docname}.ipynb")
        return self.built(f"{docname}.html", fragment)

    def role(self, m: re.Match) -> str:
        name, text = m["name"], m["text"]
        explicit = _EXPLICIT.match(text)
        label, target = (explicit["text"], explicit["target"].strip()) if explicit else (text, text.strip())
        c = self.course
        if name == "q":
            q = _Q.match(text)
            if q is None:
                return text
            sid, n = q["source"], int(q["n"])
            words = " ".join(q["text"].split())
            cite = labels.cite(c, sid, n) if sid in c.sources else f"{sid}, ¶{n}"
            return f"“{words}” ([{cite}]({reader_href(sid, n, self.dir, built=BUILT_BOOK)}))"
        if name == "gloss":
            term = target if explicit else target.lower().replace(" ", "-")
            return f"[{label}]({self.built(GLOSSARY, f'term-{term}')})"
        if name == "scholar":
            ref = c.bibliography.get(target)
            shown = label if explicit or ref is None else labels.scholar(ref)
            return f"[{shown}]({self.built(BIBLIOGRAPHY, f'ref-{target}')})"
        if name in ("ref", "doc"):
            key = (
                target
                if name == "ref"
                else posixpath.normpath(posixpath.join(self.dir, target))
                if not target.startswith("/")
                else target.lstrip("/")
            )
            found = self.known.get(key)
            if found is None:
                return label
            shown = label if explicit else found.title
            fragment = "" if name == "doc" else target
            return f"[{shown}]({self.doc_link(found.docname, fragment)})"
        return label

    def text(self, markdown: str) -> str:
        return _ROLE.sub(self.role, markdown)

    def markdown_cells(self, source: str) -> list[NotebookNode]:
        """A markdown cell's MyST as plain Markdown cells, with the data directives as code cells."""
        source = _LABEL.sub("", source)
        cells: list[NotebookNode] = []
        pending: list[str] = []

        def flush() -> None:
            text = "".join(pending).strip()
            pending.clear()
            if text:
                cells.append(nbformat.v4.new_markdown_cell(self.text(text)))

        pos = 0
        for m in _FENCE.finditer(source):
            pending.append(source[pos : m.start()])
            pos = m.end()
            name, arg, body = m["name"], m["arg"].strip(), m["body"]
            options = re.findall(r"(?m)^:([\w-]+):\s*(.*)$", body)
            body = re.sub(r"(?m)^:[\w-]+:.*\n?", "", body).strip()
            if name in DATA_DIRECTIVES:
                flush()
                call = DATA_DIRECTIVES[name]
                args = f'"{arg}"' if arg else ""
                cells.append(
                    nbformat.v4.new_code_cell(
                        f"from courseware.page_views import {call}\n\n{call}({args})",
                        metadata={"tags": ["hide-input"]},
                    )
                )
            elif name == "admonition" or name in ("note", "tip", "important", "warning"):
                title = arg or name.capitalize()
                quoted = "\n".join(f"> {line}" if line else ">" for line in body.splitlines())
                pending.append(f"> **{title}**\n>\n{quoted}\n\n")
            elif name == "dropdown":
                pending.append(f"<details>\n<summary>{self.text(arg)}</summary>\n\n{body}\n\n</details>\n\n")
            else:
                pending.append(f"{body}\n\n")
            del options
        pending.append(source[pos:])
        flush()
        return cells

    def convert(self, page: Path) -> NotebookNode:
        nb = jupytext.read(page)
        cells: list[NotebookNode] = []
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cells += self.markdown_cells(cell.source)
            elif cell.cell_type == "code":
                cells.append(nbformat.v4.new_code_cell(cell.source, metadata=dict(cell.metadata)))
        out = nbformat.v4.new_notebook()
        out.metadata = {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "courseware": {"page": self.doc},
        }
        for i, cell in enumerate(cells):
            cell["id"] = f"cell-{i}"
        out.cells = cells
        return out


def write_page_notebooks(root: Path, docnames: list[str]) -> list[Path]:
    """Write `<page>.ipynb` beside every notebook page among `docnames`; return the paths."""
    pages = [root / f"{d}.md" for d in docnames if (root / f"{d}.md").is_file()]
    notebook_pages = [p for p in pages if is_notebook_page(p)]
    notebooks = {p.relative_to(root).with_suffix("").as_posix() for p in notebook_pages}
    known = targets(root, pages)
    c = loaded()
    written = []
    for page in notebook_pages:
        doc = page.relative_to(root).with_suffix("").as_posix()
        nb = PageConverter(root, doc, known, notebooks, c).convert(page)
        nbformat.validate(nb)
        path = page.with_suffix(".ipynb")
        path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        written.append(path)
    return written


def toc_docnames(root: Path) -> list[str]:
    """Every document of the book's table of contents, in order."""
    from ..yamltext import parse as parse_yaml

    toc = parse_yaml((root / "_toc.yml").read_text(encoding="utf-8"))
    out: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key in ("root", "file"):
                if isinstance(node.get(key), str):
                    out.append(node[key].removesuffix(".md").removesuffix(".ipynb"))
            for value in node.values():
                if isinstance(value, list | dict):
                    walk(value)
        elif isinstance(node, list):
            for n in node:
                walk(n)

    walk(toc)
    return list(dict.fromkeys(out))
