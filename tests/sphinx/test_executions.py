"""Executed notebooks shared between builds of exactly the same course: a later build of the same
data, package and cells takes the outputs filed from an earlier one; any difference executes anew.

The real builds use a one-page course (the course's `_config.yml`, a copy of its package, one data
file) whose cell prints a random number: the same number in two builds means the second took the
first one's output; a new number means it executed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from courseware.paths import PACKAGE
from courseware.sphinx.executions import ENV, FILED, content_key, share
from tests.helpers import ROOT

PAGE = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
# A page

```{code-cell} ipython3
import random
print("drawn", random.randrange(10**12))
```
"""
_DRAWN = re.compile(r"drawn (\d+)")


def _course(root: Path) -> Path:
    (root / "book").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/page\n", encoding="utf-8")
    (root / "book" / "page.md").write_text(PAGE, encoding="utf-8")
    (root / "data").mkdir()
    (root / "data" / "note.yml").write_text("a: 1\n", encoding="utf-8")
    shutil.copytree(PACKAGE, root / "courseware", ignore=shutil.ignore_patterns("__pycache__", "public"))
    return root


def _build(root: Path, shared: Path | None) -> str:
    """Build the course strictly (from outside it, so that its package copy is imported only as
    the kernel imports it); the number its cell drew."""
    env = {k: v for k, v in os.environ.items() if k != ENV}
    if shared is not None:
        env[ENV] = str(shared)
    done = subprocess.run(
        [sys.executable, "-m", "courseware.jb", "build", "--all", "-W", "-n", "--keep-going", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root.parent,
        env=env,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    html = (root / "_build" / "html" / "book" / "page.html").read_text(encoding="utf-8")
    found = _DRAWN.search(html)
    assert found, "the page shows no output"
    return found[1]


def test_the_key_is_the_same_for_a_copy_and_changes_with_data_or_code(tmp_path: Path):
    one = _course(tmp_path / "one")
    two = tmp_path / "two"
    shutil.copytree(one, two)
    (two / "courseware" / "__pycache__").mkdir(exist_ok=True)
    (two / "courseware" / "__pycache__" / "x.pyc").write_bytes(b"compiled")  # not what a kernel reads
    assert content_key(one) == content_key(two) is not None
    (two / "data" / "note.yml").write_text("a: 2\n", encoding="utf-8")
    assert content_key(two) != content_key(one)
    (two / "data" / "note.yml").write_text("a: 1\n", encoding="utf-8")
    with (two / "courseware" / "labels.py").open("a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    assert content_key(two) != content_key(one)


def test_a_course_without_its_package_beside_it_is_never_shared(tmp_path: Path):
    root = _course(tmp_path / "c")
    shutil.rmtree(root / "courseware")
    assert content_key(root) is None
    with pytest.raises(ValueError, match="no courseware package"):
        share(root / "_build", root, tmp_path / "shared")


@pytest.mark.slow
def test_a_build_of_the_same_course_takes_the_filed_outputs_and_a_changed_one_executes(tmp_path: Path):
    first = _course(tmp_path / "first")
    drawn = _build(first, None)
    shared = tmp_path / "shared"
    folder = share(first / "_build", first, shared)
    assert (folder / FILED).is_file()

    same = tmp_path / "same"
    shutil.copytree(first, same, ignore=shutil.ignore_patterns("_build"))
    assert _build(same, shared) == drawn  # the filed output, not a new draw

    changed = tmp_path / "changed"
    shutil.copytree(first, changed, ignore=shutil.ignore_patterns("_build"))
    (changed / "data" / "note.yml").write_text("a: 2\n", encoding="utf-8")
    assert _build(changed, shared) != drawn  # other data: executed again

    assert _build(same, None) != drawn  # and without the variable, every build executes


def test_a_project_without_notebooks_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The handouts' Sphinx project has no myst-nb, so no execution mode to change."""
    from types import SimpleNamespace

    from sphinx.config import Config

    from courseware.sphinx.executions import _use_shared

    monkeypatch.setenv(ENV, str(tmp_path))
    config = Config({}, {})
    _use_shared(SimpleNamespace(srcdir=str(ROOT)), config)
    assert not hasattr(config, "nb_execution_mode")


@pytest.mark.parametrize("filed", ["missing", "unfinished"])
def test_a_missing_or_unfinished_folder_leaves_the_build_executing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filed: str
):
    """A folder the variable names that does not exist, or that `share` did not finish (no
    `filed` mark), is not used: the build executes as always."""
    from types import SimpleNamespace

    from sphinx.config import Config

    from courseware.sphinx.executions import _use_shared

    if filed == "unfinished":
        (tmp_path / content_key(ROOT)).mkdir()
    monkeypatch.setenv(ENV, str(tmp_path / "nowhere" if filed == "missing" else tmp_path))
    config = Config({"nb_execution_mode": "force"}, {})
    config.add("nb_execution_mode", "force", "env", ())
    config.add("nb_execution_cache_path", "", "env", ())
    _use_shared(SimpleNamespace(srcdir=str(ROOT)), config)
    assert config.nb_execution_mode == "force"
    (tmp_path / content_key(ROOT)).mkdir(exist_ok=True)
    (tmp_path / content_key(ROOT) / FILED).touch()
    monkeypatch.setenv(ENV, str(tmp_path))
    _use_shared(SimpleNamespace(srcdir=str(ROOT)), config)
    assert config.nb_execution_mode == "cache"  # the same folder, once filed, is used
