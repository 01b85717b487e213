"""Runs submissions in isolation, with limits → a `RunResult` per submission, answers as plain data.

How: one long-lived worker process (`courseware.grading.worker`) imports IPython, pandas and
matplotlib once and creates one IPython shell; for each submission it forks a child that runs the
student's code cells and sends back the answer variables as JSON. No kernel is started per
submission, which is what makes grading fast (DESIGN §10).

What the grader process keeps to itself: the worker is a separate program started with a scrubbed
environment, in a scratch folder, with no inherited file descriptors. It never receives a key, a
hidden test, a rubric or the gradebook's path: it only gets code cells and the names of the answer
variables. The answers come back as data and are judged in the grader (`judge`), so nothing a
student's code does can change the way it is scored.

Limits on each child: a wall-clock limit per cell and per notebook (enforced by the worker, which
kills the child's whole process group), CPU seconds, address space, file size, no core dumps, a
process count, a cap on printed output (counted and discarded) and on the size of the answers.

Confinement of each child (`courseware.grading.confine`): Landlock, where the kernel has it (Linux
5.13+; ABI 4+ also blocks TCP, ABI 6+ signals to other processes): read access only to the Python
installation, the course package and its public data; write access only to its scratch folder; no
program may be executed. Running as root, the child drops every capability. An audit hook reports
what was attempted (opening files elsewhere, starting programs, forking, signals, sockets, native
calls) so that the instructor sees it, and the submission is marked for review.

What this does NOT protect against:

- The child runs as the same OS user as the grader. Without Landlock (an old kernel, macOS, WSL1,
  some containers) it can read every file that user can read — keys, other students' notebooks —
  and write where that user can write, including the gradebook. The run is then recorded as
  unconfined and the summary says so.
- With Landlock, a determined attacker still shares the kernel, the CPU and memory of the machine;
  kernel bugs and side channels are out of scope. Another submission's code that is being run at
  the same time may remain in memory the child inherits.
- UDP and Unix sockets are not blocked by Landlock; a child has no program to run, though.

For more, run the worker inside a container: give `Sandbox(worker_command=...)` a command that
starts ``python -m courseware.grading.worker`` under a dedicated user (``sudo -u grader``), in
bubblewrap (``bwrap --ro-bind / / --tmpfs /home --unshare-all --die-with-parent``), or in Docker
(``docker run -i --rm --network none -v course:/course:ro image python -m
courseware.grading.worker``). The protocol is JSON lines on stdin and stdout, so nothing else
changes. See the instructor guide, "The sandbox's limits".
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Status = Literal["finished", "timeout", "killed", "crashed"]


@dataclass(frozen=True)
class Limits:
    cell_timeout: float = 30.0  # wall-clock seconds for one cell
    notebook_timeout: float = 90.0  # wall-clock seconds for the whole notebook
    memory_mb: int = 1024  # address space on top of the worker's own
    output_bytes: int = 1 << 20  # printed output counted; all of it is discarded
    answer_bytes: int = 8 << 20  # what a child may send back
    file_bytes: int = 16 << 20  # largest file a child may write in its scratch folder
    extra_processes: int = 16  # processes the grader's user may start beyond those it has


@dataclass
class CellError:
    cell: int  # 1-based position in the submitted notebook
    message: str  # "NameError: name 'x' is not defined", cut to 300 characters


@dataclass
class RunResult:
    status: Status
    answers: dict[str, Any] = field(default_factory=dict)  # variable → plain JSON data
    present: list[str] = field(default_factory=list)  # answer variables the notebook bound
    errors: list[CellError] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)  # what the audit hook refused
    last_cell: int | None = None  # the cell running when the run ended
    detail: str | None = None  # why a run did not finish
    seconds: float = 0.0
    output_bytes: int = 0
    confined: bool | None = None  # True when Landlock applied

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> RunResult:
        d = dict(d)
        d["errors"] = [CellError(**e) for e in d.get("errors", [])]
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Job:
    key: str  # the caller's id for this run (the student)
    cells: list[tuple[int, str]]  # (1-based position, source)
    variables: list[str]


class SandboxError(Exception):
    """The worker could not be started."""


def read_paths() -> list[Path]:
    """What a child may read: the Python installation, the course package and its public data."""
    import courseware
    from courseware import load

    paths = {Path(p) for p in ("/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache", "/etc/localtime")}
    for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path):
        if p and Path(p).is_absolute() and Path(p).exists() and Path(p) != Path.cwd():
            paths.add(Path(p))
    package = Path(courseware.__file__).resolve().parent
    paths.add(package)
    paths.add(package.parent / "exercises" / "checks")  # the public checks' specs (no keys)
    paths.add(load.DATA.resolve())
    paths.add(mpl_cache())
    paths |= {p.resolve() for p in list(paths) if p.exists()}
    return sorted(paths)


def mpl_cache() -> Path:
    """A folder matplotlib keeps its font cache in between runs (so children never rebuild it)."""
    p = Path(tempfile.gettempdir()) / f"courseware-grading-mpl-{os.getuid()}"
    p.mkdir(mode=0o700, exist_ok=True)
    return p


class Sandbox:
    """A running worker. Use as a context manager; `run` yields (key, RunResult) as runs finish."""

    def __init__(
        self,
        limits: Limits = Limits(),
        jobs: int = 2,
        worker_command: list[str] | None = None,
        preload_course: bool = False,
        preload_heavy: bool = True,
    ):
        self.limits, self.jobs = limits, max(1, jobs)
        self.preload_course, self.preload_heavy = preload_course, preload_heavy
        self.command = worker_command or [sys.executable, "-m", "courseware.grading.worker"]
        self.scratch = Path(tempfile.mkdtemp(prefix="courseware-grade-"))
        self.proc: subprocess.Popen | None = None
        self.landlock = 0

    def __enter__(self) -> Sandbox:
        self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _config(self) -> dict:
        lim = self.limits
        return {
            "cell_timeout": lim.cell_timeout,
            "notebook_timeout": lim.notebook_timeout,
            "cpu_seconds": int(lim.notebook_timeout) + 2,
            "memory_bytes": lim.memory_mb << 20,
            "output_bytes": lim.output_bytes,
            "answer_bytes": lim.answer_bytes,
            "file_bytes": lim.file_bytes,
            "extra_processes": lim.extra_processes,
            "scratch": str(self.scratch),
            "mplconfig": str(mpl_cache()),
            "read": [str(p) for p in read_paths()],
            "preload_course": self.preload_course,
            "preload_heavy": self.preload_heavy or self.preload_course,
        }

    def _start(self) -> None:
        home = self.scratch / "worker"
        home.mkdir(exist_ok=True)
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": str(mpl_cache()),
            "IPYTHONDIR": str(home / "ipython"),
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        try:
            self.proc = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=home,
                env=env,
                close_fds=True,
            )
        except OSError as e:
            raise SandboxError(f"could not start the grading worker {self.command[0]}: {e}") from e
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write((json.dumps(self._config()) + "\n").encode())
        self.proc.stdin.flush()
        ready = self._line(timeout=120)
        if not ready or not ready.get("ready"):
            raise SandboxError("the grading worker did not start (try: python -m courseware.grading.worker)")
        self.landlock = int(ready.get("landlock", 0))

    def _line(self, timeout: float | None = None) -> dict | None:
        """The next JSON line from the worker; None when it has stopped."""
        assert self.proc and self.proc.stdout
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if deadline is not None:
                r, _, _ = select.select([self.proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
                if not r:
                    return None
            line = self.proc.stdout.readline()
            if not line:
                return None
            with contextlib.suppress(ValueError):
                msg = json.loads(line)
                if isinstance(msg, dict):
                    return msg

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[str, RunResult]]:
        """Run every job, at most `self.jobs` at a time; yield each result as it arrives."""
        pending = list(jobs)
        pending.reverse()
        flight: dict[str, Job] = {}
        counter = 0
        while pending or flight:
            while pending and len(flight) < self.jobs:
                job = pending.pop()
                counter += 1
                wire = f"{counter}"
                flight[wire] = job
                self._send({"job": wire, "cells": job.cells, "variables": job.variables})
            msg = self._line()
            if msg is None:  # the worker itself stopped: fail what it held, start a new one
                for job in flight.values():
                    yield job.key, RunResult("crashed", detail="the grading worker stopped during this run")
                flight.clear()
                self.close(remove=False)
                self._start()
                continue
            job = flight.pop(str(msg.get("job")), None)
            if job is not None:
                yield job.key, RunResult.from_json({k: v for k, v in msg.items() if k != "job"})

    def _send(self, msg: dict) -> None:
        assert self.proc and self.proc.stdin
        try:
            self.proc.stdin.write((json.dumps(msg) + "\n").encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass  # noticed by `_line` returning None

    def close(self, remove: bool = True) -> None:
        if self.proc is not None:
            with contextlib.suppress(Exception):
                self.proc.stdin.close()  # type: ignore[union-attr]
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            with contextlib.suppress(Exception):
                self.proc.stdout.close()  # type: ignore[union-attr]
            self.proc = None
        if remove:
            shutil.rmtree(self.scratch, ignore_errors=True)


def run_one(
    cells: list[tuple[int, str]],
    variables: list[str],
    limits: Limits = Limits(),
    preload_course: bool = False,
) -> RunResult:
    """Run one notebook's cells in a fresh sandbox (for a single regrade or a test)."""
    with Sandbox(limits, jobs=1, preload_course=preload_course) as box:
        for _, result in box.run([Job("one", cells, variables)]):
            return result
    return RunResult("crashed", detail="no result")
