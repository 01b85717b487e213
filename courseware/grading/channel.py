"""The channel from a submission's process (the child) to the worker: what may be said on it, how
the child writes it, and how the worker checks it.

The child runs the student's code, so anything on the channel may be forged: a cell can write to
every file descriptor it has. The worker therefore treats each line as untrusted data. A line is one
JSON object with exactly one known key, whose value has the type and size below, and the lines come
in one order only:

    {"walls": {"landlock": bool, "seccomp": bool, "namespaces": bool}}   once, first
    {"cell": N}                  before each code cell, N the next cell of the job, in order
    {"error": {"cell": N, "message": "..."}}   at most once per cell, for the cell announced last
    {"attempt": "..."}           what the audit hook refused, at any time
    {"attempt": CANARY}          once, right after the last cell (the hook's self-test)
    {"done": {"answers": {...}, "present": [...], "output_bytes": N}}   once, last

Anything else, or anything out of order, makes the run "tampered": the submission is marked for
review, and nothing it sent is used. The child's exit status, seen by its parent outside the child,
must be 0 after `done`. The canary is a refused open that the child's own code makes after the
student's cells: if the notebook silenced or replaced the audit hook's reporting, the canary does not
arrive and the run is marked as tampered instead of being graded clean.

The child's writer (`Sender`) holds its own references to `os.write` and encodes with code of its
own, so replacing `json.dumps` or other module functions in the notebook does not change what it
sends.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

CANARY = "/courseware-canary"  # a path no child may open; the hook reports the attempt
CANARY_ATTEMPT = f"open {CANARY}"
MAX_MESSAGE = 2000  # characters of an error message or attempt
MAX_ERRORS = 200
MAX_ATTEMPTS = 50
MAX_DEPTH = 32  # nesting of an answer (the child's converter stops at 20)
TAMPERED = "the notebook tampered with the grader's channel"


# ---------------------------------------------------------------- the child's side


def make_sender(fd: int) -> Callable[[dict], None]:
    """A function that writes one message as a JSON line to `fd`, immune to the notebook replacing
    `json`, `os.write` or built-ins after it was made (it keeps its own references)."""
    write, memoryview_, len_, str_, repr_, ord_, type_ = (
        os.write,
        memoryview,
        len,
        str,
        float.__repr__,
        ord,
        type,
    )
    isnan, isinf, irepr = math.isnan, math.isinf, int.__repr__
    join = "".join
    safe = frozenset(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_/()[]{}!?'=+*<>@#%&|~^$"
    )

    def text(s: str) -> str:
        out = []
        for c in s:
            if c in safe:
                out.append(c)
            else:
                n = ord_(c)
                if 0xD800 <= n <= 0xDFFF:  # a lone surrogate cannot be sent as text
                    n = 0xFFFD
                if n > 0xFFFF:  # outside the basic plane: a surrogate pair, as JSON writes it
                    n -= 0x10000
                    out.append(f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}")
                else:
                    out.append(f"\\u{n:04x}")
        return '"' + join(out) + '"'

    def encode(v: Any) -> str:
        t = type_(v)
        if v is None:
            return "null"
        if t is bool:
            return "true" if v else "false"
        if t is int:
            return irepr(v)
        if t is float:
            if isnan(v):
                return "NaN"
            if isinf(v):
                return "Infinity" if v > 0 else "-Infinity"
            return repr_(v)
        if t is str:
            return text(v)
        if t is list or t is tuple:
            return "[" + ",".join([encode(x) for x in v]) + "]"
        if t is dict:
            return "{" + ",".join([text(str_(k)) + ":" + encode(x) for k, x in v.items()]) + "}"
        return text(f"<{t.__name__}>")

    def send(message: dict) -> None:
        view = memoryview_((encode(message) + "\n").encode("ascii"))
        while len_(view):
            view = view[write(fd, view) :]

    return send


# ---------------------------------------------------------------- the worker's side


@dataclass
class Transcript:
    """What one child said, checked line by line against the protocol."""

    cells: Sequence[int]  # the cells the child must announce, in order
    variables: frozenset[str]
    walls: dict[str, bool] | None = None
    announced: int = 0  # how many of `cells` have been announced
    errors: list[dict] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)
    canary: bool = False
    done: dict | None = None
    tampered: str | None = None  # the first breach of the protocol

    @property
    def cell(self) -> int | None:
        return self.cells[self.announced - 1] if self.announced else None

    def breach(self, why: str) -> None:
        self.tampered = self.tampered or why

    def line(self, raw: bytes) -> None:
        """Check and record one line."""
        if self.tampered:
            return
        try:
            msg = json.loads(raw)
        except (ValueError, RecursionError):
            return self.breach("a line that is not JSON")
        if not isinstance(msg, dict) or len(msg) != 1:
            return self.breach("a line that is not one known message")
        [(key, value)] = msg.items()
        check = {
            "walls": self._walls,
            "cell": self._cell,
            "error": self._error,
            "attempt": self._attempt,
            "done": self._done,
        }.get(key)
        if check is None:
            return self.breach(f"an unknown message {key[:40]!r}")
        if self.done is not None:
            return self.breach("a message after the end")
        if key != "walls" and self.walls is None:
            return self.breach("a message before the sandbox reported its walls")
        check(value)

    def _walls(self, v: Any) -> None:
        keys = {"landlock", "seccomp", "namespaces"}
        if self.walls is not None:
            return self.breach("the walls reported twice")
        if not isinstance(v, dict) or set(v) != keys or not all(type(x) is bool for x in v.values()):
            return self.breach("a malformed report of the walls")
        self.walls = v

    def _cell(self, v: Any) -> None:
        if type(v) is not int or self.announced >= len(self.cells) or v != self.cells[self.announced]:
            return self.breach(f"a cell announced out of order ({str(v)[:20]})")
        if self.canary:
            return self.breach("a cell announced after the last one")
        self.announced += 1

    def _error(self, v: Any) -> None:
        if (
            not isinstance(v, dict)
            or set(v) != {"cell", "message"}
            or type(v["cell"]) is not int
            or type(v["message"]) is not str
            or len(v["message"]) > MAX_MESSAGE
        ):
            return self.breach("a malformed error report")
        if v["cell"] != self.cell or any(e["cell"] == v["cell"] for e in self.errors):
            return self.breach("an error reported for a cell that was not running")
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(v)

    def _attempt(self, v: Any) -> None:
        if type(v) is not str or len(v) > MAX_MESSAGE:
            return self.breach("a malformed report of a refused action")
        if v == CANARY_ATTEMPT:
            if self.canary or self.announced != len(self.cells):
                return self.breach("the sandbox's self-test reported out of place")
            self.canary = True
        elif self.canary:
            return self.breach("a refused action reported after the self-test")
        elif len(self.attempts) < MAX_ATTEMPTS:
            self.attempts.append(v)

    def _done(self, v: Any) -> None:
        if not self.canary:
            return self.breach("the end reported before every cell ran and the self-test passed")
        if not isinstance(v, dict) or set(v) != {"answers", "present", "output_bytes"}:
            return self.breach("a malformed end report")
        answers, present, out = v["answers"], v["present"], v["output_bytes"]
        if type(out) is not int or out < 0:
            return self.breach("a malformed count of printed output")
        if not isinstance(present, list) or not all(type(p) is str for p in present):
            return self.breach("a malformed list of answer variables")
        if len(set(present)) != len(present) or not set(present) <= self.variables:
            return self.breach("answer variables that the exercise does not have")
        if not isinstance(answers, dict) or not set(answers) <= set(present):
            return self.breach("answers for variables the notebook did not bind")
        if any(_depth(a) > MAX_DEPTH for a in answers.values()):
            return self.breach("an answer nested too deeply")
        self.done = v


def _depth(value: Any, depth: int = 0) -> int:
    if depth > MAX_DEPTH:
        return depth
    if isinstance(value, list):
        return max((_depth(v, depth + 1) for v in value), default=depth + 1)
    if isinstance(value, dict):
        return max((_depth(v, depth + 1) for v in value.values()), default=depth + 1)
    return depth
