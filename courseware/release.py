"""`courseware release DEST`: the student edition, with no solutions, hidden tests or rubrics in it.

The edition is a student's repository: the book (built, with its sources and data), every notebook
page of the book as an .ipynb beside it, the `courseware` package and a wheel of it holding the
public data and check specs, the generated exercises, the Binder files (requirements.txt,
runtime.txt, pyproject.toml), and its own README and .gitignore. It leaves out the instructor's side
(`instructor/`, the pages under `book/instructor/`), the tests, benchmarks and development tools.

One command does it all, safely: it writes and builds the edition in a temporary folder beside DEST,
searches every file it will ship (the HTML and search index included) for every solution, every
graded key that the public material does not already show, every hidden test and every rubric
criterion, checks that every launch link opens an .ipynb of the edition in the edition's repository,
and only then moves it into DEST. Any failure is one line (cause and fix), and DEST is left as it
was.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import textfree
from .command_error import CommandError
from .items import ROOT, Exercise, ExerciseError
from .load import load_course
from .text import fold

MARKER = ".courseware-edition"  # marks a folder this command wrote, so --force may replace it
# Top-level entries of the repository that stay out of the edition.
EXCLUDE_TOP = {
    ".git",
    ".venv",
    "_build",
    "instructor",
    "tests",
    "bench",
    "node_modules",
    "vendor",
    "requirements-dev.txt",
    "Makefile",
    "bin",
    ".ci",
    ".github",
    ".pytest_cache",
    ".ruff_cache",
    "dist",
    "hand-in",
    "gradebook.db",
    "feedback",
}
EXCLUDE_ANY = ("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", ".DS_Store")
MIN_LINE = 24  # a solution line this long or longer is searched for on its own
MIN_KEY = 4  # graded keys shorter than this are too common to search for


@dataclass(frozen=True)
class Secret:
    """A string that must not appear in the edition, and where it comes from."""

    what: str  # "solution", "solution line", "graded key", "hidden test", "rubric"
    item: str
    text: str


@dataclass(frozen=True)
class Leak:
    path: str  # relative to the edition
    secret: Secret

    def __str__(self) -> str:
        excerpt = self.secret.text if len(self.secret.text) <= 60 else self.secret.text[:57] + "..."
        return f"{self.path}: {self.secret.what} of {self.secret.item}: {excerpt!r}"


# ---- what must not leak ------------------------------------------------------------------------


def _norm(text: str) -> str:
    """Fold quotes, dashes and runs of whitespace, so that typography does not hide a secret.
    (Fast on large files: no regular expressions.)"""
    return " ".join(fold(text).split())


def _key_strings(key) -> list[str]:
    """A graded key as the strings it could appear as: itself (strings), its JSON and Python forms."""
    if isinstance(key, str):
        return [key]
    if isinstance(key, list | dict):
        return [
            json.dumps(key, ensure_ascii=False),
            repr(key),
            json.dumps(key, ensure_ascii=False, separators=(",", ":")),
        ]
    return []  # numbers: the figures they come from are public; their solutions are searched


def secrets(exercises: list[Exercise], public: str = "") -> list[Secret]:
    """Everything of the instructor's side that must not reach students. `public` is the text of the
    public material (student notebooks and check specs): graded keys and solution lines it already
    shows are not secrets."""
    pub = _norm(public)
    out: list[Secret] = []
    for ex in exercises:
        for item in ex.items:
            out.append(Secret("solution", item.id, item.solution.strip()))
            for line in item.solution.splitlines():
                line = line.strip().strip('"').strip()
                if len(line) >= MIN_LINE and _norm(line) not in pub:
                    out.append(Secret("solution line", item.id, line))
            if item.graded:
                for k in _key_strings(item.key):
                    if len(k) >= MIN_KEY and _norm(k) not in pub:
                        out.append(Secret("graded key", item.id, k))
            out += [Secret("hidden test", item.id, t) for t in item.hidden_tests]
            out += [Secret("rubric", item.id, c.text) for c in item.rubric]
    return out


def public_material(root: Path) -> str:
    """The text of the generated student notebooks and public check specs under `root`, and of the
    five texts (a model answer quotes them)."""
    files = [
        *sorted((root / "exercises").glob("*.ipynb")),
        *sorted((root / "exercises" / "checks").glob("*.json")),
        *sorted((root / "data" / "texts").glob("*.yml")),
    ]  # quotations in a model answer
    return "\n".join(_views(p) for p in files)


# ---- searching the edition ---------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")


def _notebook_text(raw: str) -> str:
    """The sources and text outputs of a notebook, each cell joined, so multi-line code is found."""
    try:
        nb = json.loads(raw)
    except ValueError:
        return ""
    parts = []
    for cell in nb.get("cells", []) if isinstance(nb, dict) else []:
        src = cell.get("source", "")
        parts.append("".join(src) if isinstance(src, list) else str(src))
        for out in cell.get("outputs", []):
            for value in [out.get("text", ""), *out.get("data", {}).values()]:
                parts.append("".join(value) if isinstance(value, list) else str(value))
    return "\n".join(parts)


def _views(path: Path) -> str:
    """A file's text in the forms a secret could hide in: as is; in a page, untagged and unescaped
    (highlighted code); in JSON or JavaScript, unescaped; in a notebook, each cell's joined source."""
    raw = path.read_bytes().decode("utf-8", errors="ignore")
    views = [raw]
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".xml", ".svg", ".txt", ".md"):
        views.append(html.unescape(_TAG.sub("", raw)))
    if suffix in (".json", ".ipynb", ".js", ".pickle", ".doctree", ".html"):
        views.append(raw.replace("\\n", "\n").replace('\\"', '"').replace("\\u2019", "’"))
    if suffix == ".ipynb":
        views.append(_notebook_text(raw))
    return "\n".join(views)


