"""Editing one data file re-reads only the pages that read it.

Fast: every directive and role says what it reads, and every function the book's notebook cells
call from `courseware` is known. Slow: a real incremental build of a copy of the repository (notebook
execution off), edited the way an author edits it, re-reads exactly the pages Sphinx should.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sphinx.util.docutils import SphinxDirective

from courseware.sphinx import bibliography, common, dependencies, glossary, reader, terms, themes, timeline
from courseware.sphinx.dependencies import EVERYTHING, THEME, cell_reads, data_files

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
JB = [sys.executable, "-m", "courseware.jb"]
SKIP = (".git", ".venv", "_build", "node_modules", "__pycache__", ".ruff_cache", ".jupyter_cache", "release")
KRONSTADT = "book/chapters/07-kronstadt"
EVERY_THEME = {"book/reference/texts-and-themes"}  # the pages that list every theme


def test_doctests_pass():
    assert doctest.testmod(dependencies).failed == 0


def _directives() -> list[type[common.CourseDirective]]:
    found = []
    for module in (bibliography, glossary, reader, themes, timeline):
        found += [
            v for v in vars(module).values() if isinstance(v, type) and issubclass(v, common.CourseDirective)
        ]
    return [d for d in found if d is not common.CourseDirective]


@pytest.mark.parametrize("directive", _directives(), ids=lambda d: d.__name__)
def test_every_directive_declares_the_files_it_reads(directive: type[SphinxDirective]):
    assert directive.reads is not EVERYTHING, f"{directive.__name__}: declare `reads`"
    fixed = [p for p in directive.reads if "{arg}" not in p]  # the rest name the argument's file
    for path in data_files(fixed, None, DATA):
        assert path.is_file(), f"{directive.__name__} reads {path}, which does not exist"


@pytest.mark.parametrize("role", [terms.GlossRole, terms.ScholarRole], ids=lambda r: r.__name__)
def test_every_role_declares_the_files_it_reads(role: type[terms._LinkRole]):
    assert role.reads is not EVERYTHING
    assert all(p.is_file() for p in data_files(role.reads, None, DATA))


def test_a_theme_directive_reads_its_own_theme_only():
    paths = data_files(themes.ClaimsDirective.reads, "kronstadt", DATA)
    files = {p.relative_to(DATA).as_posix() for p in paths}
    assert "themes/kronstadt.yml" in files
    assert not {f for f in files if f.startswith("themes/")} - {"themes/kronstadt.yml"}


@pytest.mark.parametrize("page", sorted((ROOT / "book").rglob("*.md")), ids=lambda p: p.stem)
def test_every_function_the_book_calls_is_known(page: Path):
    """A function missing from `CELL_READS` would make its page depend on every data file."""
    for patterns, _ in cell_reads(page.read_text(encoding="utf-8")):
        assert patterns is not EVERYTHING, f"{page}: add the functions its cells call to CELL_READS"


def test_the_kronstadt_chapter_depends_on_its_widgets_theme():
    reads = cell_reads((ROOT / f"{KRONSTADT}.md").read_text(encoding="utf-8"))
    assert (THEME, "kronstadt") in reads
    assert all(arg in (None, "kronstadt") for _, arg in reads)


def test_an_unknown_call_depends_on_everything():
    assert cell_reads("from courseware.widgets import something_new\nsomething_new()") == [(EVERYTHING, None)]
    code = "from courseware.widgets import theme_comparator\ntheme_comparator(name)"
    assert cell_reads(code) == [(THEME, None)]  # not a literal: every theme


# ---- a real incremental build ------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # Sphinx colours its log even into a pipe
_UPDATING = re.compile(r"updating environment: .*?(\d+) added, (\d+) changed, (\d+) removed")
_READING = re.compile(r"reading sources\.\.\. \[\s*\d+%\] (\S+)")


def _build(repo: Path) -> set[str]:
    """Build the copy incrementally; the documents it re-read."""
    # the copy's package and data, not this one's; one job, so that the log names each page read
    env = {**os.environ, "PYTHONPATH": str(repo), "COURSEWARE_BUILD_JOBS": "1"}
    result = subprocess.run(
        [*JB, "build", "-n", "--keep-going", str(repo)],
        capture_output=True,
        text=True,
        cwd=repo,
        env=env,
        timeout=900,
    )
    log = _ANSI.sub("", result.stdout + result.stderr)
    assert result.returncode == 0, log[-3000:]
    m = _UPDATING.search(log)
    assert m, "no 'updating environment' line in the build log:\n" + log[-3000:]
    read = set(_READING.findall(log))
    assert len(read) == int(m[1]) + int(m[2]), log[-3000:]
    return read


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository, built once with notebook execution off."""
    dest = tmp_path_factory.mktemp("deps") / "course"
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(*SKIP), symlinks=True)
    config = yaml.safe_load((dest / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "off"
    (dest / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    _build(dest)
    return dest


def _edit(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(line)


@pytest.mark.slow
def test_nothing_changed_reads_nothing(repo: Path):
    assert _build(repo) == set()


@pytest.mark.slow
def test_editing_a_theme_re_reads_its_chapter_and_the_pages_listing_every_theme(repo: Path):
    _edit(repo / "data" / "themes" / "kronstadt.yml", "# an edit\n")
    assert _build(repo) == {KRONSTADT, *EVERY_THEME}


@pytest.mark.slow
def test_editing_the_events_re_reads_the_timeline_and_no_chapter(repo: Path):
    _edit(repo / "data" / "events.yml", "# an edit\n")
    read = _build(repo)
    assert "book/reference/timeline" in read
    assert not {d for d in read if d.startswith("book/chapters/")}


@pytest.mark.slow
def test_editing_a_text_re_reads_its_reader_page(repo: Path):
    _edit(repo / "data" / "texts" / "hampton-awl.yml", "# an edit\n")
    read = _build(repo)
    assert "book/readings/hampton-awl" in read
    assert "book/readings/callinicos-1977" not in read
