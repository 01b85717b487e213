"""Inline links into the reference pages, checked against the data:

- {gloss}`Sovnarkom <sovnarkom>` or {gloss}`soviet` → the glossary entry (anchor `term-<id>`);
- {scholar}`smith-2002` → "Smith 2002", linked to the bibliography (anchor `ref-<id>`);
  {scholar}`smith-2002 @hampton-awl 3` also says where a text cites the work, and the build warns
  when that paragraph does not cite it (data/citations.yml, or the text's notes and reading list).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

from .. import labels
from ..citations import locator_problem, split_locator
from ..data import course
from .common import href, log
from .dependencies import EVERYTHING, note_reads

GLOSSARY_PAGE = "book/reference/glossary"
BIBLIOGRAPHY_PAGE = "book/reference/bibliography"
_EXPLICIT = re.compile(r"^(?P<text>.+?)\s*<(?P<target>[\w-]+(?:\s+@[\w-]+\s+\d+)?)>$", re.S)


class _LinkRole(SphinxRole):
    page = ""
    prefix = ""
    reads: tuple[str, ...] = EVERYTHING  # the data files it reads, relative to data/ (`dependencies`)

    def label_and_target(self) -> tuple[str, str]:
        m = _EXPLICIT.match(self.text)
        if m:
            return m["text"], m["target"]
        return self.text, self.text.strip().lower().replace(" ", "-")

    def known(self, target: str) -> str | None:
        raise NotImplementedError

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        label, target = self.label_and_target()
        note_reads(self.env, self.reads)
        shown = self.known(target)
        if shown is None:
            log.warning(
                f'{self.name}: "{target}" is not in the data; add it or correct the id',
                location=self.get_location(),
            )
            return [nodes.Text(label)], []
        uri = href(self.env.docname, self.page, f"{self.prefix}{target}")
        return [nodes.reference("", shown or label, refuri=uri, classes=[f"cw-{self.name}"])], []


class GlossRole(_LinkRole):
    page, prefix = GLOSSARY_PAGE, "term-"
    reads = ("glossary.yml",)

    def known(self, target: str) -> str | None:
        return "" if target in course().glossary else None


class ScholarRole(_LinkRole):
    page, prefix = BIBLIOGRAPHY_PAGE, "ref-"
    reads = ("bibliography.yml", "citations.yml")

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        m = _EXPLICIT.match(self.text)
        target = m["target"] if m else self.text
        ref, where = split_locator(target)
        if where is not None:
            note_reads(self.env, ("texts/{arg}.yml",), where[0])  # the paragraph said to cite it
            wrong = locator_problem(course(), ref, *where)
            if wrong:
                log.warning(
                    f"scholar: {wrong}. Correct the paragraph, or the attribution",
                    location=self.get_location(),
                )
            self.text = f"{m['text']} <{ref}>" if m else ref
        return super().run()

    def known(self, target: str) -> str | None:
        ref = course().bibliography.get(target)
        if ref is None:
            return None
        return "" if _EXPLICIT.match(self.text) else labels.scholar(ref)


def setup(app: Sphinx) -> None:
    app.add_role("gloss", GlossRole())
    app.add_role("scholar", ScholarRole())
