"""Sphinx extension: pages drawn from the course data (reader, themes, reference lists).

Listed in `_config.yml` under `sphinx.extra_extensions`. Every quotation it prints is checked
verbatim at build time; a failure is a warning, which the strict build (`-W`) turns into an error.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from ..printing import latex
from . import (
    bibliography,
    common,
    dependencies,
    executions,
    exercise,
    glossary,
    pageweight,
    parallel,
    reader,
    readingtime,
    terms,
    themes,
    timeline,
    widgetjs,
)


def setup(app: Sphinx) -> dict[str, Any]:
    for module in (
        common,
        dependencies,
        reader,
        themes,
        terms,
        glossary,
        bibliography,
        timeline,
        exercise,
        executions,
        readingtime,
        pageweight,
        widgetjs,
        parallel,
    ):
        module.setup(app)
    latex.setup(app)  # the print edition: {para} links, and links inside the PDF (LaTeX builds only)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
