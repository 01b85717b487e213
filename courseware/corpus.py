"""The texts as numbered, anchored paragraphs, with lookup by source and number."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from .models import Paragraph

if TYPE_CHECKING:
    from .models import Course

READER_DIR = "book/readings"  # one page per text: book/readings/<source id>.md


def anchor(n: int) -> str:
    """The HTML id of paragraph `n` on its text's reader page.

    >>> anchor(12)
    'p12'
    """
    return f"p{n}"


def reader_page(source_id: str) -> str:
    """The reader page's document name, for cross-references."""
    return f"{READER_DIR}/{source_id}"


def reader_href(
    source_id: str, n: int | None = None, from_dir: str = "book/chapters", built: str = ""
) -> str:
    """The one way to link to a text, or to paragraph `n` of it, in the reader: relative, from a page
    in the folder `from_dir` of the book ("" for its root). `built` is where the built HTML book sits
    when the page is not part of it, e.g. "_build/html" for a notebook of the edition.

    >>> reader_href("hampton-awl", 31), reader_href("hampton-awl", None, "book")
    ('../readings/hampton-awl.html#p31', 'readings/hampton-awl.html')
    >>> reader_href("hampton-awl", 31, "book/chapters", built="_build/html")
    '../../_build/html/book/readings/hampton-awl.html#p31'
    """
    page = posixpath.join(built, f"{reader_page(source_id)}.html")
    return posixpath.relpath(page, from_dir or ".") + (f"#{anchor(n)}" if n else "")


def find_paragraph(course: Course, source_id: str, n: int) -> Paragraph | None:
    text = course.texts.get(source_id)
    if text is None:
        return None
    for p in text.paragraphs:
        if p.n == n:
            return p
    return None


def original_text(course: Course, source_id: str) -> str:
    """The original transcription, less the lines the reader leaves out (`Source.removed`)."""
    src = course.sources[source_id]
    raw = (course.root / "texts" / "original" / src.original).read_text(encoding="utf-8")
    for line in src.removed:
        raw = raw.replace(line, "")
    return raw
