"""Every {q} quotation in the book's prose is verbatim from the paragraph it cites.

The build checks them too (a misquotation is a warning, fatal under -W); this test finds them in
seconds and names each one."""

from __future__ import annotations

import re

from courseware.load import load_course
from courseware.models import Quote
from courseware.validate import check_quote
from tests.helpers import ROOT

ROLE = re.compile(r"\{q\}`(?P<source>[\w-]+)\s+(?P<n>\d+)\s*:\s*(?P<text>[^`]+)`")


def inline_quotes() -> list[tuple[str, Quote]]:
    found = []
    for page in sorted((ROOT / "book").rglob("*.md")):
        for m in ROLE.finditer(page.read_text(encoding="utf-8")):
            q = Quote(source=m["source"], paragraph=int(m["n"]), text=" ".join(m["text"].split()))
            found.append((str(page.relative_to(ROOT)), q))
    return found


def test_the_book_quotes_the_texts_in_its_prose():
    assert len(inline_quotes()) >= 10


def test_every_inline_quotation_is_verbatim():
    course = load_course()
    problems = [msg for page, q in inline_quotes() if (msg := check_quote(course, q, page))]
    assert problems == []
