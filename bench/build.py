"""Time the book's builds side by side in one run: a clean strict build (on every core, and on one) and
a no-change rebuild, then a rebuild after editing one theme's data file against a rebuild after
editing one chapter's markdown.

    .venv/bin/python bench/build.py [--repeat N]

Prints seconds for each, the pages each rebuild re-read, and the ratios. Everything is built in a
temporary copy of the repository (the edits are made there, never here), whose own `courseware`
package the build and its notebook kernels import. A clean build executes every notebook (the
book's configuration forces execution); a rebuild re-reads, and so re-executes, only the pages whose
source or data changed: a theme's data file is read by its chapter and by the pages that list every
theme, so the target is a theme edit within 1.5x of a chapter edit. Beside them, the template book
`jupyter-book create` makes is built and rebuilt with nothing changed, with plain `jupyter-book` (no
course package): the course's no-change rebuild should stay within 1.3x of that floor.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JB = [sys.executable, "-m", "courseware.jb"]  # Jupyter Book, started through the package
PLAIN_JB = [str(Path(sys.executable).with_name("jupyter-book"))]  # the same Jupyter Book, without it
THEME_FILE = "data/themes/kronstadt.yml"
CHAPTER_FILE = "book/chapters/07-kronstadt.md"
TARGET = 1.5  # a theme edit may take at most this many times a chapter edit
EMPTY_TARGET = 1.3  # the course's no-change rebuild against the template book's
# not part of the book, or made by a build: left out of the copy
SKIP = (".git", ".venv", "_build", "node_modules", "__pycache__", ".ruff_cache", ".jupyter_cache", "release")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # Sphinx colours its log even into a pipe
_READ = re.compile(r"updating environment: .*?(\d+) added, (\d+) changed, (\d+) removed")


@dataclass(frozen=True)
class Build:
    seconds: float
    reread: int  # pages added or changed: read, and executed, again


def copy_repository(dest: Path) -> Path:
    """A copy of the repository to build and edit; its `data/` is the one its package reads."""
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(*SKIP), symlinks=True)
    return dest


def build(repo: Path, clean: bool, jobs: int | None = None) -> Build:
    args = [*JB, "build", *(["--all"] if clean else []), "-W", "-n", "--keep-going", str(repo)]
    if clean:
        shutil.rmtree(repo / "_build", ignore_errors=True)
    # the copy's package, not the editable install of this one, in the build and in its kernels
    env = {**os.environ, "PYTHONPATH": str(repo)}
    if jobs is not None:  # courseware.jb reads pages on every core unless told otherwise
        env["COURSEWARE_BUILD_JOBS"] = str(jobs)
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, cwd=repo, env=env)
    took = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit("the build failed, so there is nothing to time:\n" + result.stdout[-3000:])
    m = _READ.search(_ANSI.sub("", result.stdout))
    return Build(took, int(m[1]) + int(m[2]) if m else 0)


def empty_book(dest: Path) -> Path:
    """The template book of `jupyter-book create`, built once."""
    subprocess.run([*PLAIN_JB, "create", str(dest)], check=True, capture_output=True)
    subprocess.run([*PLAIN_JB, "build", str(dest)], check=True, capture_output=True)
    return dest


def rebuild_empty(book: Path) -> float:
    start = time.perf_counter()
    subprocess.run([*PLAIN_JB, "build", str(book)], check=True, capture_output=True)
    return time.perf_counter() - start


def edit(path: Path, line: str) -> None:
    """Append a line that changes nothing the book shows (a YAML comment, a blank line)."""
    with path.open("a", encoding="utf-8") as f:
        f.write(line)


def best(builds: list[Build]) -> Build:
    return min(builds, key=lambda b: b.seconds)


def row(label: str, builds: list[Build]) -> str:
    b = best(builds)
    times = ", ".join(f"{x.seconds:.1f}" for x in builds)
    return f"{label:<22}{b.seconds:6.1f} s  {b.reread:3d} pages re-read  (best of {len(builds)}: {times})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    n = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as tmp:
        repo = copy_repository(Path(tmp) / "course")
        template = empty_book(Path(tmp) / "template")
        clean, serial, rebuild, theme, chapter, empty = [], [], [], [], [], []
        for i in range(n):
            serial.append(build(repo, clean=True, jobs=1))
            clean.append(build(repo, clean=True))
            rebuild.append(build(repo, clean=False))
            empty.append(rebuild_empty(template))
            edit(repo / THEME_FILE, f"# bench edit {i}\n")
            theme.append(build(repo, clean=False))
            edit(repo / CHAPTER_FILE, "\n")
            chapter.append(build(repo, clean=False))
        pages = len(list((repo / "_build" / "html").rglob("*.html")))
    print(f"pages built:          {pages}")
    print(row("clean strict build:", clean))
    print(row("the same, one job:", serial))
    print(row("no-change rebuild:", rebuild))
    floor = min(empty)
    times = ", ".join(f"{x:.1f}" for x in empty)
    print(
        f"{'template book rebuild:':<22}{floor:6.1f} s  (jupyter-book create; best of {len(empty)}: {times})"
    )
    print(row(f"edit {THEME_FILE.split('/')[-1]}:", theme))
    print(row(f"edit {CHAPTER_FILE.split('/')[-1]}:", chapter))
    print(
        f"ratio clean/one job:  {best(clean).seconds / best(serial).seconds:5.2f}x  ({os.cpu_count()} cores)"
    )
    print(f"ratio clean/rebuild:  {best(clean).seconds / best(rebuild).seconds:5.1f}x")
    mine = best(rebuild).seconds / floor
    verdict = "within" if mine <= EMPTY_TARGET else "over"
    print(f"ratio rebuild/template: {mine:5.2f}x  ({verdict} the {EMPTY_TARGET}x target)")
    ratio = best(theme).seconds / best(chapter).seconds
    verdict = "within" if ratio <= TARGET else "over"
    print(f"ratio theme/chapter:  {ratio:5.2f}x  ({verdict} the {TARGET}x target)")


if __name__ == "__main__":
    main()
