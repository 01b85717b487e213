"""Let the build read pages in parallel (`courseware.jb` asks Sphinx for one job per core).

Reading a chapter executes its notebook, which is most of a clean build. Sphinx reads in parallel
only if every extension says it may; two that Jupyter Book loads say nothing, so Sphinx would warn
(an error under `-W`) and read serially. Both are safe, and declared so here:

- `sphinx_multitoc_numbering` only replaces `TocTreeCollector.assign_section_numbers`, which
  Sphinx calls in the main process once every page has been read and merged;
- `sphinx_jupyterbook_latex` adds transforms that change one page's doctree each, keeping nothing
  between pages, and sets up the LaTeX builder in the main process.
"""

from __future__ import annotations

from sphinx.application import Sphinx

SAFE_UNDECLARED = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")


def declare_safe(app: Sphinx) -> None:
    for name in SAFE_UNDECLARED:
        extension = app.extensions.get(name)
        if extension is not None:
            extension.parallel_read_safe = True
            extension.parallel_write_safe = True


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", declare_safe)
