"""What ran in the student's notebook, so that a check can tell a stale answer.

`start("soviets")`, in the exercise's setup cell, registers an IPython `post_run_cell` hook that
records every cell run after it: its source, its cell id (JupyterLab sends one), whether it raised,
and when. `stale_answer("q3", "soviets_q3")` then says when the answer variable cannot be trusted:

- the last run of a cell that sets `q3` raised (a `NameError`, a `SyntaxError`...), so `q3` still
  holds an earlier answer, or none;
- the saved notebook's answer cell for the item differs from what was last run for it: the cell
  was edited and saved but not run again (the kernel cannot see edits that are not saved).

Outside IPython, or before `start`, nothing is recorded and nothing is called stale.
"""

from __future__ import annotations

import ast
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_STATE = "_courseware_runs"  # attribute on the shell: one record per shell, whatever is re-imported


@dataclass(frozen=True)
class Run:
    """One cell run."""

    source: str
    cell_id: str | None
    error: str | None  # "NameError: name 'x' is not defined", or None when it ran through
    at: float


@dataclass
class History:
    exercise: str | None = None
    runs: list[Run] = field(default_factory=list)


@dataclass(frozen=True)
class Stale:
    message: str
    detail: str


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def history() -> History | None:
    shell = _shell()
    return getattr(shell, _STATE, None) if shell is not None else None


def _error_text(result: Any) -> str | None:
    err = result.error_before_exec or result.error_in_exec
    if err is None:
        return None
    text = str(err).splitlines()[0] if str(err) else ""
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _record(result: Any) -> None:
    state = history()
    if state is None:
        return
    info = result.info
    state.runs.append(
        Run(info.raw_cell or "", getattr(info, "cell_id", None), _error_text(result), time.time())
    )
    del state.runs[:-500]  # a long session keeps only its recent runs


def start(exercise_id: str | None = None) -> None:
    """Start recording cell runs (once per kernel) and remember the exercise this notebook is."""
    shell = _shell()
    if shell is None:
        return
    state = getattr(shell, _STATE, None)
    if state is None:
        state = History()
        setattr(shell, _STATE, state)
        shell.events.register("post_run_cell", _record)
    if exercise_id:
        state.exercise = exercise_id


def current_exercise() -> str | None:
    state = history()
    return state.exercise if state else None


def sets_variable(source: str, variable: str) -> bool:
    """True when `source` binds `variable` at the top level (parsed; or, when it does not parse,
    a line that starts with `variable =`)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return re.search(rf"(?m)^\s*{re.escape(variable)}\s*(:[^=\n]*)?=(?!=)", source) is not None
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign | ast.AugAssign)
            else []
        )
        for t in targets:
            names = [t, *getattr(t, "elts", [])]
            if any(isinstance(n, ast.Name) and n.id == variable for n in names):
                return True
    return False


def notebook_path() -> Path | None:
    """The notebook this kernel runs, when the server says (JupyterLab, Jupyter Server 2)."""
    shell = _shell()
    name = (shell.user_ns.get("__session__") if shell is not None else None) or os.environ.get(
        "JPY_SESSION_NAME"
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix == ".ipynb" and path.is_file() else None


def saved_answer(path: Path, item_id: str) -> tuple[str | None, str] | None:
    """(cell id, source) of the item's answer cell in the saved notebook, or None."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for cell in nb.get("cells", []):
        cw = cell.get("metadata", {}).get("courseware", {})
        if cw.get("item") == item_id and cw.get("role") == "answer":
            src = cell.get("source", "")
            return cell.get("id"), "".join(src) if isinstance(src, list) else str(src)
    return None


def stale_answer(variable: str, item_id: str) -> Stale | None:
    """Why the value of `variable` should not be judged, or None when it can be."""
    state = history()
    if state is None:
        return None
    runs = [r for r in state.runs if sets_variable(r.source, variable)]
    last = runs[-1] if runs else None
    if last is not None and last.error is not None:
        return Stale(
            f"The cell that sets `{variable}` raised an error the last time it ran, so `{variable}` "
            "still holds an earlier answer (or none). Nothing was checked.",
            f"{last.error}. Correct that cell, run it, then run this check again.",
        )
    path = notebook_path()
    saved = saved_answer(path, item_id) if path is not None else None
    if saved is None or last is None:
        return None
    cell_id, source = saved
    ran = (
        [r for r in state.runs if r.cell_id == cell_id] if cell_id and any(r.cell_id for r in runs) else runs
    )
    if ran and ran[-1].source.strip() != source.strip():
        return Stale(
            f"The answer cell for `{variable}` was changed (and saved) but not run since, so "
            f"`{variable}` holds the answer from before the change. Nothing was checked.",
            "Run the answer cell, then run this check again.",
        )
    return None
