"""Runs submissions in isolation, with limits → a `RunResult` per submission, answers as plain data.

How: one long-lived worker process (`courseware.grading.worker`) imports IPython, pandas and
matplotlib once and creates one IPython shell, then forks a "zygote" before it reads any job; each
submission runs in a child forked from the zygote, which never held another submission. No kernel
is started per submission, which is what makes grading fast (DESIGN §10).

What the grader process keeps to itself: the worker is a separate program started with a scrubbed
environment, in a scratch folder, with no inherited file descriptors. It never receives a key, a
hidden test, a rubric or the gradebook's path: it only gets code cells and the names of the answer
variables. The answers come back as data and are judged in the grader (`judge`), so nothing a
student's code does can change the way it is scored. Everything a child sends is checked against a
strict protocol (`courseware.grading.channel`); a breach marks the run as tampered, for review.

Limits on each child: a wall-clock limit per cell and per notebook (enforced by the worker, which
kills the child's whole process group), CPU seconds, address space, size of one file and of the whole
scratch folder, no core dumps, no new processes, a cap on printed output (counted and discarded) and
on the size of the answers.

Walls around each child (`courseware.grading.confine`), each recorded with the run:
- namespaces: no network at all, and a private tmpfs of fixed size as the scratch folder;
- Landlock: read access only to the Python installation, the course package and its public data;
  write access only to its scratch folder; no program may be executed; no signal outside itself;
- seccomp: creating a socket or a process kills the child (the kernel's SIGSYS, read from outside
  the child); tracing, mounting and other escapes fail;
- an audit hook reports what was refused (opening files elsewhere, starting programs, signals), and
  a self-test at the end of the run shows that the notebook did not silence it;
- every child dies with its parent, so killing the grader ends everything it started, and a new
  grader removes the scratch folders of graders that were killed.

What this does NOT protect against (the instructor guide says the same):

- The child runs as the grader's OS user. Where the kernel lacks Landlock (before Linux 5.13, macOS,
  WSL1, some containers) it can read every file that user can read and write where that user can
  write; the run is recorded as unconfined and the summary says so. Where user namespaces are not
  allowed, the network is still closed by seccomp but the scratch folder's size is measured twice a
  second instead of being a hard limit.
- Reports of refused file access come from inside the child: a notebook that silences them in a way
  the self-test cannot see (a crafted replacement that still answers the self-test) goes unreported.
  The kernel still refuses the access itself; only the record is lost.
- Kernel bugs and side channels (timing, shared CPU caches) are out of scope.

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

Status = Literal["finished", "timeout", "killed", "crashed", "tampered"]
STATUSES: tuple[str, ...] = ("finished", "timeout", "killed", "crashed", "tampered")
SCRATCH_PREFIX = "courseware-grade-"


@dataclass(frozen=True)
class Limits:
    cell_timeout: float = 30.0  # wall-clock seconds for one cell
    notebook_timeout: float = 90.0  # wall-clock seconds for the whole notebook
    memory_mb: int = 1024  # address space on top of the worker's own
    output_bytes: int = 1 << 20  # printed output counted; all of it is discarded
    answer_bytes: int = 8 << 20  # what a child may send back
    file_bytes: int = 16 << 20  # largest file a child may write in its scratch folder
    disk_bytes: int = 64 << 20  # everything a child may write in its scratch folder, together
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
    walls: dict[str, bool] | None = None  # which walls stood: landlock, seccomp, namespaces

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: Any) -> RunResult:
        """The worker's result line → a `RunResult`; anything malformed gives a "crashed" result
        saying so (the worker checks what children send, but the grader trusts no line)."""
        try:
            if not isinstance(d, dict) or d.get("status") not in STATUSES:
                raise ValueError("no known status")
            errors = [CellError(int(e["cell"]), str(e["message"])) for e in d.get("errors") or []]
            walls = d.get("walls")
            return cls(
                status=d["status"],
                answers=dict(d.get("answers") or {}),
                present=[str(p) for p in d.get("present") or []],
                errors=errors,
                attempts=[str(a) for a in d.get("attempts") or []],
                last_cell=None if d.get("last_cell") is None else int(d["last_cell"]),
                detail=None if d.get("detail") is None else str(d["detail"]),
                seconds=float(d.get("seconds") or 0.0),
                output_bytes=int(d.get("output_bytes") or 0),
                confined=None if d.get("confined") is None else bool(d["confined"]),
                walls={str(k): bool(v) for k, v in walls.items()} if isinstance(walls, dict) else None,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            return cls("crashed", detail=f"the grading worker sent an unreadable result ({e})")


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
        namespaces: bool = True,
        setup: str = "",
    ):
        self.limits, self.jobs = limits, max(1, jobs)
        self.preload_course, self.preload_heavy = preload_course, preload_heavy
        self.namespaces, self.setup = namespaces, setup
        self.command = worker_command or [sys.executable, "-m", "courseware.grading.worker"]
        remove_stale_scratch()
        self.scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
        (self.scratch / OWNER).write_text(_process_identity(os.getpid()) or "", encoding="utf-8")
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
            "disk_bytes": lim.disk_bytes,
            "namespaces": self.namespaces,
            "setup": self.setup,
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
            # the worker runs this very package (not another installed copy), whose folder its
            # children may read; the worker takes the entry off its path once it has imported it
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
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
                yield job.key, RunResult.from_json(msg)

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


OWNER = "owner"  # in each scratch folder: the grader process that made it


def _process_identity(pid: int) -> str | None:
    """pid and start time of a live process (a pid alone may be reused), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            start = f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None
    return f"{pid} {start}"


def remove_stale_scratch(older_than: float = 600.0) -> list[Path]:
    """Remove the scratch folders of graders that are no longer running (killed, say). A folder
    without an owner is removed only when it is older than `older_than` seconds."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        try:
            owner = (folder / OWNER).read_text(encoding="utf-8").split()
        except OSError:
            owner = []
        alive = False
        if len(owner) == 2 and owner[0].isdigit():
            alive = _process_identity(int(owner[0])) == " ".join(owner)
        elif not owner:
            with contextlib.suppress(OSError):
                alive = time.time() - folder.stat().st_mtime < older_than
        if not alive:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