def _anchor(needle: str) -> str | None:
    """The needle's longest interior word: if the needle occurs in a text, this word occurs there
    as a whole word (the first and last words may be cut), so a set lookup can rule a file out."""
    words = needle.split(" ")[1:-1]
    return max(words, key=len) if words else None


def scan(folder: Path, found: list[Secret]) -> list[Leak]:
    """Every (file, secret) pair where the secret occurs in a file under `folder`. Images, fonts and
    archives are searched as bytes, for the secret as written."""
    needles = [(s, n, _anchor(n)) for s in found if (n := _norm(s.text))]
    leaks = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix.lower() in textfree.BINARY:
            data = path.read_bytes()
            hits = [s for s, _, _ in needles if s.text.encode("utf-8") in data]
        else:
            hay = _norm(_views(path))
            words = set(hay.split(" "))
            hits = [
                s for s, needle, anchor in needles if (anchor is None or anchor in words) and needle in hay
            ]
        leaks += [Leak(str(path.relative_to(folder)), s) for s in hits]
    return leaks


# ---- writing the edition -----------------------------------------------------------------------


def copy_sources(root: Path, dest: Path) -> list[str]:
    """Copy the repository into `dest`, less the instructor's side and development files."""
    dest.mkdir(parents=True, exist_ok=True)
    copied = []
    ignore = shutil.ignore_patterns(*EXCLUDE_ANY)
    for entry in sorted(root.iterdir()):
        if entry.name in EXCLUDE_TOP or entry.name.endswith(".egg-info") or entry.resolve() == dest:
            continue
        if entry.is_dir() and ((entry / MARKER).exists() or ".partial-" in entry.name):
            continue  # an earlier edition, or one being written, inside the course folder
        if dest.resolve().is_relative_to(entry.resolve()):
            continue  # never copy a folder into itself
        if entry.is_dir():
            shutil.copytree(entry, dest / entry.name, ignore=ignore)
        else:
            shutil.copy2(entry, dest / entry.name)
        copied.append(entry.name)
    return copied


