"""The sandbox's worker process: imports IPython and pandas once, then forks one child per submission.

Run as ``python -m courseware.grading.worker`` by `courseware.grading.sandbox.Sandbox`, never by
hand. It speaks JSON lines: on stdin one configuration line, then one line per job (a submission's
code cells and the answer variables to read); on stdout one ``ready`` line, then one result line per
job. It never receives a key, a hidden test, a rubric or the gradebook's location.

Each child: calls setsid (so its whole process group can be killed), closes every inherited
file descriptor except its result pipe, points 0/1/2 at /dev/null, moves into a fresh scratch folder,
scrubs its environment, sets its resource limits, drops privileges, confines itself with Landlock,
installs the audit hook (`courseware.grading.confine`), then runs every code cell in the student's
order through the IPython shell created before the fork, recording errors and carrying on. At the
end it converts each answer variable to plain JSON data (`to_plain`) and writes it to the pipe.
The worker enforces the wall-clock limits (per cell and per notebook) and the size of what comes
back, kills the child's process group when a limit is passed, and reaps whatever it left behind.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import gc
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_TEXT = 100_000  # characters in one answer string
MAX_ITEMS = 10_000  # elements in one answer list or dict
MAX_DEPTH = 20
PRELOAD = (
    "math",
    "statistics",
    "re",
    "json",
    "collections",
    "itertools",
    "functools",
    "random",
    "datetime",
    "textwrap",
    "string",
    "fractions",
    "decimal",
    "courseware",
    "courseware.checks",
)
HEAVY = ("numpy", "pandas", "yaml", "matplotlib", "matplotlib.pyplot", "courseware.load", "courseware.frames")


# ---------------------------------------------------------------- answers → plain data (in the child)


def to_plain(value: Any, depth: int = 0) -> Any:
    """A student's answer → JSON-able plain data, or a marker saying why it is not.

    Only exact built-in types pass (a subclass of `str` or `float` could lie about equality);
    numpy scalars and arrays and pandas objects are converted to their values.

    >>> to_plain(("a", 1, 2.5, None, True))
    ['a', 1, 2.5, None, True]
    >>> class Liar(str):
    ...     def __eq__(self, other): return True
    >>> to_plain(Liar("b"))
    {'__unsupported__': 'Liar'}
    """
    t = type(value)
    if value is None or t is bool or t is int or t is float:
        if t is int and abs(value) > 10**18:
            return {"__too_large__": "an integer with more than 18 digits"}
        return value
    if t is str:
        return value if len(value) <= MAX_TEXT else {"__too_large__": f"{len(value):,} characters"}
    if depth >= MAX_DEPTH:
        return {"__too_large__": f"nested deeper than {MAX_DEPTH} levels"}
    if t is list or t is tuple:
        if len(value) > MAX_ITEMS:
            return {"__too_large__": f"{len(value):,} elements"}
        return [to_plain(v, depth + 1) for v in value]
    if t is dict:
        if len(value) > MAX_ITEMS:
            return {"__too_large__": f"{len(value):,} entries"}
        out = {}
        for k, v in value.items():
            if type(k) is not str and type(k) is not int:
                return {"__unsupported__": f"dict with a {type(k).__name__} key"}
            out[str(k)] = to_plain(v, depth + 1)
        return out
    mod = getattr(t, "__module__", "") or ""
    if mod.startswith("numpy") and hasattr(value, "tolist"):
        return to_plain(value.tolist(), depth + 1)
    if mod.startswith("pandas") and t.__name__ == "Series":
        return {"__series__": to_plain({"index": value.index.tolist(), "data": value.tolist()}, depth + 1)}
    if mod.startswith("pandas") and t.__name__ == "DataFrame":
        return {"__dataframe__": to_plain(value.to_dict(orient="split"), depth + 1)}
    return {"__unsupported__": t.__name__}


def is_check_only(source: str) -> bool:
    """True for a cell that only calls `check(...)` with literal arguments: the public checks print
    feedback and bind nothing, so the grader does not run them.

    >>> is_check_only('check("soviets_q1")'), is_check_only('x = 1; check("soviets_q1")')
    (True, False)
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return bool(tree.body) and all(
        isinstance(s, ast.Expr)
        and isinstance(s.value, ast.Call)
        and isinstance(s.value.func, ast.Name)
        and s.value.func.id == "check"
        and all(isinstance(a, ast.Constant) for a in s.value.args)
        and not s.value.keywords
        for s in tree.body
    )


