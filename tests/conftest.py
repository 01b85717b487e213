"""Fixtures shared by the build, browser and release tests, set up once per test run.

`built_book`: the whole book, built once per test run exactly as `bin/course book` builds it
(strict, every page re-read, every notebook executed), into a temporary folder; the fixture is the
HTML folder. Pass `--built-book PATH` to test an HTML folder built earlier instead (quicker while
working on tests; the full run always builds afresh).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from courseware.sphinx.executions import ENV as EXECUTIONS
from courseware.sphinx.executions import share
from tests.made_once import made_once

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
JUPYTER_BOOK = [sys.executable, "-m", "courseware.jb"]  # Jupyter Book, started through the package


# The files that take longest, or make what others wait for, in the order they should start: the
# student edition (built after the book, whose executed notebooks it takes; the Binder and
# JupyterLab tests need it) and the book's browser tests first, then the Binder environment.
# The rest follow, files with slow tests first. Measured, not asserted: a
# file missing here only starts later.
FIRST = (
    "tests/test_release.py",
    "tests/browser/test_widgets_in_book.py",
    "tests/test_binder.py",
    "tests/test_pdf.py",
    "tests/browser/test_jupyterlab_edition.py",
    "tests/test_textfree.py",
    "tests/browser/test_pages_offline.py",
    "tests/test_exercise_notebooks.py",
    "tests/test_book_notebooks.py",
    "tests/sphinx/test_dependencies.py",
    "tests/grading/test_hostile.py",
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs the built book is slow (the build takes minutes): `make test-fast` skips it.

    `make test` runs the tests on every core, a file's tests on one worker (pytest-xdist,
    `--dist loadfile --no-loadscope-reorder`), each worker taking the next file in this order: the
    files of `FIRST`, then the other files with slow tests, then the rest (the order inside a file
    is kept)."""
    for item in items:
        if "built_book" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}

    def rank(item: pytest.Item) -> tuple[int, int]:
        name = item.path.relative_to(ROOT).as_posix()
        return (FIRST.index(name), 0) if name in FIRST else (len(FIRST), item.path not in slow_files)

    items.sort(key=rank)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--built-book",
        metavar="PATH",
        default=None,
        help="use this already-built HTML folder (…/_build/html) instead of building the book",
    )


def build_book(out: Path) -> Path:
    """Build the book from the repository root into `out`; return the HTML folder.

    Fails the run with the end of the build log if the strict build fails."""
    cmd = [*JUPYTER_BOOK, "build", "--all", "-W", "-n", "--keep-going", "--path-output", str(out), "."]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    html = out / "_build" / "html"
    if result.returncode != 0 or not (html / "index.html").exists():
        log = (result.stdout + result.stderr).strip().splitlines()
        problems = [line for line in log if "WARNING" in line or "ERROR" in line]
        pytest.fail(
            f"the book did not build (exit {result.returncode}): {' '.join(cmd)}\n"
            + "\n".join(problems[:40] or log[-40:]),
            pytrace=False,
        )
    return html


@pytest.fixture(scope="session")
def built_book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built book's HTML folder (…/_build/html), built once per test run."""
    given = request.config.getoption("--built-book")
    if given:
        html = Path(given).resolve()
        if not (html / "index.html").exists():
            pytest.fail(
                f"--built-book {given}: no index.html there; give the …/_build/html folder", pytrace=False
            )
        return html
    return made_once(tmp_path_factory, "book", build_book) / "_build" / "html"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium (never a downloaded browser), one for the whole run: Playwright's
    synchronous API allows one session per process."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed ({CHROMIUM} is missing). Install Debian's package: "
            "`sudo apt-get install chromium` (bin/course test does this itself when run as root), "
            "then run the tests again.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def shared_executions(
    request: pytest.FixtureRequest, built_book: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """The built book's executed notebooks, filed once per run for the run's later builds of the
    same course (the student edition, the print edition), which take the book's outputs instead of
    executing every notebook again (`courseware.sphinx.executions`); a build of a course that
    differs executes as always. Not with `--built-book`: a book built earlier may not match the
    sources."""
    if request.config.getoption("--built-book"):
        yield
        return
    build = built_book.parent  # …/_build, which holds jupyter_execute
    folder = made_once(tmp_path_factory, "executions", lambda into: share(build, ROOT, into))
    env = pytest.MonkeyPatch()
    env.setenv(EXECUTIONS, str(folder))
    yield
    env.undo()


EDITION_URL = "https://github.com/example/course"  # the repository the released edition names


@pytest.fixture(scope="session")
def released_edition(shared_executions: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The student edition as an instructor makes it from a fresh clone, once per test run:
    `courseware release DEST --root CLONE --repository-url …`: built (with the notebooks' outputs
    from the run's book build, `shared_executions`), scanned and link-checked. The
    release, Binder and JupyterLab tests all read this one edition; none may change it. The clone it
    was made from is beside it, in `../clone`."""
    import shutil

    from courseware.cli import main
    from courseware.release import copy_sources

    def release(base: Path) -> None:
        source = base / "clone"
        copy_sources(ROOT, source)
        shutil.copytree(ROOT / "instructor", source / "instructor")
        code = main(
            ["release", str(base / "student"), "--root", str(source), "--repository-url", EDITION_URL]
        )
        if code != 0:
            pytest.fail(
                f"the release from a fresh clone failed (exit {code}); see the captured stderr", pytrace=False
            )

    return made_once(tmp_path_factory, "edition", release) / "student"


@pytest.fixture(scope="session")
def binder_python(released_edition: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment built as repo2docker builds it for the edition: a new virtual environment
    and `pip install -r requirements.txt` in the edition's root, from the package registry. Shared
    by the Binder and JupyterLab tests (the install takes minutes)."""
    import venv

    def install(env_dir: Path) -> None:
        venv.create(env_dir, with_pip=True)
        env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONPATH": ""}
        env.pop("VIRTUAL_ENV", None)
        done = subprocess.run(
            [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", "-r", "requirements.txt"],
            cwd=released_edition,
            env=env,
            capture_output=True,
            text=True,
            timeout=1200,
        )
        if done.returncode != 0:
            pytest.fail(
                f"pip install -r requirements.txt failed in the edition:\n{done.stderr[-3000:]}",
                pytrace=False,
            )

    return made_once(tmp_path_factory, "binder-venv", install) / "bin" / "python"
