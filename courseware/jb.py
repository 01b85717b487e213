"""``python -m courseware.jb ARGS``: Jupyter Book's own command line, started through this package
so that the import guard in `courseware/__init__.py` (no URI-grammar compilation when jsonschema is
imported) applies to the build as well. Every place that builds the book calls this.

Most of a clean build is reading the chapters, each of which executes its notebook in a kernel of
its own. `jb build` always asks Sphinx for one job; here it asks for one per usable core (or
`COURSEWARE_BUILD_JOBS`), and the pages are dealt out to the jobs in turn, so that the chapters,
which sort together, do not all land in one job (`courseware.sphinx.parallel` lets Sphinx read in
parallel at all)."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Sequence


def build_jobs() -> int:
    """How many pages the build reads at once: COURSEWARE_BUILD_JOBS, else the usable cores."""
    given = os.environ.get("COURSEWARE_BUILD_JOBS", "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    return max(1, len(os.sched_getaffinity(0)))


def dealt_chunks(arguments: Sequence[str], nproc: int, maxbatch: int = 10) -> list[list[str]]:
    """One chunk per job, the pages dealt out in turn (Sphinx cuts the sorted list into runs).

    >>> dealt_chunks(["ch1", "ch2", "ch3", "index", "reader"], 2)
    [['ch1', 'ch3', 'reader'], ['ch2', 'index']]
    >>> dealt_chunks([], 2)  # nothing left to write after the first page: no chunk at all
    []
    """
    jobs = min(nproc, len(arguments))
    return [list(arguments[i::jobs]) for i in range(jobs)]


def main() -> int:
    import jupyter_book.sphinx
    import sphinx.builders
    from jupyter_book.cli.main import main as jb_main

    jobs = build_jobs()
    jupyter_book.sphinx.build_sphinx = functools.partial(jupyter_book.sphinx.build_sphinx, jobs=jobs)
    sphinx.builders.make_chunks = dealt_chunks
    sys.argv[0] = "jupyter-book"
    return jb_main()


if __name__ == "__main__":
    sys.exit(main())