class CappedOutput:
    """Stands in for sys.stdout/sys.stderr in the child: counts what is printed, keeps nothing.

    It ignores attempts to replace its `write` method: IPython 9 wraps `write` during each cell to
    keep every line printed in memory, which would make an output flood slow and memory-hungry."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, cap: int) -> None:
        object.__setattr__(self, "cap", cap)
        object.__setattr__(self, "count", 0)

    def __setattr__(self, name: str, value: object) -> None:
        if name in ("cap", "count"):
            object.__setattr__(self, name, value)

    def write(self, s: object) -> int:
        n = len(s) if isinstance(s, str | bytes) else 0
        self.count += n
        return n

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


# ---------------------------------------------------------------- the child


def _send(fd: int, message: dict) -> None:
    data = (json.dumps(message, allow_nan=True, separators=(",", ":")) + "\n").encode()
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _describe(exc: BaseException) -> str:
    try:
        text = str(exc)
    except BaseException:
        text = "(the message could not be read)"
    name = type(exc).__name__ if isinstance(type(exc).__name__, str) else "Exception"
    return f"{name}: {text[:300]}" if text else name


def run_child(shell: Any, job: dict, cfg: dict, wfd: int, scratch: str) -> None:
    """Body of a forked child. Never returns: always ends with os._exit."""
    from . import confine

    status = 0
    try:
        os.setsid()
        devnull = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.closerange(3, wfd)
        os.closerange(wfd + 1, 65536)
        os.chdir(scratch)
        env = {
            "HOME": scratch,
            "TMPDIR": scratch,
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": cfg["mplconfig"],
        }
        os.environ.clear()
        os.environ.update(env)
        tempfile.tempdir = scratch
        read = [Path(p) for p in cfg["read"]]
        confine.set_limits(
            cfg["cpu_seconds"], cfg["memory_base"] + cfg["memory_bytes"], cfg["file_bytes"], cfg["processes"]
        )
        confine.drop_privileges()
        confined = confine.landlock(read + [Path("/dev/null")], [Path(scratch)])
        _send(wfd, {"confined": confined})
        confine.watch(read, [Path(scratch)], lambda what: _send(wfd, {"attempt": what}))
        out = CappedOutput(cfg["output_bytes"])
        sys.stdout = sys.stderr = out
        saved_builtins = dict(builtins.__dict__)
        for index, source in job["cells"]:
            if is_check_only(source):
                continue
            _send(wfd, {"cell": index})
            result = shell.run_cell(source, store_history=False)
            err = result.error_before_exec or result.error_in_exec
            if err is not None:
                _send(wfd, {"error": {"cell": index, "message": _describe(err)}})
        builtins.__dict__.clear()  # undo any patching of built-ins before reading the answers
        builtins.__dict__.update(saved_builtins)
        sys.stdout = sys.stderr = out
        answers, present = {}, []
        for name in job["variables"]:
            ns = shell.user_ns
            if name in ns:
                present.append(name)
                try:
                    answers[name] = to_plain(ns[name])
                except BaseException as e:  # an answer whose conversion fails is not plain data
                    answers[name] = {"__unsupported__": f"could not be read ({_describe(e)[:80]})"}
        _send(wfd, {"done": True, "answers": answers, "present": present, "output_bytes": out.count})
    except BaseException:  # the grader records the missing "done"; nothing may escape the child
        status = 70
    finally:
        os._exit(status)


# ---------------------------------------------------------------- the worker (zygote)


@dataclass
class Running:
    job: dict
    pid: int
    rfd: int
    scratch: str
    started: float
    cell_started: float
    buffer: bytearray = field(default_factory=bytearray)
    received: int = 0
    cell: int | None = None
    errors: list[dict] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)
    done: dict | None = None
    confined: bool | None = None
    killed: str | None = None  # why the worker killed it


def make_shell() -> Any:
    """The one IPython shell every child inherits: no history file, plain tracebacks."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    c = Config()
    c.HistoryManager.enabled = False
    c.InteractiveShell.xmode = "Plain"
    c.InteractiveShell.colors = "nocolor"
    c.InteractiveShell.cache_size = 0
    return InteractiveShell.instance(config=c)


