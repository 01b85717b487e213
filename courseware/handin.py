"""`hand_in("Ada Lovelace")`: the last cell of an exercise notebook.

It reads the saved notebook, runs it again from the top in a fresh kernel (nbclient), so that what
is handed in is what the notebook really computes, and reports every answer that is missing or not
well-formed and every cell that raised. It writes the freshly run notebook as one file named for the
exercise and the student, `hand-in/<exercise>-<name>.ipynb` beside the notebook (the file
`courseware grade` reads), and shows a link to download it that works in JupyterLab and Binder.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import runs

FRESH_RUN = "COURSEWARE_HAND_IN_RUN"  # set in the fresh kernel: hand_in() there does nothing
FOLDER = "hand-in"
_MARK = "<<courseware-check-all>>"
TIMEOUT = 180  # seconds per cell in the fresh run


@dataclass
class HandIn:
    """What `hand_in` did: the file written (relative to the notebook) and what the fresh run found."""

    exercise: str
    student: str
    file: str | None = None
    headline: str = ""
    missing: list[str] = field(default_factory=list)
    to_fix: list[str] = field(default_factory=list)
    raised: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.file is not None and not (self.missing or self.to_fix or self.raised)

    def lines(self) -> list[str]:
        out = list(self.notes)
        if self.file is None:
            return out
        out.append(f"Ran the saved notebook in a fresh kernel. {self.headline}")
        out += [f"Missing: {', '.join(self.missing)}."] if self.missing else []
        out += [f"Not the expected form: {x}" for x in self.to_fix]
        out += [f"Raised an error: {x}" for x in self.raised]
        if self.complete:
            out.append("Every answer is there and well-formed.")
        else:
            out.append("You can hand in as it is, or correct these, save, and run hand_in again.")
        out.append(f"Wrote {self.file}: download it and upload it where your instructor asks.")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    __repr__ = __str__

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines()[:-1] or self.lines())
        link = ""
        if self.file:
            href = html.escape(self.file)
            name = html.escape(Path(self.file).name)
            link = (
                f'<p><a href="{href}" download="{name}">Download {name}</a> '
                f'(or open <a href="{href}">{href}</a>; in the file browser, right-click it → '
                "Download).</p>"
            )
        return f'<div class="courseware-hand-in"><ul>{items}</ul>{link}</div>'


def slug(name: str) -> str:
    """A name as a file-name part.

    >>> slug("  Ada  Lovelace-Byron ")
    'ada-lovelace-byron'
    """
    return re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")


def _find_notebook(exercise: str | None, notebook: str | Path | None) -> Path | None:
    if notebook:
        path = Path(notebook)
        return path if path.is_file() else None
    found = runs.notebook_path()
    if found is not None:
        return found
    if exercise and (Path.cwd() / f"{exercise}.ipynb").is_file():
        return Path.cwd() / f"{exercise}.ipynb"
    return None


def _summary_cell(exercise: str):
    import nbformat

    code = (
        "import json\nfrom courseware.checks import check_all\n"
        f"_s = check_all({exercise!r})\n"
        f"print({_MARK!r} + json.dumps({{'headline': _s.headline(), 'missing': _s.missing, "
        "'to_fix': [f'{r.item} ({r.detail or r.message})' for r in _s.to_fix]}))"
    )
    return nbformat.v4.new_code_cell(code)


def run_fresh(nb, folder: Path):
    """The notebook run from the top in a fresh kernel, errors recorded and the run carried on."""
    from nbclient import NotebookClient

    before = os.environ.get(FRESH_RUN)
    os.environ[FRESH_RUN] = "1"  # inherited by the fresh kernel
    try:
        NotebookClient(
            nb,
            timeout=TIMEOUT,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": str(folder)}},
        ).execute(stderr=subprocess.DEVNULL)  # the fresh kernel's own log is not the student's business
    finally:
        if before is None:
            os.environ.pop(FRESH_RUN, None)
        else:
            os.environ[FRESH_RUN] = before
    return nb


def _where(cell) -> str:
    cw = cell.get("metadata", {}).get("courseware", {})
    if cw.get("item"):
        return f"the {cw.get('role', '')} cell of {cw['item']}".replace("the  cell", "the cell")
    first = cell.get("source", "").strip().splitlines()[:1]
    return f"the cell starting {first[0][:50]!r}" if first else "an empty cell"


def hand_in(student: str = "", notebook: str | Path | None = None) -> HandIn | None:
    """Run the saved notebook afresh, report, and write the file to hand in (see the module)."""
    if os.environ.get(FRESH_RUN):
        return None  # this is hand_in's own fresh run
    exercise = runs.current_exercise()
    if not student.strip():
        return HandIn(
            exercise or "?",
            "",
            notes=[
                'Put your name between the quotes, e.g. hand_in("Ada Lovelace"), save the notebook '
                "(Ctrl+S), then run this cell."
            ],
        )
    path = _find_notebook(exercise, notebook)
    if path is None:
        return HandIn(
            exercise or "?",
            student,
            notes=[
                "hand_in could not find this notebook's file. Save it, then give its name: "
                f'hand_in("{student}", "{exercise or "soviets"}.ipynb").'
            ],
        )
    import nbformat

    nb = nbformat.read(path, as_version=4)
    exercise = nb.metadata.get("courseware", {}).get("exercise") or exercise or path.stem
    report = HandIn(exercise, student)
    state = runs.history()
    saved_at = path.stat().st_mtime
    if state is not None and any(r.at > saved_at + 1 for r in state.runs):
        report.notes.append(
            "You ran cells after the notebook was last saved; hand_in uses the saved "
            "file. If you changed anything since, save (Ctrl+S) and run hand_in again."
        )
    nb.cells.append(_summary_cell(exercise))
    run_fresh(nb, path.parent)
    summary_cell = nb.cells.pop()
    for out in summary_cell.get("outputs", []):
        text = out.get("text", "")
        if _MARK in text:
            found = json.loads(text.split(_MARK, 1)[1])
            report.headline, report.missing, report.to_fix = (
                found["headline"],
                found["missing"],
                found["to_fix"],
            )
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                report.raised.append(f"{_where(cell)}: {out.get('ename')}: {out.get('evalue')}")
    if not report.headline:
        report.notes.append("The fresh run could not sum up the checks (did the setup cell fail?).")
    nb.metadata.setdefault("courseware", {})["hand_in"] = {
        "student": student.strip(),
        "exercise": exercise,
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "missing": report.missing,
        "raised": report.raised,
    }
    folder = path.parent / FOLDER
    folder.mkdir(exist_ok=True)
    target = folder / f"{exercise}-{slug(student) or 'student'}.ipynb"
    nbformat.write(nb, target)
    report.file = f"{FOLDER}/{target.name}"
    return report
