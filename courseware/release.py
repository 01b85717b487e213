"""`courseware release DEST`: the student edition, with no solutions, hidden tests or rubrics in it.

The edition holds what students and Binder need: the book's sources and data, the `courseware`
package, the generated exercises (notebooks and public checks), the Binder files (requirements.txt,
runtime.txt, pyproject.toml) and the built HTML book. It leaves out the instructor's side
(`instructor/`), the tests, benchmarks and development tools.

Before it finishes, the release searches every file it wrote (the HTML, search index and doctrees
included) for every solution, every graded key that the public material does not already show, every
hidden test and every rubric criterion. If it finds one, it refuses: exit 1, naming each file.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .items import ROOT, Exercise, ExerciseError

MARKER = ".courseware-edition"  # marks a folder this command wrote, so --force may replace it
# Top-level entries of the repository that stay out of the edition.
EXCLUDE_TOP = {".git", ".venv", "_build", "instructor", "tests", "bench", "node_modules",
               "requirements-dev.txt", "Makefile", "bin", ".ci", ".github", ".pytest_cache", ".ruff_cache"}
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

_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "–": "-",
                       "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00a0": " "})


def _norm(text: str) -> str:
    """Fold quotes, dashes and runs of whitespace, so that typography does not hide a secret.
    (Fast on large files: no regular expressions.)"""
    return " ".join(text.translate(_FOLD).split())


def _key_strings(key) -> list[str]:
    """A graded key as the strings it could appear as: itself (strings), its JSON and Python forms."""
    if isinstance(key, str):
        return [key]
    if isinstance(key, list | dict):
        return [json.dumps(key, ensure_ascii=False), repr(key),
                json.dumps(key, ensure_ascii=False, separators=(",", ":"))]
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
    files = [*sorted((root / "exercises").glob("*.ipynb")),
             *sorted((root / "exercises" / "checks").glob("*.json")),
             *sorted((root / "data" / "texts").glob("*.yml"))]  # quotations in a model answer
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


_BINARY = {".png", ".jpg", ".jpeg", ".gif", ".ico", ".woff", ".woff2", ".ttf", ".eot", ".otf",
           ".pdf", ".zip", ".gz"}


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
        if path.suffix.lower() in _BINARY:
            data = path.read_bytes()
            hits = [s for s, _, _ in needles if s.text.encode("utf-8") in data]
        else:
            hay = _norm(_views(path))
            words = set(hay.split(" "))
            hits = [s for s, needle, anchor in needles
                    if (anchor is None or anchor in words) and needle in hay]
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
        if dest.resolve().is_relative_to(entry.resolve()):
            continue  # never copy a folder into itself
        if entry.is_dir():
            shutil.copytree(entry, dest / entry.name, ignore=ignore)
        else:
            shutil.copy2(entry, dest / entry.name)
        copied.append(entry.name)
    return copied


def set_repository(config: Path, url: str, branch: str | None) -> None:
    """Point the book's launch buttons at the edition's repository (the `repository:` block)."""
    text = config.read_text(encoding="utf-8")
    block = re.search(r"(?m)^repository:\n((?:[ \t]+.*\n?|\s*\n)*)", text)
    if block is None:
        text += f"\nrepository:\n  url: {url}\n  branch: {branch or 'main'}\n"
    else:
        body = re.sub(r"(?m)^([ \t]+)url:.*$", rf"\g<1>url: {url}", block.group(1))
        if branch:
            body = re.sub(r"(?m)^([ \t]+)branch:.*$", rf"\g<1>branch: {branch}", body)
        text = text[: block.start(1)] + body + text[block.end(1):]
    config.write_text(text, encoding="utf-8")


def build_book(dest: Path) -> subprocess.CompletedProcess:
    """Build the edition's HTML into dest/_build/html, strictly and from a clean state, with the
    edition's own copy of the package first on the path."""
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", "--all", "-W", "-n", "--keep-going",
           "--path-output", str(dest), str(dest)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(dest), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(cmd, cwd=dest, env=env, capture_output=True, text=True)


@dataclass
class ReleaseError(Exception):
    message: str

    def __str__(self) -> str:
        return self.message


def release(root: Path, dest: Path, *, build: bool = True, force: bool = False,
            repository_url: str | None = None, branch: str | None = None) -> list[str]:
    """Write the student edition of the course at `root` into `dest`; return what was copied.
    Raise `ReleaseError` when the exercises have drifted, the build fails, or a secret leaks."""
    from .authoring import drifted, generated_files, load_checked

    try:
        exercises = load_checked(root / "instructor" / "exercises")
    except ExerciseError as e:
        raise ReleaseError(str(e)) from None
    if not exercises:
        raise ReleaseError(f"no exercise sources in {root / 'instructor' / 'exercises'}.")
    stale = drifted(generated_files(exercises), root)
    if stale:
        raise ReleaseError("the generated exercises differ from their sources: " + ", ".join(stale)
                           + ". Run `courseware exercises`, then release again.")
    if dest.exists() and any(dest.iterdir()):
        if not force or not (dest / MARKER).exists():
            raise ReleaseError(f"{dest} is not empty. Give an empty or new folder"
                               + (", or --force to replace an earlier edition." if (dest / MARKER).exists()
                                  else "."))
        shutil.rmtree(dest)
    copied = copy_sources(root, dest)
    (dest / MARKER).write_text("The student edition of the course, written by `courseware release`.\n",
                               encoding="utf-8")
    if repository_url:
        set_repository(dest / "_config.yml", repository_url, branch)
    if build:
        done = build_book(dest)
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
            raise ReleaseError(f"the book did not build (exit {done.returncode}):\n{tail}")
    leaks = scan(dest, secrets(exercises, public_material(root)))
    if leaks:
        raise ReleaseError("refused: the edition contains instructor material. Do not publish "
                           f"{dest}. Remove it from these files' sources and release again:\n"
                           + "\n".join(f"  {leak}" for leak in leaks))
    return copied


# ---- the command -------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dest", type=Path, help="folder to write the edition into (new or empty)")
    parser.add_argument("--no-build", action="store_true", help="copy and check, but do not build the HTML")
    parser.add_argument("--force", action="store_true", help="replace an earlier edition in DEST")
    parser.add_argument("--root", type=Path, default=ROOT, help="the course repository (default: this one)")
    parser.add_argument("--repository-url", help="the edition's repository, for the book's launch buttons")
    parser.add_argument("--branch", help="the edition repository's branch (with --repository-url)")


def run(args: argparse.Namespace) -> int:
    dest = args.dest.resolve()
    try:
        copied = release(args.root.resolve(), dest, build=not args.no_build, force=args.force,
                         repository_url=args.repository_url, branch=args.branch)
    except ReleaseError as e:
        print(f"courseware release: {e}", file=sys.stderr)
        return 1
    built = "" if args.no_build else f"; the book is in {dest / '_build' / 'html'}"
    print(f"wrote the student edition to {dest} ({', '.join(copied)}){built}. "
          "No solution, graded key, hidden test or rubric was found in it.")
    return 0