def build_book(dest: Path) -> subprocess.CompletedProcess:
    """Build the edition's HTML into dest/_build/html, strictly and from a clean state, with the
    edition's own copy of the package first on the path."""
    cmd = [
        sys.executable,
        "-m",
        "courseware.jb",  # Jupyter Book, through the package (see courseware/jb.py)
        "build",
        "--all",
        "-W",
        "-n",
        "--keep-going",
        "--path-output",
        str(dest),
        str(dest),
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(dest), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(cmd, cwd=dest, env=env, capture_output=True, text=True)


@dataclass
class ReleaseError(Exception):
    message: str

    def __str__(self) -> str:
        return self.message


# A Sphinx problem names its file first ("…/book/x.md:12: WARNING: …"); the kernel's own notices
# ("[IPKernelApp] WARNING | …") are noise, and a traceback's last line says what went wrong.
_PROBLEM = re.compile(r"^[^\[].*?(WARNING|ERROR|CRITICAL): ")
_RAISED = re.compile(r"^\w+(Error|Exception): ")


def build_failure(done: subprocess.CompletedProcess, stage: Path | None = None) -> str:
    """One line: the build's first problem (its page named relative to the edition), and where the
    whole log is."""
    log = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)  # no terminal colours
    lines = [ln.strip() for ln in log.splitlines() if ln.strip()]
    first = next(
        (ln for ln in lines if _PROBLEM.search(ln)),
        next((ln for ln in lines if _RAISED.search(ln)), lines[-1] if lines else "no output"),
    )
    if stage is not None:
        first = first.replace(f"{stage}/", "")
    fd, path = tempfile.mkstemp(prefix="courseware-release-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(log)
    return (
        f"the book did not build: {first[:300]} Fix that page or data file and release again "
        f"(full log: {path})."
    )


def _check_dest(dest: Path, force: bool) -> None:
    if dest.exists() and not dest.is_dir():
        raise ReleaseError(f"{dest} is a file. Give a new or empty folder.")
    if dest.exists() and any(dest.iterdir()) and not (force and (dest / MARKER).exists()):
        raise ReleaseError(
            f"{dest} is not empty. Give an empty or new folder"
            + (", or --force to replace an earlier edition." if (dest / MARKER).exists() else ".")
        )


def _move_into_place(stage: Path, dest: Path) -> None:
    """Replace `dest` (absent, empty or an earlier edition) by `stage`, in as few steps as can be."""
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        dest.rename(old)
    try:
        stage.rename(dest)
    except OSError:
        if old is not None:
            old.rename(dest)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class Edition:
    """What `release` wrote."""

    dest: Path
    copied: list[str]
    repository_url: str | None
    branch: str
    notebooks: list[str]  # the pages as notebooks, relative to the edition
    wheel: str | None  # relative to the edition


def release(
    root: Path,
    dest: Path,
    *,
    build: bool = True,
    force: bool = False,
    repository_url: str | None = None,
    branch: str | None = None,
    launch_buttons: bool = True,
    without_texts: bool = False,
) -> Edition:
    """Write the student edition of the course at `root` into `dest`.

    Everything is written into a temporary folder beside `dest` and checked there; only an edition
    that built, holds no secret and whose launch links all work is moved into `dest`. On failure,
    `ReleaseError` says why and what to do, and `dest` is as it was."""
    from .authoring import drifted, generated_files, load_checked
    from .edition import chapter_notebooks, launch_links, repository, student_files, wheel
    from .leaks import scan as scan_lookups

    dest = dest.resolve()
    _check_dest(dest, force)
    try:
        exercises = load_checked(root / "instructor" / "exercises")
    except ExerciseError as e:
        raise ReleaseError(str(e)) from None
    if not exercises:
        raise ReleaseError(f"no exercise sources in {root / 'instructor' / 'exercises'}.")
    stale = drifted(generated_files(exercises), root)
    if stale:
        raise ReleaseError(
            "the generated exercises differ from their sources: "
            + ", ".join(stale)
            + ". Run `courseware exercises`, then release again."
        )
    url = None
    if launch_buttons:
        try:
            url = repository.resolve(repository_url, root)
        except repository.RepositoryError as e:
            raise ReleaseError(str(e)) from None
    branch = branch or "main"
    dest.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))
    try:
        copied = copy_sources(root, stage)
        if without_texts:  # the texts cut to what the course quotes, before anything is made from them
            textfree.strip_texts(stage, load_course(root / "data"))
        (stage / MARKER).write_text(
            "The student edition of the course, written by `courseware release`.\n", encoding="utf-8"
        )
        student_files.drop_instructor_pages(stage)
        student_files.configure(stage, url, branch)
        pages = chapter_notebooks.toc_docnames(stage)
        notebooks = [
            p.relative_to(stage).as_posix() for p in chapter_notebooks.write_page_notebooks(stage, pages)
        ]
        built = wheel.build_wheel(stage, stage / "dist") if build else None
        wheel_name = f"dist/{built.name}" if built else "dist/courseware-*.whl"
        student_files.write_readme(stage, _title(stage), url, branch, wheel_name)
        student_files.write_gitignore(stage)
        if build:
            done = build_book(stage)
            if done.returncode != 0:
                raise ReleaseError(build_failure(done, stage))
            for scratch in (".doctrees", "jupyter_execute"):  # the build's working files: not shipped
                shutil.rmtree(stage / "_build" / scratch, ignore_errors=True)
        leaks = scan(stage, secrets(exercises, public_material(root)))
        if leaks:
            raise ReleaseError(
                "refused: the edition contains instructor material; nothing was "
                f"written to {dest}. Remove it from these files' sources and release "
                "again:\n" + "\n".join(f"  {leak}" for leak in leaks)
            )
        lookups = scan_lookups(stage, exercises)  # what a student could score by look-up alone
        over = lookups.over_allowance()
        if over:
            raise ReleaseError(
                "refused: look-ups in the edition answer graded points; nothing was written to "
                f"{dest}. Rewrite the material named below (or the items), then release again:\n"
                + "\n".join(f"  {line}" for line in over)
                + "\n"
                + lookups.format(only={line.split(":")[0] for line in over})
            )
        if without_texts:
            kept = textfree.find_leaks(stage, load_course(root / "data"))
            if kept:
                raise ReleaseError(
                    f"refused: the edition without the texts still holds their words; nothing was written "
                    f"to {dest}:\n" + "\n".join(f"  {leak}" for leak in kept[:20])
                )
        if build:
            bad = launch_links.problems(stage, url, branch)
            if bad:
                raise ReleaseError(
                    "refused: launch links that would not work: "
                    + "; ".join(bad[:5])
                    + (f" (and {len(bad) - 5} more)" if len(bad) > 5 else "")
                )
        _move_into_place(stage, dest)
    except wheel.WheelError as e:
        raise ReleaseError(str(e)) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return Edition(dest, copied, url, branch, notebooks, wheel_name if built else None)


