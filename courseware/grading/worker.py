"""The sandbox's worker process: imports IPython and pandas once, then runs one child per submission.

Run as ``python -m courseware.grading.worker`` by `courseware.grading.sandbox.Sandbox`, never by
hand. It speaks JSON lines: on stdin one configuration line, then one line per job (a submission's
code cells and the answer variables to read); on stdout one ``ready`` line, then one result line per
job. It never receives a key, a hidden test, a rubric or the gradebook's location.

Three kinds of process:

- the worker reads jobs and results, enforces the wall-clock limits and the size of what comes back,
  and kills a child's process group when a limit is passed;
- the zygote is forked from the worker after the imports and before the first job is read, so it
  has never held any submission. It builds once what every child would otherwise build for itself
  (`prepare`: the user and network namespaces the children share, the Landlock ruleset, the seccomp
  filter, the emptied capability bounding set). For each job the worker writes the code into a
  memory file and sends the zygote that file and a result pipe; the zygote passes them, unread, to
  the child it forked for the next job before that job came (a spare, already walled in; or, where
  the walls depend on the job, to a child it forks then), and reports the child's pid and, later,
  its exit status;
- each child calls setsid, closes every other file descriptor, moves into a mount namespace of its
  own with a private scratch tmpfs, scrubs its environment, sets its resource limits, drops its
  capabilities, dies with the zygote, confines itself with Landlock and seccomp, and only then reads
  its own job; it installs the audit hook (`courseware.grading.confine`), then runs every code cell
  in the student's order through the IPython shell created before the fork, recording errors and
  carrying on. At the end it converts each answer variable to plain JSON data (`to_plain`) and
  reports it (`courseware.grading.channel`, where what a child may say is checked).
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import functools
import gc
import json
import os
import select
import shutil
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NoReturn

from . import channel

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


STUDENT_SIDE = ("check", "check_all", "hand_in")  # the student's own tools: they print, bind nothing


def is_check_only(source: str) -> bool:
    """True for a cell that only calls the student's own tools (`check`, `check_all`, `hand_in`)
    with literal arguments: they print feedback (or re-run the notebook to hand it in) and bind
    nothing, so the grader does not run them.

    >>> is_check_only('check("soviets_q1")'), is_check_only('x = 1; check("soviets_q1")')
    (True, False)
    >>> is_check_only('hand_in()'), is_check_only('check_all()')
    (True, True)
    """
    if not any(name in source for name in STUDENT_SIDE):  # most cells: no need to parse them
        return False
    return _calls_only_tools(source) if len(source) < 1000 else _calls_only_tools.__wrapped__(source)


@functools.lru_cache(maxsize=256)  # every submission has the same short check cells
def _calls_only_tools(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return bool(tree.body) and all(
        isinstance(s, ast.Expr)
        and isinstance(s.value, ast.Call)
        and isinstance(s.value.func, ast.Name)
        and s.value.func.id in STUDENT_SIDE
        and all(isinstance(a, ast.Constant) for a in s.value.args)
        and all(isinstance(k.value, ast.Constant) for k in s.value.keywords)
        for s in tree.body
    )


def runs(source: str, cfg: dict) -> bool:
    """Whether a child runs this cell: not the student's own tools, and not the exercise's setup
    cell when the worker already ran that setup once, before forking (`cfg["setup_done"]`)."""
    if cfg.get("setup_done") and source.strip() == cfg["setup"].strip():
        return False
    return not is_check_only(source)


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


def _describe(exc: BaseException) -> str:
    try:
        text = str(exc)
    except BaseException:
        text = "(the message could not be read)"
    name = type(exc).__name__ if isinstance(type(exc).__name__, str) else "Exception"
    return f"{name}: {text[:300]}" if text else name


def _read_all(fd: int) -> bytes:
    """The whole file from its start, wherever its shared offset stands."""
    chunks, offset = [], 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _close_all_but(keep: list[int]) -> None:
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 65536)


# The sandbox's own cell, which a spare runs before its job comes: the memory that running any cell
# in the inherited shell writes to is then copied already, not during the job's first cell.
WARM_UP = ("pass",)


def _wall_in(cfg: dict, prep: Prepared, scratch: str, parent: int, keep: list[int]) -> dict[str, bool]:
    """Everything a child does before it reads its job: its own session, no file descriptor but
    `keep`, its own mount namespace and tmpfs, a scrubbed environment, limits, no capabilities,
    death with the zygote, Landlock and seccomp. Returns which walls stood."""
    from . import confine

    os.setsid()
    devnull = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    _close_all_but(keep + ([] if prep.ruleset is None else [prep.ruleset]))
    if prep.shared:
        confine.isolate_child(Path(scratch), cfg["disk_bytes"])
    os.chdir(scratch)  # after the mount: the scratch folder is now the private tmpfs
    os.environ.clear()
    os.environ.update(prep.env)
    os.environ["HOME"] = os.environ["TMPDIR"] = scratch
    tempfile.tempdir = scratch
    confine.set_limits(
        cfg["cpu_seconds"], cfg["memory_base"] + cfg["memory_bytes"], cfg["file_bytes"], cfg["processes"]
    )
    confine.drop_capabilities()  # the zygote emptied the bounding set for every child
    confine.die_with_parent(parent)
    if prep.ruleset is not None:  # built by the zygote: every child writes only in its own tmpfs
        confined = confine.landlock_enforce(prep.ruleset)
        os.close(prep.ruleset)
    else:
        confined = confine.landlock(prep.read + [Path("/dev/null")], [Path(scratch)])
    filtered = confine.seccomp()
    return {"landlock": confined, "seccomp": filtered, "namespaces": prep.shared}


def run_child(
    shell: Any,
    cfg: dict,
    prep: Prepared,
    parent: int,
    scratch: str,
    fds: tuple[int, int] | None = None,
    spare: socket.socket | None = None,
) -> NoReturn:
    """Body of a forked child. Never returns: always ends with os._exit. Everything up to the first
    student cell is the sandbox's own code; the job (this student's cells only) is read from a file
    no other child ever holds, only once every wall stands. It comes with the child's result pipe,
    as `fds`, or, for a spare (a child forked and walled in before its job arrived), over `spare`,
    which the spare closes before reading the job."""
    from . import confine

    status = 0
    try:
        walls = _wall_in(
            cfg, prep, scratch, parent, [spare.fileno()] if spare is not None else list(fds or ())
        )
        if spare is not None:
            sys.stdout = sys.stderr = CappedOutput(0)
            for source in WARM_UP:
                shell.run_cell(source, store_history=False)
            _, fds, _, _ = socket.recv_fds(spare, 64, 2)
            spare.send(b"1")  # before this child reads or writes either: see `hand_over`
            spare.close()
        if fds is None or len(fds) != 2:
            raise SystemExit(70)  # the zygote ended before it sent a job
        job_fd, wfd = fds
        send = channel.make_sender(wfd)
        job = json.loads(_read_all(job_fd))
        os.close(job_fd)
        send({"walls": walls})
        confine.watch(prep.read, [Path(scratch)], lambda what: send({"attempt": what}))
        out = CappedOutput(cfg["output_bytes"])
        sys.stdout = sys.stderr = out
        saved_builtins = dict(builtins.__dict__)
        for index, source in job["cells"]:  # the worker sent only the cells a child runs
            send({"cell": index})
            result = shell.run_cell(source, store_history=False)
            err = result.error_before_exec or result.error_in_exec
            if err is not None:
                send({"error": {"cell": index, "message": _describe(err)}})
        builtins.__dict__.clear()  # undo any patching of built-ins before reading the answers
        builtins.__dict__.update(saved_builtins)
        sys.stdout = sys.stderr = out
        with contextlib.suppress(OSError):  # the hook's self-test: it must report this
            open(channel.CANARY).close()
        answers, present = {}, []
        for name in job["variables"]:
            ns = shell.user_ns
            if name in ns:
                present.append(name)
                try:
                    answers[name] = to_plain(ns[name])
                except BaseException as e:  # an answer whose conversion fails is not plain data
                    answers[name] = {"__unsupported__": f"could not be read ({_describe(e)[:80]})"}
        send({"done": {"answers": answers, "present": present, "output_bytes": out.count}})
    except BaseException:  # the worker records the missing "done"; nothing may escape the child
        status = 70
    finally:
        os._exit(status)


# ---------------------------------------------------------------- the zygote


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
            from courseware.data import course as load_course

            load_course()


def run_setup(shell: Any, setup: str) -> bool:
    """Run the exercise's own setup code (from the exercise source, never from a submission) once,
    so that every child starts from its result instead of paying for it. False when there is none or
    it failed (then each child runs the notebook's setup cell itself, and its error shows there)."""
    if not setup.strip():
        return False
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = CappedOutput(0)
    try:
        result = shell.run_cell(setup, store_history=False)
    finally:
        sys.stdout, sys.stderr = saved
    return result.error_before_exec is None and result.error_in_exec is None


@dataclass
class Prepared:
    """What the zygote sets up once, before any fork, instead of once per child."""

    shared: bool  # in the zygote's user and network namespaces; each child adds its own mount namespace
    scratch: str | None  # where every child's private tmpfs goes (shared), else a folder per job
    ruleset: int | None  # a Landlock ruleset every child applies (shared), else each builds its own
    read: list[Path]
    env: dict[str, str]


def prepare(cfg: dict) -> Prepared:
    """The walls that can be built once for every child: the namespaces the children share, with a
    read-only box holding the one folder each child covers with its own tmpfs; the Landlock ruleset
    (its write rule on the box reaches each child's tmpfs); the seccomp filter; the emptied bounding
    set and the no-new-privileges flag, which forked children inherit."""
    from . import confine

    read = [Path(p) for p in cfg["read"]]
    shared, scratch, ruleset = False, None, None
    if cfg["namespaces"]:
        box = Path(cfg["scratch"]) / "box"
        box.mkdir(exist_ok=True)
        with contextlib.suppress(OSError):  # then each child gets a folder of its own, measured
            shared = confine.share_namespaces(box)
        if shared:
            scratch = str(box / confine.RUN)
            with contextlib.suppress(OSError):  # then each child builds its own (and reports why not)
                ruleset = confine.landlock_ruleset(read + [Path("/dev/null")], [box])
    confine.seccomp_prepare()
    confine.drop_bounding_set()
    confine.no_new_privileges()
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "MPLCONFIGDIR": cfg["mplconfig"]}
    return Prepared(shared, scratch, ruleset, read, env)


