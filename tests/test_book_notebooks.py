"""nbval over every notebook page of the book, as students get it: the `.ipynb` the release writes
beside each notebook page (the one Binder opens), in an edition written without its book build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from courseware.release import release
from tests.helpers import ROOT


def myst_notebooks() -> list[Path]:
    return sorted(
        p for p in (ROOT / "book").rglob("*.md") if p.read_text(encoding="utf-8").startswith("---\njupytext:")
    )


def test_the_book_has_executable_pages():
    assert len(myst_notebooks()) >= 10


@pytest.mark.slow
def test_every_page_notebook_runs_under_nbval(tmp_path):
    edition = tmp_path / "student"
    release(ROOT, edition, build=False, launch_buttons=False)
    notebooks = sorted((edition / "book").rglob("*.ipynb"))
    students = {p.relative_to(ROOT / "book") for p in myst_notebooks() if "instructor" not in p.parts}
    assert {p.relative_to(edition / "book").with_suffix(".md") for p in notebooks} == students
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(edition),
            *map(str, notebooks),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=edition,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert result.returncode == 0, result.stdout[-4000:]
    assert " passed" in summary and "failed" not in summary
