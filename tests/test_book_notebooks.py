"""nbval over every executable page of the book (MyST notebooks converted with jupytext).

nbval reads only .ipynb, so each MyST notebook in book/ is converted into a temporary folder first;
copies under _build/ are never collected.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

from tests.helpers import ROOT


def myst_notebooks() -> list[Path]:
    return sorted(
        p for p in (ROOT / "book").rglob("*.md") if p.read_text(encoding="utf-8").startswith("---\njupytext:")
    )


def test_the_book_has_executable_pages():
    assert len(myst_notebooks()) >= 10


@pytest.mark.slow
def test_every_book_notebook_runs_under_nbval(tmp_path):
    for md in myst_notebooks():
        nb = jupytext.read(md)
        out = tmp_path / md.relative_to(ROOT).with_suffix(".ipynb")
        out.parent.mkdir(parents=True, exist_ok=True)
        jupytext.write(nb, out)
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
            str(tmp_path),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert result.returncode == 0, result.stdout[-4000:]
    assert " passed" in summary and "failed" not in summary