def fork_spare(cfg: dict, prep: Prepared, me: int) -> tuple[int, socket.socket] | None:
    """Fork the child for the next job before that job comes (a spare): it walls itself in, runs
    `WARM_UP` and waits for its job's two file descriptors on the returned socket. Only where every
    child writes in the same place (its own tmpfs over `prep.scratch`), so that no wall depends on the
    job. None when the fork fails: the next job's child is then forked when the job comes."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        pid = os.fork()
    except OSError:
        ours.close()
        theirs.close()
        return None
    if pid == 0:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        run_child(SHELL, cfg, prep, me, str(prep.scratch), spare=theirs)
    theirs.close()
    return pid, ours


HANDOFF_TIMEOUT = 30.0  # seconds a spare may take to take its job (it needs milliseconds)
# Seconds between handing a job over and forking the next spare. The spare's reply wakes the zygote
# on the spare's own processor; forking there at once would keep the job waiting for a processor.
SPARE_DELAY = 0.001


def hand_over(spare: tuple[int, socket.socket], fds: list[int]) -> int | None:
    """Give a job's two file descriptors to the spare (not yet reaped, so its pid is still its own);
    its pid once it has said it holds them, or None when it cannot (it is dying, or hangs: it is then
    killed), and the job gets a new child. A spare says so before it reads or writes either, so a
    job never depends on what became of a spare."""
    pid, sock = spare
    try:
        socket.send_fds(sock, [b"job"], fds)
        sock.settimeout(HANDOFF_TIMEOUT)
        if sock.recv(1) == b"1":
            return pid
    except OSError:
        pass
    finally:
        sock.close()
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return None


def zygote(sock: socket.socket, cfg: dict, parent: int) -> NoReturn:
    """The process every child is forked from. It was forked from the worker before the worker read
    any job, and it never reads one: it receives two file descriptors per child (the job to read and
    the pipe to answer on) and passes them on unread, so no child inherits another's submission.
    It first tells the worker where children write (`prepare`), then reports each child's pid and,
    when the child ends, its exit status."""
    from . import confine

    status = 0
    try:
        confine.die_with_parent(parent)
        devnull = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1):
            os.dup2(devnull, fd)
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans come here
        prep = prepare(cfg)
        confine.die_with_parent(parent)  # again, now that it is in its own namespaces
        sock.send(json.dumps({"scratch": prep.scratch}).encode())
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_r, False)
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        me = os.getpid()
        children: set[int] = set()
        gc.freeze()
        huge_pages()  # after the zygote's own setup: its writes to a shared 2 MB page split it again
        spare = fork_spare(cfg, prep, me) if prep.shared else None
        spare_due: float | None = None  # when to fork the next spare
        while True:
            wait = None if spare_due is None else max(0.0, spare_due - time.monotonic())
            ready, _, _ = select.select([sock, wake_r], [], [], wait)
            if spare_due is not None and time.monotonic() >= spare_due:
                spare, spare_due = fork_spare(cfg, prep, me), None
            if wake_r in ready:
                with contextlib.suppress(BlockingIOError):
                    while os.read(wake_r, 4096):
                        pass
                while True:
                    try:
                        pid, st = os.waitpid(-1, os.WNOHANG)
                    except ChildProcessError:
                        break
                    if pid == 0:
                        break
                    if pid in children:
                        children.discard(pid)
                        sock.send(json.dumps({"exited": pid, "status": st}).encode())
                    elif spare is not None and pid == spare[0]:  # died before its job came
                        spare[1].close()
                        spare = None
            if sock in ready:
                msg, fds, _, _ = socket.recv_fds(sock, 4096, 2)
                if not msg:
                    break  # the worker is gone
                request = json.loads(msg)
                if len(fds) != 2:
                    for fd in fds:
                        os.close(fd)
                    continue
                pid = None
                if spare is not None:  # the spare walled itself in while no job was waiting
                    pid = hand_over(spare, fds)
                    spare = None
                if pid is None:
                    pid = os.fork()
                    if pid == 0:
                        signal.set_wakeup_fd(-1)
                        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                        run_child(SHELL, cfg, prep, me, request["scratch"], fds=(fds[0], fds[1]))
                for fd in fds:
                    os.close(fd)
                children.add(pid)
                sock.send(json.dumps({"started": request["id"], "pid": pid}).encode())
                if prep.shared and spare_due is None:  # the next job's child: this job's files are
                    spare_due = time.monotonic() + SPARE_DELAY  # closed here, so it inherits none
    except BaseException:
        status = 1
    finally:
        os._exit(status)


# ---------------------------------------------------------------- the worker


@dataclass
class Running:
    key: str  # the grader's id for this job
    pid: int
    rfd: int
    scratch: str
    transcript: channel.Transcript
    started: float
    cell_started: float
    buffer: bytearray = field(default_factory=bytearray)
    received: int = 0
    eof: bool = False
    status: int | None = None  # exit status, as the zygote saw it
    killed: Literal["timeout", "killed"] | None = None
    why: str | None = None  # why the worker killed it
    checked: float = 0.0  # when its scratch size was last measured (without a private tmpfs)


class Worker:
    def __init__(self, cfg: dict, zsock: socket.socket, scratch: str | None = None) -> None:
        self.cfg = cfg
        self.zsock = zsock
        self.scratch = scratch  # where every child's private tmpfs goes; None: a folder per job
        self.running: dict[int, Running] = {}  # by read fd
        self.by_pid: dict[int, Running] = {}
        self.exits: dict[int, int] = {}  # statuses that came before their child was known
        self.inbuf = bytearray()
        self.stdin_open = True
        self.counter = 0

    def serve(self) -> None:
        while self.stdin_open or self.running:
            timeout = self._next_deadline()
            fds = [fd for fd, r in self.running.items() if not r.eof] + [self.zsock.fileno()]
            if self.stdin_open:
                fds.append(0)
            ready, _, _ = select.select(fds, [], [], timeout)
            for fd in ready:
                if fd == 0:
                    self._read_jobs()
                elif fd == self.zsock.fileno():
                    self._zygote_message(self.zsock.recv(4096))
                elif fd in self.running:
                    self._read_child(self.running[fd])
            self._enforce_limits()
            for r in list(self.running.values()):
                if r.eof and r.status is not None:
                    self._finish(r)

    def _next_deadline(self) -> float:
        if not self.running:
            return 1.0
        now = time.monotonic()
        soonest = min(
            min(r.started + self.cfg["notebook_timeout"], r.cell_started + self.cfg["cell_timeout"])
            for r in self.running.values()
        )
        return max(0.0, min(0.5, soonest - now))

    def _read_jobs(self) -> None:
        chunk = os.read(0, 1 << 20)
        if not chunk:
            self.stdin_open = False
            for r in list(self.running.values()):
                self._kill(r, "killed", "the grader stopped")
            return
        self.inbuf += chunk
        while b"\n" in self.inbuf:
            line, _, rest = self.inbuf.partition(b"\n")
            self.inbuf = bytearray(rest)
            if line.strip():
                self._start(json.loads(line))

    def _start(self, job: dict) -> None:
        """Hand one job to a new child: its code goes into a memory file that only that child gets,
        with only the cells a child runs (so that the child does not parse them again)."""
        scratch = self.scratch or tempfile.mkdtemp(prefix="run-", dir=self.cfg["scratch"])
        cells = [[i, src] for i, src in job["cells"] if runs(src, self.cfg)]
        data = json.dumps({"cells": cells, "variables": job["variables"]}).encode()
        job_fd = os.memfd_create("courseware-job")
        view = memoryview(data)
        while view:
            view = view[os.write(job_fd, view) :]
        os.lseek(job_fd, 0, os.SEEK_SET)
        rfd, wfd = os.pipe()
        self.counter += 1
        request = json.dumps({"id": self.counter, "scratch": scratch}).encode()
        socket.send_fds(self.zsock, [request], [job_fd, wfd])
        os.close(job_fd)
        os.close(wfd)
        pid = None
        while pid is None:  # the zygote answers in order; exits of other children may come first
            msg = json.loads(self.zsock.recv(4096) or b"null")
            if msg is None:
                raise SystemExit("the zygote stopped")
            if msg.get("started") == self.counter:
                pid = int(msg["pid"])
            else:
                self._zygote_message(json.dumps(msg).encode())
        expected = [i for i, _ in cells]
        now = time.monotonic()
        r = Running(
            job["job"],
            pid,
            rfd,
            scratch,
            channel.Transcript(expected, frozenset(job["variables"])),
            now,
            now,
        )
        self.running[rfd] = r
        self.by_pid[pid] = r
        if pid in self.exits:
            r.status = self.exits.pop(pid)

    def _zygote_message(self, raw: bytes) -> None:
        if not raw:
            raise SystemExit("the zygote stopped")
        msg = json.loads(raw)
        if "exited" in msg:
            pid, status = int(msg["exited"]), int(msg["status"])
            r = self.by_pid.get(pid)
            if r is None:
                self.exits[pid] = status
            else:
                r.status = status

    def _read_child(self, r: Running) -> None:
        try:
            chunk = os.read(r.rfd, 1 << 16)
        except OSError:
            chunk = b""
        if not chunk:
            r.eof = True
            return
        r.received += len(chunk)
        if r.received > self.cfg["answer_bytes"]:
            self._kill(r, "killed", f"sent back more than {self.cfg['answer_bytes'] // 2**20} MB of answers")
            return
        r.buffer += chunk
        while b"\n" in r.buffer:
            line, _, rest = r.buffer.partition(b"\n")
            r.buffer = bytearray(rest)
            before = r.transcript.announced
            r.transcript.line(bytes(line))
            if r.transcript.announced != before:  # a new cell: its own time limit starts
                r.cell_started = time.monotonic()
        if r.transcript.tampered:  # nothing more it says can be used: stop it now
            self._kill(r, None, None)

    def _enforce_limits(self) -> None:
        now = time.monotonic()
        for r in list(self.running.values()):
            if r.killed or r.eof:
                continue
            if now - r.started > self.cfg["notebook_timeout"]:
                self._kill(
                    r, "timeout", f"ran past the notebook time limit ({self.cfg['notebook_timeout']:g} s)"
                )
            elif now - r.cell_started > self.cfg["cell_timeout"]:
                self._kill(r, "timeout", f"ran past the cell time limit ({self.cfg['cell_timeout']:g} s)")
            elif self._scratch_over_quota(r, now):
                mb = self.cfg["disk_bytes"] // 2**20
                self._kill(r, "killed", f"wrote more than {mb} MB into its scratch folder")

    def _scratch_over_quota(self, r: Running, now: float) -> bool:
        """Without a private tmpfs (no user namespaces), measure the scratch folder twice a second."""
        walls = r.transcript.walls
        if walls is None or walls["namespaces"] or now - r.checked < 0.5:
            return False
        r.checked = now
        total = 0
        for root, _, files in os.walk(r.scratch):
            for name in files:
                with contextlib.suppress(OSError):
                    total += os.lstat(os.path.join(root, name)).st_blocks * 512
        return total > self.cfg["disk_bytes"]

    def _kill(self, r: Running, kind: Literal["timeout", "killed"] | None, why: str | None) -> None:
        if kind is not None and r.killed is None:
            r.killed, r.why = kind, why
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(r.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(r.pid, signal.SIGKILL)
        r.eof = True

    def _finish(self, r: Running) -> None:
        del self.running[r.rfd]
        self.by_pid.pop(r.pid, None)
        os.close(r.rfd)
        if r.scratch != self.scratch:  # its own folder; a private tmpfs ends with its child
            shutil.rmtree(r.scratch, ignore_errors=True)
        t = r.transcript
        result: dict[str, Any] = {
            "job": r.key,
            "seconds": round(time.monotonic() - r.started, 4),
            "last_cell": t.cell,
            "errors": t.errors,
            "attempts": t.attempts,
            "confined": t.walls["landlock"] if t.walls else None,
            "walls": t.walls,
        }
        status = r.status or 0
        if t.tampered:
            result.update(
                status="tampered", detail=f"{channel.TAMPERED} ({t.tampered})", errors=[], attempts=[]
            )
        elif r.killed:
            result.update(status=r.killed, detail=r.why)
        elif t.done is not None and status == 0:
            result.update(
                status="finished",
                answers=t.done["answers"],
                present=t.done["present"],
                output_bytes=t.done["output_bytes"],
            )
        elif os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGSYS:
            result.update(status="killed", detail=FORBIDDEN)
        elif t.announced == len(t.cells) and not t.canary and status == 0:
            result.update(
                status="tampered", detail=f"{channel.TAMPERED} (the sandbox's self-test never arrived)"
            )
        else:
            result.update(status="crashed", detail=_exit_detail(status))
        _write_line(1, result)


FORBIDDEN = (
    "the kernel ended the notebook's process for a forbidden system call: opening a network socket "
    "or starting a process (SIGSYS)"
)


def _write_line(fd: int, message: dict) -> None:
    data = (json.dumps(message, allow_nan=True, separators=(",", ":")) + "\n").encode()
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


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
_MADV_COLLAPSE = 25


def huge_pages() -> int:
    """Back this process's anonymous memory with 2 MB pages where the kernel can (MADV_COLLAPSE,
    Linux 6.1+; elsewhere nothing happens): a fork then copies, and a child's exit tears down, one
    page-table entry per 2 MB instead of 512. Takes a few hundred milliseconds, once, and the memory
    it collapses is this process's own copy from then on. Returns the bytes collapsed."""
    import ctypes

    if sys.platform != "linux":
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    huge, done = 2 << 20, 0
    try:
        with open("/proc/self/maps") as f:
            lines = f.read().splitlines()
    except OSError:
        return 0
    for line in lines:
        parts = line.split()
        if len(parts) < 5 or not parts[1].startswith("rw") or parts[1][3] != "p":
            continue
        if len(parts) > 5 and parts[5] != "[heap]":  # anonymous memory and the heap only
            continue
        lo, hi = (int(x, 16) for x in parts[0].split("-"))
        start, end = (lo + huge - 1) & ~(huge - 1), hi & ~(huge - 1)
        if end > start and libc.madvise(start, end - start, _MADV_COLLAPSE) == 0:
            done += end - start
    return done


