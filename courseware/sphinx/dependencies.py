"""Which data files each page reads, so that editing one file re-reads only the pages that show it.

Directives declare theirs (`CourseDirective.reads`), quotations note the text they quote, and a
page's notebook cells are scanned for the widgets and charts they call (`CELL_READS`): a cell's
output is drawn from the data when the page is executed, so the page depends on what it reads.
Paths are relative to the data folder; `{arg}` is the directive's or the call's first argument and
`*` a glob. When a reader is not sure, it declares more: a stale page is worse than a slow build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..data import course

EVERYTHING = ("**/*.yml",)  # what a reader declares that is not known to read less
TEXTS = ("texts/*.yml", "sources.yml")  # every text, and the card that names it
THEME = ("themes/{arg}.yml", *TEXTS, "readings.yml", "bibliography.yml", "citations.yml")
FIGURES = ("figures.yml", "topics.yml", *TEXTS, "readings.yml", "bibliography.yml", "citations.yml")
TURNING = ("turning_points.yml", *TEXTS, "readings.yml")

# What each function a notebook cell may call from `courseware` reads, by name. A name imported from
# the package that is missing here makes its page depend on every data file.
CELL_READS: dict[str, tuple[str, ...]] = {
    "theme_comparator": THEME,
    "attribution_quiz": THEME,
    "turning_point_slider": TURNING,
    "reasons": TURNING,
    "turning_chart": TURNING,
    "timeline_filter": ("events.yml", *TEXTS, "readings.yml"),
    "numbers_explorer": FIGURES,
    "coverage_table": FIGURES,
    "figures_table": FIGURES,
    "membership_chart": FIGURES,
    "membership_dispute_chart": FIGURES,
    "soviets_chart": FIGURES,
    "meetings_chart": FIGURES,
    "cec_chart": FIGURES,
    "secretariat_chart": FIGURES,
    "petrograd_membership_chart": FIGURES,
    "moscow_office_chart": FIGURES,
}

_IMPORT = re.compile(r"^\s*from\s+courseware(?:\.[\w.]+)?\s+import\s+(\([^)]*\)|[^\n#]+)", re.M)
_IMPORT_PACKAGE = re.compile(r"^\s*import\s+courseware\b", re.M)
_FIRST_ARG = r"\(\s*(?:\\?[\"']([\w-]+)\\?[\"']\s*[,)])?"  # a literal first argument, if any


def data_files(patterns: Iterable[str], arg: str | None, root: Path) -> list[Path]:
    """The files under `root` the patterns name, `{arg}` filled in (a glob when not given); a pattern
    without a wildcard names its file even while it is missing, so that creating it re-reads the page.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()); (root / "themes").mkdir(); (root / "themes" / "a.yml").touch()
    >>> [p.relative_to(root).as_posix() for p in data_files(["themes/{arg}.yml", "x.yml"], "a", root)]
    ['themes/a.yml', 'x.yml']
    >>> [p.relative_to(root).as_posix() for p in data_files(["themes/{arg}.yml"], None, root)]
    ['themes/a.yml']
    """
    out: set[Path] = set()
    for pattern in patterns:
        path = pattern.replace("{arg}", arg if arg is not None else "*")
        out |= set(root.glob(path)) if "*" in path else {root / path}
    return sorted(out)


def note_reads(env: BuildEnvironment, patterns: Iterable[str], arg: str | None = None) -> None:
    """Record the data files the current page reads as its build dependencies."""
    for path in data_files(patterns, arg, course().root):
        env.note_dependency(str(path))


def cell_reads(source: str) -> list[tuple[tuple[str, ...], str | None]]:
    """What a page's code reads, as (patterns, argument) pairs: each `courseware` function it imports,
    with the literal first argument of each call (None, hence every such file, for any other call).

    >>> code = 'from courseware.widgets import theme_comparator\\ntheme_comparator("kronstadt")'
    >>> cell_reads(code) == [(THEME, "kronstadt")]
    True
    >>> cell_reads("from courseware.data import course") == [(EVERYTHING, None)]
    True
    """
    if _IMPORT_PACKAGE.search(source):
        return [(EVERYTHING, None)]
    out: list[tuple[tuple[str, ...], str | None]] = []
    for m in _IMPORT.finditer(source):
        for part in m[1].strip("()").split(","):
            name = part.split()[0] if part.split() else ""  # `f as g`: g's calls are not seen; all files
            if not name:
                continue
            patterns = CELL_READS.get(name, EVERYTHING)
            calls = [c[1] or None for c in re.finditer(rf"\b{re.escape(name)}{_FIRST_ARG}", source)]
            out += [(patterns, arg) for arg in dict.fromkeys(calls or [None])]
    return out


def _note_cell_reads(app: Sphinx, docname: str, source: list[str]) -> None:
    for patterns, arg in cell_reads(source[0]):
        note_reads(app.env, patterns, arg)


def setup(app: Sphinx) -> None:
    app.connect("source-read", _note_cell_reads)
