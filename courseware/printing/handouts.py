"""One short handout per chapter, for a seminar session: learning goals, the comparison table, the
disagreements and the discussion questions.

The handouts are a small Sphinx project written into a folder of the print build: one page per
chapter, drawn from the chapter's own page (its "Learning goals" box and "Discussion" section, as
they stand at build time) and from its theme data (through the course's `comparison-table` and
`disagreements` directives, so quotations are checked as in the book). Links to pages a handout
lacks keep their words and lose the link (see `latex`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..models import Course, Theme

GOALS = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{admonition\}\s*Learning goals\s*\n(?P<body>.*?)^(?P=fence)\s*$", re.S | re.M
)
LABEL = re.compile(r"^\((?P<label>[\w-]+)\)=\s*\n#\s+(?P<title>.+)$", re.M)
REF = re.compile(r"\{(?:ref|doc|numref)\}`(?:(?P<text>[^`<]+?)\s*<(?P<target>[^`>]+)>|(?P<bare>[^`]+))`")


class HandoutError(Exception):
    """A chapter page lacks what a handout is made of; the message names the file and the fix."""


@dataclass(frozen=True)
class Handout:
    """One chapter's handout: its document name in the handout project and its PDF's base name."""

    theme: str
    number: int
    title: str
    docname: str  # e.g. "01-soviets"
    markdown: str


def section(page: str, heading: str) -> str | None:
    """The body of the `## heading` section of a MyST page (up to the next `##` or `#`), or None.

    >>> section("# T\\n## Discussion\\n1. Why?\\n## Next\\n", "Discussion")
    '1. Why?'
    """
    m = re.search(rf"^##\s+{re.escape(heading)}\s*$\n(?P<body>.*?)(?=^#{{1,2}}\s|\Z)", page, re.S | re.M)
    return m["body"].strip() if m else None


def learning_goals(page: str) -> str | None:
    """The text of the page's "Learning goals" admonition, less its options (`:class: tip`)."""
    m = GOALS.search(page)
    if not m:
        return None
    lines = [ln for ln in m["body"].splitlines() if not re.match(r"^:[\w-]+:", ln)]
    return "\n".join(lines).strip()


def plain_refs(text: str, titles: dict[str, str]) -> str:
    """Cross-references to other pages, as words: a handout holds one chapter only.

    >>> plain_refs("see {ref}`ch-kronstadt` and {ref}`this <ch-x>`", {"ch-kronstadt": "Kronstadt"})
    'see the chapter "Kronstadt" and this'
    """

    def words(m: re.Match[str]) -> str:
        if m["text"]:
            return m["text"].strip()
        target = m["bare"].strip()
        return f'the chapter "{titles[target]}"' if target in titles else target

    return REF.sub(words, text)


def chapter_titles(root: Path) -> dict[str, str]:
    """Every `(label)=` followed by a `# Title` in the book's pages: label → title."""
    out: dict[str, str] = {}
    for page in sorted((root / "book").rglob("*.md")):
        for m in LABEL.finditer(page.read_text(encoding="utf-8")):
            out[m["label"]] = m["title"].strip()
    return out


def handout(course: Course, theme: Theme, root: Path, titles: dict[str, str], citation: str) -> Handout:
    """The handout page for one theme; raises `HandoutError` naming what the chapter page lacks."""
    page_path = root / f"{theme.page}.md"
    if not page_path.exists():
        raise HandoutError(
            f"data/themes/{theme.id}.yml: page {theme.page!r} has no file {theme.page}.md. "
            "Correct the theme's `page` field."
        )
    page = page_path.read_text(encoding="utf-8")
    goals = learning_goals(page)
    discussion = section(page, "Discussion")
    missing = [
        what
        for what, found in (
            ("```{admonition} Learning goals``` box", goals),
            ('"## Discussion" section', discussion),
        )
        if not found
    ]
    if missing:
        raise HandoutError(
            f"{theme.page}.md: no {' and no '.join(missing)}; the chapter's handout is "
            "made from them. Add them (see the chapter anatomy in book/intro/how-to-use.md)."
        )
    body = [
        f"# {theme.title}",
        "",
        f"*Seminar handout for chapter {theme.number} of* Four Readings of 1917. *Every quotation is "
        "verbatim; its paragraph number (¶) locates it in the text, printed in full in the book's reader.*",
        "",
        "## Learning goals",
        "",
        plain_refs(goals or "", titles),
        "",
        "## The texts compared",
        "",
        f"```{{comparison-table}} {theme.id}",
        "```",
        "",
        "## Where they disagree, and why",
        "",
        f"```{{disagreements}} {theme.id}",
        ":brief:",  # opening words and paragraph: the chapter has the full passages
        "```",
        "",
        "## Discussion",
        "",
        plain_refs(discussion or "", titles),
        "",
        "---",
        "",
        f"*{citation}*",
        "",
    ]
    docname = Path(theme.page).name
    return Handout(theme.id, theme.number, theme.title, docname, "\n".join(body))


CONF = """# The seminar handouts: written by courseware.printing.handouts; rebuilt on every `make pdf`.
project = "Four Readings of 1917: seminar handouts"
author = {author!r}
extensions = ["myst_parser", "courseware.sphinx"]
myst_enable_extensions = ["colon_fence", "deflist"]
root_doc = "index"
exclude_patterns = ["_build"]
latex_engine = "xelatex"
latex_use_xindy = False
latex_show_urls = "no"
latex_domain_indices = False
latex_documents = {documents!r}
latex_elements = {{
    "papersize": "a4paper",
    "pointsize": "10pt",
    "fontpkg": r"\\setmainfont{{FreeSerif}}\\setsansfont{{FreeSans}}\\setmonofont{{FreeMono}}",
    "cmappkg": "",
    "printindex": "",
    "tableofcontents": "",
    "geometry": r"\\usepackage[margin=1.7cm,top=1.5cm]{{geometry}}",
    # a title of two lines, not a title page's worth: the handout is short
    "maketitle": r"\\makeatletter\\begin{{center}}{{\\Large\\sffamily\\bfseries\\@title}}\\par"
    r"\\smallskip{{\\small\\@author}}\\end{{center}}\\makeatother",
}}
"""


def write_project(course: Course, root: Path, dest: Path, author: str, citation: str) -> list[Handout]:
    """Write the handout project into `dest` (conf.py, index.md and one page per chapter)."""
    dest.mkdir(parents=True, exist_ok=True)
    titles = chapter_titles(root)
    themes = sorted(course.themes.values(), key=lambda t: t.number)
    outs = [handout(course, t, root, titles, citation) for t in themes]
    for h in outs:
        (dest / f"{h.docname}.md").write_text(h.markdown, encoding="utf-8")
    toc = "\n".join(h.docname for h in outs)
    (dest / "index.md").write_text(
        f"# Seminar handouts\n\n```{{toctree}}\n:hidden:\n{toc}\n```\n", encoding="utf-8"
    )
    documents = [
        (
            h.docname,
            f"handout-{h.docname}.tex",
            f"Chapter {h.number}: {h.title}",
            "Four Readings of 1917 · seminar handout",
            "howto",
        )
        for h in outs
    ]
    (dest / "conf.py").write_text(CONF.format(author=author, documents=documents), encoding="utf-8")
    return outs
