"""Reading time on every theme chapter: the words a reader meets on the page, at a steady pace.

Counted on the finished document, after every directive has drawn its claims, tables and
quotations, so the figure follows the data. Code and cell outputs (widgets, charts) are not counted:
they are explored, not read line by line.
"""

from __future__ import annotations

import math

from docutils import nodes
from sphinx.application import Sphinx

CHAPTERS = "book/chapters/"
WORDS_PER_MINUTE = 200  # a careful reading pace for argumentative prose with quotations


def reading_minutes(words: int, pace: int = WORDS_PER_MINUTE) -> int:
    """Whole minutes to read `words`, rounded up.

    >>> reading_minutes(2400), reading_minutes(5901)
    (12, 30)
    """
    return math.ceil(words / pace)


def counted_words(doctree: nodes.document) -> int:
    """Words of the document's text, leaving out code cells and their outputs."""
    total = 0
    for text in doctree.findall(nodes.Text):
        parent = text.parent
        skip = False
        while parent is not None:
            classes = parent.get("classes", []) if isinstance(parent, nodes.Element) else []
            if isinstance(parent, nodes.literal_block) or any(
                c.startswith("cell") or c == "output" for c in classes
            ):
                skip = True
                break
            parent = parent.parent
        if not skip:
            total += len(text.astext().split())
    return total


def add_reading_time(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put "Reading time: about N minutes (W words)" under a chapter's title."""
    if not docname.startswith(CHAPTERS):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    words = counted_words(doctree)
    note = nodes.paragraph(classes=["cw-reading-time"])
    note += nodes.strong(text="Reading time: ")
    note += nodes.Text(
        f"about {reading_minutes(words)} minutes ({words:,} words), plus the widgets and the graded exercise."
    )
    title_index = next((i for i, n in enumerate(section.children) if isinstance(n, nodes.title)), -1)
    section.insert(title_index + 1, note)


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", add_reading_time)
