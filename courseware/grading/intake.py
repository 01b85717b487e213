"""Folder or LMS zip → `Submission`s, one per student; unreadable ones kept with a reason.

Student ids come from the LMS's file naming:

- Canvas ("Download Submissions"): ``smithjane_12345_67890_soviets.ipynb`` (late:
  ``smithjane_LATE_12345_67890_soviets.ipynb``; a resubmission may end ``-1.ipynb``). The student id
  is Canvas's user id (``12345``), which is also what the Canvas gradebook import matches on.
- Moodle ("Download all submissions"): ``Jane Smith_12345_assignsubmission_file_soviets.ipynb``, or
  the same as a folder ``Jane Smith_12345_assignsubmission_file_/soviets.ipynb``. The student id is
  the participant number (``12345``): Moodle's grading worksheet calls the row "Participant 12345".
- Anything else: the file name without ``.ipynb`` is the student id (a plain folder of notebooks).

Nothing is ever dropped: every entry of the folder or zip becomes a `Submission` or travels with
one. A file that cannot be read as a notebook (not UTF-8, not JSON, truncated, nested too deeply,
empty, not a notebook at all) gets `problem` set, so that it is recorded, scored zero and marked for
review; dotfiles and odd names are read like any other file. Every file's original bytes travel with
it, so the gradebook can archive them. Three kinds of entry are recorded but not read, and what is
archived for them is a short text saying what arrived: a symbolic link (never followed: it could
point at the gradebook or a key), a file over `MAX_BYTES`, and anything that is not a regular file.
Operating-system clutter (``.DS_Store``, ``Thumbs.db``, the ``__MACOSX/._`` shadow copies) travels
with the student whose folder or file name it carries, or gets a row of its own saying what it is.

When one student has several files, the latest is graded (by time in
the zip or folder, then by Canvas submission number, then by name); a notebook wins over any other
kind of file; the others are listed in `superseded` and archived too.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Literal

MAX_BYTES = 100 * 1024 * 1024  # a larger file is kept and archived, but not parsed
Lms = Literal["canvas", "moodle", "folder"]

CANVAS = re.compile(r"^(?P<name>[^_/]+)_(?:(?:LATE|late)_)?(?P<uid>\d+)_(?P<sub>\d+)_(?P<file>.+)$")
MOODLE = re.compile(r"^(?P<name>[^/]+?)_(?P<pid>\d+)_assignsubmission_(?:file|onlinetext)_(?P<file>.*)$")
CLUTTER = (".DS_Store", "Thumbs.db", "desktop.ini")  # files operating systems leave in folders


class IntakeError(Exception):
    """SUBMISSIONS cannot be read at all (neither a folder nor a zip)."""


@dataclass(frozen=True)
class Cell:
    """One code cell of a submission, in the student's order. `item`/`role` come from the cell's
    `courseware` metadata when present; they are hints for diagnosis, never trusted for scoring."""

    index: int
    source: str
    item: str | None = None
    role: str | None = None


@dataclass
class Submission:
    student: str  # the id the LMS knows the student by (see the module docstring)
    name: str  # a display name: Canvas "smithjane", Moodle "Jane Smith", or the file stem
    lms: Lms
    filename: str  # the path inside the zip or folder, as received
    data: bytes = field(repr=False)
    modified: str  # ISO time of the file in the zip or folder
    cells: list[Cell] | None = None  # None when the file is unreadable
    problem: str | None = None  # why the file could not be read; None when it could
    notes: list[str] = field(default_factory=list)  # things worth knowing that need no review
    superseded: list[Submission] = field(default_factory=list)  # other files of the same student

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class _Entry:
    path: str
    data: bytes
    modified: datetime
    size: int
    refused: str | None = None  # why the entry was recorded without being read


def _refused(path: str, why: str) -> bytes:
    """What is archived for an entry that was not read: a record of what arrived."""
    return f"courseware intake: {path}: {why}\n".encode("utf-8", "replace")


def _too_large(size: int) -> str:
    return (
        f"refused: {size:,} bytes is over the {MAX_BYTES // 2**20} MB limit; recorded, not read or "
        "archived (keep the LMS download)"
    )


def collect(path: Path) -> list[Submission]:
    """A folder of notebooks or an LMS zip → one `Submission` per student, sorted by student id.

    >>> collect(Path("downloads/submissions.zip"))  # doctest: +SKIP
    [Submission(student='12345', name='smithjane', lms='canvas', ...), ...]
    """
    if path.is_dir():
        entries = list(_folder_entries(path))
    elif path.is_file() and zipfile.is_zipfile(path):
        entries = list(_zip_entries(path))
    elif path.is_file():
        raise IntakeError(
            f"{path}: not a folder and not a zip file. Give the folder of .ipynb files or the zip "
            "downloaded from Canvas or Moodle."
        )
    else:
        raise IntakeError(f"{path}: no such file or folder. Check the path.")
    by_student: dict[str, list[Submission]] = {}
    for entry in entries:
        sub = _submission(entry)
        by_student.setdefault(sub.student, []).append(sub)
    return [_keep_latest(subs) for _, subs in sorted(by_student.items())]


def _folder_entries(root: Path):
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(files) + sorted(d for d in dirs if os.path.islink(os.path.join(folder, d))):
            p = Path(folder) / name
            rel = p.relative_to(root).as_posix()
            st = p.lstat()
            when = datetime.fromtimestamp(st.st_mtime, tz=UTC)
            if stat.S_ISLNK(st.st_mode):
                why = f"a symbolic link (to {os.readlink(p)}); links are recorded, never followed"
                yield _Entry(rel, _refused(rel, why), when, st.st_size, why)
            elif not stat.S_ISREG(st.st_mode):
                why = "not a regular file (a pipe, socket or device); recorded, not read"
                yield _Entry(rel, _refused(rel, why), when, 0, why)
            elif st.st_size > MAX_BYTES:
                why = _too_large(st.st_size)
                yield _Entry(rel, _refused(rel, why), when, st.st_size, why)
            else:
                try:
                    yield _Entry(rel, p.read_bytes(), when, st.st_size)
                except OSError as e:
                    why = f"could not be read ({e.strerror}); recorded, not read"
                    yield _Entry(rel, _refused(rel, why), when, st.st_size, why)


def _zip_entries(path: Path):
    try:
        with zipfile.ZipFile(path) as zf:
            for info in sorted(zf.infolist(), key=lambda i: i.filename):
                if info.is_dir():
                    continue
                name = info.filename
                when = datetime(*info.date_time, tzinfo=UTC)
                if stat.S_ISLNK(info.external_attr >> 16):
                    target = zf.read(info)[:1000].decode("utf-8", "replace") if info.file_size < 4096 else "?"
                    why = f"a symbolic link (to {target}); links are recorded, never followed"
                    yield _Entry(name, _refused(name, why), when, info.file_size, why)
                elif info.file_size > MAX_BYTES:
                    why = _too_large(info.file_size)
                    yield _Entry(name, _refused(name, why), when, info.file_size, why)
                else:
                    try:
                        yield _Entry(name, zf.read(info), when, info.file_size)
                    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
                        why = f"damaged inside the zip and could not be extracted ({e})"
                        yield _Entry(name, _refused(name, why), when, info.file_size, why)
    except zipfile.BadZipFile as e:
        raise IntakeError(f"{path}: a damaged zip file ({e}). Download it again from the LMS.") from e


def identify(rel: str) -> tuple[str, str, Lms, str]:
    """A path inside a download → (student id, display name, LMS, original file name).

    >>> identify("smithjane_LATE_12345_67890_soviets.ipynb")
    ('12345', 'smithjane', 'canvas', 'soviets.ipynb')
    >>> identify("Jane Smith_678_assignsubmission_file_/soviets.ipynb")
    ('678', 'Jane Smith', 'moodle', 'soviets.ipynb')
    """
    parts = PurePosixPath(rel).parts
    if parts and parts[0] == "__MACOSX" and parts[-1].startswith("._"):  # a Mac's shadow copy
        parts = (*parts[1:-1], parts[-1][2:])
    for i in range(len(parts)):  # Moodle may put the student in a folder name
        m = MOODLE.match("/".join(parts[i:]))
        if m:
            return m["pid"], m["name"], "moodle", PurePosixPath(m["file"]).name or PurePosixPath(rel).name
    base = parts[-1]
    m = CANVAS.match(base)
    if m:
        return m["uid"], m["name"], "canvas", m["file"]
    if base in CLUTTER:  # no student's name in it: its own row, named by where it was
        return "/".join(parts), base, "folder", base
    stem = PurePosixPath(base).stem or base
    return stem, stem, "folder", base


def _submission(entry: _Entry) -> Submission:
    student, name, lms, _ = identify(entry.path)
    sub = Submission(
        student=student,
        name=name,
        lms=lms,
        filename=entry.path,
        data=entry.data,
        modified=entry.modified.isoformat(),
    )
    base = PurePosixPath(entry.path).name
    if entry.refused:
        sub.problem = entry.refused
    elif base in CLUTTER or (entry.path.startswith("__MACOSX/") and base.startswith("._")):
        sub.problem = f"an operating-system file ({base}), not a submission; kept for the record"
    elif not entry.path.lower().endswith(".ipynb"):
        sub.problem = f"not a notebook: the file is {PurePosixPath(entry.path).suffix or 'without extension'}"
    else:
        sub.cells, sub.problem, notes = parse_notebook(entry.data)
        sub.notes.extend(notes)
    return sub


def parse_notebook(data: bytes) -> tuple[list[Cell] | None, str | None, list[str]]:
    """Notebook bytes → (code cells, problem, notes). Outputs are dropped; nothing is executed.

    >>> parse_notebook(b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}')
    ([], None, [])
    >>> parse_notebook(b'')[1]
    'the file is empty (0 bytes)'
    """
    if not data.strip():
        return None, f"the file is empty ({len(data)} bytes)", []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return (
            None,
            f"not UTF-8 text (byte {e.start} is {data[e.start : e.start + 1]!r}); "
            "perhaps saved in another encoding",
            [],
        )
    try:
        nb = json.loads(text)
    except RecursionError:
        return None, "not a notebook: JSON nested too deeply to read (built to break readers?)", []
    except json.JSONDecodeError as e:
        ended = text.rstrip().endswith(("}", "]"))
        where = "not valid JSON" if ended or e.pos < len(text) // 2 else "truncated: the JSON ends early"
        return None, f"{where} (line {e.lineno}, column {e.colno}: {e.msg})", []
    notes: list[str] = []
    if not isinstance(nb, dict) or not isinstance(nb.get("nbformat"), int):
        return None, "JSON, but not a Jupyter notebook (no `nbformat` field)", []
    if nb["nbformat"] < 4:
        nb, problem = _upgrade(nb)
        if problem:
            return None, problem, []
        notes.append("saved in the old notebook format 3; read after conversion to format 4")
    elif nb["nbformat"] > 4:
        notes.append(f"notebook format {nb['nbformat']} is newer than 4; read as format 4")
    raw_cells = nb.get("cells")
    if not isinstance(raw_cells, list):
        return None, "a notebook without a list of cells", []
    cells: list[Cell] = []
    for i, c in enumerate(raw_cells):
        if not isinstance(c, dict) or c.get("cell_type") != "code":
            continue
        src = c.get("source", "")
        if isinstance(src, list) and all(isinstance(s, str) for s in src):
            src = "".join(src)
        if not isinstance(src, str):
            notes.append(f"cell {i + 1}: its source is not text and was skipped")
            continue
        meta = c.get("metadata") if isinstance(c.get("metadata"), dict) else {}
        cw = meta.get("courseware") if isinstance(meta.get("courseware"), dict) else {}
        item, role = cw.get("item"), cw.get("role")
        cells.append(
            Cell(i + 1, src, item if isinstance(item, str) else None, role if isinstance(role, str) else None)
        )
    return cells, None, notes


def _upgrade(nb: dict) -> tuple[dict, str | None]:
    import nbformat

    try:
        return nbformat.convert(nbformat.from_dict(nb), 4), None
    except Exception as e:  # nbformat raises many kinds on malformed old notebooks
        return nb, f"an old-format notebook (nbformat {nb.get('nbformat')}) that could not be converted: {e}"


def _keep_latest(subs: list[Submission]) -> Submission:
    def rank(s: Submission):
        canvas_sub = CANVAS.match(PurePosixPath(s.filename).name)
        return (
            s.cells is not None or s.filename.lower().endswith(".ipynb"),
            s.modified,
            int(canvas_sub["sub"]) if canvas_sub else 0,
            s.filename,
        )

    ordered = sorted(subs, key=rank)
    kept = ordered[-1]
    kept.superseded = ordered[:-1]
    if kept.superseded:
        names = ", ".join(s.filename for s in kept.superseded)
        kept.notes.append(
            f"{len(subs)} files from this student; graded the latest, {kept.filename}; also archived: {names}"
        )
    return kept