def main() -> int:
    global SHELL
    cfg = json.loads(sys.stdin.buffer.readline())
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the grader
    preload(bool(cfg.get("preload_heavy", True)), bool(cfg.get("preload_course")))
    # the package's parent folder was on the path only to import it: children may not look there
    root = os.environ.pop("PYTHONPATH", None)
    sys.path[:] = [p for p in sys.path if p != root]
    SHELL = make_shell()
    cfg["setup_done"] = run_setup(SHELL, cfg.get("setup") or "")
    from . import confine

    cfg["memory_base"] = confine.address_space_now()
    cfg["processes"] = confine.processes_of_this_user() + cfg["extra_processes"]
    gc.collect()
    gc.freeze()  # children never walk (and so never copy) the objects they inherit
    # the zygote is forked before any job is read, so nothing of a submission is ever in it
    zsock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    me = os.getpid()
    if os.fork() == 0:
        zsock.close()
        zygote(theirs, cfg, me)
    theirs.close()
    hello = json.loads(zsock.recv(4096) or b"null")
    if not isinstance(hello, dict):
        raise SystemExit("the zygote did not start")
    sys.stdout.flush()
    _write_line(1, {"ready": True, "landlock": confine.landlock_abi(), "pid": me})
    Worker(cfg, zsock, hello.get("scratch")).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