def preload(heavy: bool, course: bool) -> None:
    """Import what notebooks use, once, so that no child pays for it: `heavy` adds numpy, pandas and
    matplotlib (about 2 s); `course` also loads the course data (a few seconds more)."""
    import importlib

    os.environ.setdefault("MPLBACKEND", "Agg")
    for name in PRELOAD + (HEAVY if heavy else ()):
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    if course:
        with contextlib.suppress(Exception):
            from courseware.load import course as load_course

            load_course()


class Worker:
    def __init__(self, cfg: dict) -> None:
        self.cfg = cfg
        self.running: dict[int, Running] = {}  # by read fd
        self.inbuf = bytearray()
        self.reaped: dict[int, int] = {}  # exit statuses of children reaped early
        self.stdin_open = True

    def serve(self) -> None:
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans come to us
        while self.stdin_open or self.running:
            timeout = self._next_deadline()
            fds = [fd for fd in self.running] + ([0] if self.stdin_open else [])
            ready, _, _ = select.select(fds, [], [], timeout)
            for fd in ready:
                if fd == 0:
                    self._read_jobs()
                else:
                    self._read_child(self.running[fd])
            self._enforce_limits()
        self._reap_orphans()

    def _next_deadline(self) -> float:
        if not self.running:
            return 1.0
        now = time.monotonic()
        soonest = min(
            min(r.started + self.cfg["notebook_timeout"], r.cell_started + self.cfg["cell_timeout"])
            for r in self.running.values()
        )
        return max(0.0, min(1.0, soonest - now))

    def _read_jobs(self) -> None:
        chunk = os.read(0, 1 << 20)
        if not chunk:
            self.stdin_open = False
            for r in list(self.running.values()):
                self._kill(r, "the grader stopped")
            return
        self.inbuf += chunk
        while b"\n" in self.inbuf:
            line, _, rest = self.inbuf.partition(b"\n")
            self.inbuf = bytearray(rest)
            if line.strip():
                self._start(json.loads(line))

    def _start(self, job: dict) -> None:
        scratch = tempfile.mkdtemp(prefix="run-", dir=self.cfg["scratch"])
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(rfd)
            run_child(SHELL, job, self.cfg, wfd, scratch)
        os.close(wfd)
        now = time.monotonic()
        self.running[rfd] = Running(job, pid, rfd, scratch, now, now)
        job["cells"] = None  # keep no student's code in memory the next child would inherit

    def _read_child(self, r: Running) -> None:
        try:
            chunk = os.read(r.rfd, 1 << 16)
        except OSError:
            chunk = b""
        if not chunk:
            self._finish(r)
            return
        r.received += len(chunk)
        if r.received > self.cfg["answer_bytes"]:
            self._kill(r, f"sent back more than {self.cfg['answer_bytes'] // 2**20} MB of answers")
            return
        r.buffer += chunk
        while b"\n" in r.buffer:
            line, _, rest = r.buffer.partition(b"\n")
            r.buffer = bytearray(rest)
            self._message(r, line)

    def _message(self, r: Running, line: bytes) -> None:
        try:
            msg = json.loads(line)
        except (ValueError, RecursionError):
            r.attempts.append("wrote something unreadable to the grader's channel")
            return
        if not isinstance(msg, dict):
            return
        if "cell" in msg and isinstance(msg["cell"], int):
            r.cell, r.cell_started = msg["cell"], time.monotonic()
        elif "error" in msg and len(r.errors) < 200:
            r.errors.append(msg["error"])
        elif "attempt" in msg and len(r.attempts) < 50:
            r.attempts.append(str(msg["attempt"])[:300])
        elif "confined" in msg:
            r.confined = bool(msg["confined"])
        elif msg.get("done") and r.done is None:
            r.done = msg

    def _enforce_limits(self) -> None:
        now = time.monotonic()
        for r in list(self.running.values()):
            if r.killed:
                continue
            if now - r.started > self.cfg["notebook_timeout"]:
                self._kill(r, f"ran past the notebook time limit ({self.cfg['notebook_timeout']:g} s)")
            elif now - r.cell_started > self.cfg["cell_timeout"]:
                self._kill(r, f"ran past the cell time limit ({self.cfg['cell_timeout']:g} s)")

    def _kill(self, r: Running, why: str) -> None:
        r.killed = r.killed or why
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(r.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(r.pid, signal.SIGKILL)
        self._finish(r)

    def _finish(self, r: Running) -> None:
        if r.rfd not in self.running:
            return
        del self.running[r.rfd]
        os.close(r.rfd)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(r.pid, signal.SIGKILL)  # anything it left running in its group
        try:
            _, status = os.waitpid(r.pid, 0)
        except ChildProcessError:  # already reaped by `_reap_orphans`
            status = self.reaped.pop(r.pid, 0)
        self._reap_orphans()
        shutil.rmtree(r.scratch, ignore_errors=True)
        result = {
            "job": r.job["job"],
            "seconds": round(time.monotonic() - r.started, 4),
            "last_cell": r.cell,
            "errors": r.errors,
            "attempts": r.attempts,
            "confined": r.confined,
        }
        if r.done is not None and not r.killed:
            result.update(
                status="finished",
                answers=r.done.get("answers", {}),
                present=r.done.get("present", []),
                output_bytes=r.done.get("output_bytes", 0),
            )
        elif r.killed:
            result.update(status="timeout" if "time limit" in r.killed else "killed", detail=r.killed)
        else:
            result.update(status="crashed", detail=_exit_detail(status))
        _send(1, result)

    def _reap_orphans(self) -> None:
        """Kill and reap processes a child left behind (they are re-parented to the worker)."""
        mine = {r.pid for r in self.running.values()}
        me = str(os.getpid())
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit() or int(entry.name) in mine:
                continue
            try:
                with open(f"/proc/{entry.name}/stat") as f:
                    ppid = f.read().rsplit(")", 1)[1].split()[1]
            except (OSError, IndexError):
                continue
            if ppid == me:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(int(entry.name), signal.SIGKILL)
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if pid in mine:  # a running child that has just ended: keep its status for `_finish`
                self.reaped[pid] = status


def _exit_detail(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        hint = {
            "SIGXCPU": " (the CPU time limit)",
            "SIGKILL": " (killed; often the memory limit)",
            "SIGSEGV": " (a crash, often from the memory limit)",
            "SIGXFSZ": " (the file size limit)",
        }
        return f"the notebook's process was killed by {name}{hint.get(name, '')}"
    code = os.WEXITSTATUS(status)
    if code == 70:
        return (
            "the notebook broke the sandbox's reading of its answers (for instance by replacing "
            "the functions it relies on)"
        )
    return f"the notebook ended its own process (exit code {code}) before the answers were read"


SHELL: Any = None


def main() -> int:
    global SHELL
    cfg = json.loads(sys.stdin.buffer.readline())
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the grader
    preload(bool(cfg.get("preload_heavy", True)), bool(cfg.get("preload_course")))
    SHELL = make_shell()
    gc.collect()
    gc.freeze()  # children never walk (and so never copy) the objects they inherit
    from . import confine

    cfg["memory_base"] = confine.address_space_now()
    cfg["processes"] = confine.processes_of_this_user() + cfg["extra_processes"]
    sys.stdout.flush()
    _send(1, {"ready": True, "landlock": confine.landlock_abi(), "pid": os.getpid()})
    Worker(cfg).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