def _title(edition: Path) -> str:
    m = re.search(r'(?m)^title:\s*"?([^"\n]+)"?', (edition / "_config.yml").read_text(encoding="utf-8"))
    return m[1].strip() if m else "The course"


# ---- the command -------------------------------------------------------------------------------


def release_edition(
    *,
    dest: Path,
    root: Path = ROOT,
    repository_url: str | None = None,
    branch: str | None = None,
    launch_buttons: bool = True,
    build: bool = True,
    force: bool = False,
    without_texts: bool = False,
) -> None:
    """`courseware release DEST`: `release`, then one line saying what was written. A
    `ReleaseError` becomes a `CommandError` (exit 1)."""
    dest = dest.resolve()
    try:
        edition = release(
            root.resolve(),
            dest,
            build=build,
            force=force,
            repository_url=repository_url,
            branch=branch,
            launch_buttons=launch_buttons,
            without_texts=without_texts,
        )
    except ReleaseError as e:
        raise CommandError(str(e)) from None
    built = f"; the book is in {dest / '_build' / 'html'}" if build else ""
    launch = (
        f"launch buttons open {edition.repository_url} ({edition.branch})"
        if edition.repository_url
        else "no launch buttons"
    )
    print(
        f"wrote the student edition to {dest}: {len(edition.notebooks)} pages as notebooks, "
        f"{launch}{built}. No solution, graded key, hidden test or rubric was found in it."
    )
