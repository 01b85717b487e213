"""The hostile corpus: submissions that are broken, abusive or odd, each named for what it does, with
the outcome the grader must give it.

Run as a script to write the corpus into a folder and look at it:
    python tests/grading/hostile/make_corpus.py OUT_FOLDER
The tests (`test_hostile.py`) generate it afresh into a temporary folder and grade it as one batch.

Expected outcomes use the fixture exercise (tests/grading/fixtures/soviets-fixture.yml): 12 points
are judged automatically (q1 1, q2 2, q3 3, q4 4, q5 2); the written item (4) waits for the rubric.
"""

from __future__ import annotations

import copy
import json
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import kit  # noqa: E402

WRONG = {
    "soviets_q1": 'q1_year_choice = "a"',
    "soviets_q2": 'q2_reading = "anarchist"',
    "soviets_q3": 'q3_order = ["nep", "kron", "oct", "feb"]',
    "soviets_q4": 'q4_match = {"callinicos-1977": "dws", "icf-98-2017": "sc", "anarchist-essay": "brc", '
    '"hampton-awl": "an"}',
    "soviets_q5": "q5_delegates = 12",
    "soviets_q6": 'q6_essay = "too short"',
    "soviets_q7": 'q7_practice = "b"',
}


@dataclass(frozen=True)
class Case:
    name: str  # what the submission does; also its student id
    data: bytes
    status: str  # "graded" or "review"
    total: float  # the score the gradebook must hold (provisional for review)
    reason: str = ""  # a fragment the recorded reason must contain (review cases)
    suffix: str = ".ipynb"


@dataclass(frozen=True)
class Targets:
    """Places a hostile notebook tries to reach."""

    gradebook: Path
    keys: Path
    instructor: Path
    outside: Path  # a file outside the scratch folder that must not get written


def _nb(**kw) -> bytes:
    return kit.dumps(kit.build(kit.fixture_exercise(), **kw))


def _with(answers: dict[str, str | None]) -> dict[str, str | None]:
    out: dict[str, str | None] = dict(kit.solutions(kit.fixture_exercise()))
    out.update(answers)
    return out


def cases(t: Targets) -> list[Case]:
    ex = kit.fixture_exercise()
    solved = kit.build(ex)
    full = kit.FULL_AUTO

    # notebooks edited at the cell level
    groups = kit.item_cells(ex, kit.solutions(ex))
    head = solved["cells"][:2]
    deleted = kit.notebook(
        head
        + [
            c
            for g in groups
            if g[1]["metadata"]["courseware"]["item"] not in ("soviets_q3", "soviets_q4")
            for c in g
        ]
    )
    reordered = kit.notebook(head + [c for g in reversed(groups) for c in g])
    dup_group = kit.item_cells(ex, _with({"soviets_q1": 'q1_year_choice = "c"'}))[0]
    duplicated = kit.notebook(head + dup_group + [c for g in groups for c in g])
    renamed = kit.build(ex, _with({"soviets_q1": 'q1_choice = "b"'}))
    big_output = copy.deepcopy(solved)
    big_output["cells"][1]["outputs"] = [
        {"output_type": "stream", "name": "stdout", "text": ["x" * 1000 + "\n"] * 50_000}
    ]
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {},
        "worksheets": [
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "language": "python",
                        "input": c["source"],
                        "outputs": [],
                        "metadata": {},
                    }
                    for c in solved["cells"]
                    if c["cell_type"] == "code"
                ]
            }
        ],
    }
    text = kit.dumps(solved)

    return [
        # files that are not readable notebooks
        Case("not-json", b"this is not JSON {", "review", 0, "not valid JSON"),
        Case(
            "not-utf8", text.replace(b"Compare", "Compare \u00e9".encode("latin-1")), "review", 0, "not UTF-8"
        ),
        Case("truncated", text[: len(text) // 2], "review", 0, "truncated"),
        Case("empty-file", b"", "review", 0, "empty"),
        Case("json-but-not-a-notebook", b'["a", "list"]', "review", 0, "not a Jupyter notebook"),
        Case("empty-notebook", json.dumps(kit.notebook([])).encode(), "review", 0, "no code cells"),
        Case("pdf-instead-of-notebook", b"%PDF-1.4 ...", "review", 0, "not a notebook", suffix=".pdf"),
        Case("too-much-code", _nb(before="x = 1\n" * 1_000_000), "review", 0, "more than 5 MB"),
        # benign oddities: graded as they stand
        Case("solved", text, "graded", full),
        Case("blank", _nb(answers={}), "graded", 0),
        Case("all-wrong", _nb(answers=WRONG), "graded", 0),
        Case("nbformat-3", json.dumps(v3).encode(), "graded", full),
        Case("reordered-cells", kit.dumps(reordered), "graded", full),
        Case("deleted-answer-cells", kit.dumps(deleted), "graded", full - 7),
        Case("duplicate-answer-cells-last-wins", kit.dumps(duplicated), "graded", full),
        Case(
            "syntax-error-then-later-cells-run",
            _nb(answers=_with({"soviets_q1": "q1_year_choice = = 'b'"})),
            "graded",
            full - 1,
        ),
        Case("sys-exit-in-a-cell", _nb(before="import sys\nsys.exit(0)"), "graded", full),
        Case("raise-systemexit-in-a-cell", _nb(after="raise SystemExit(3)"), "graded", full),
        Case("ipython-exit", _nb(before="exit()"), "graded", full),
        Case(
            "memory-bomb",
            _nb(before="hog = []\nwhile True:\n    hog.append(bytearray(50 * 2**20))"),
            "graded",
            full,
        ),
        Case(
            "output-flood-bounded",
            _nb(before="for i in range(100_000):\n    print('flood', i)"),
            "graded",
            full,
        ),
        Case("notebook-with-50MB-output", kit.dumps(big_output), "graded", full),
        Case(
            "monkeypatch-builtins",
            _nb(
                answers=WRONG,
                after=(
                    "import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.len = lambda x: 0\n"
                    "builtins.sorted = lambda x, **k: ['feb', 'oct', 'kron', 'nep']"
                ),
            ),
            "graded",
            0,
        ),
        Case(
            "redefine-check",
            _nb(answers=WRONG, after="def check(*a, **k):\n    return 'full marks'\ncheck('soviets_q1')"),
            "graded",
            0,
        ),
        Case(
            "read-environment",
            _nb(
                answers=_with(
                    {
                        "soviets_q2": (
                            "import os\n"
                            "q2_reading = os.environ.get('COURSEWARE_GRADING_SECRET', 'state-capitalist')"
                        )
                    }
                )
            ),
            "graded",
            full,
        ),
        Case(
            "nan-and-bool-answers",
            _nb(
                answers=_with(
                    {"soviets_q5": "q5_delegates = float('nan')", "soviets_q1": "q1_year_choice = True"}
                )
            ),
            "graded",
            full - 3,
        ),
        # answers that are not plain data
        Case(
            "answer-eq-always-true",
            _nb(
                answers=_with(
                    {
                        "soviets_q1": (
                            "class Anything:\n    def __eq__(self, other):\n        return True\n"
                            "q1_year_choice = Anything()"
                        )
                    }
                )
            ),
            "review",
            full - 1,
            "not text, a number",
        ),
        Case(
            "answer-str-subclass-lying-eq",
            _nb(
                answers=_with(
                    {
                        "soviets_q2": (
                            "class Liar(str):\n    def __eq__(self, other):\n        return True\n"
                            "    __hash__ = str.__hash__\n"
                            "q2_reading = Liar('anarchist')"
                        )
                    }
                )
            ),
            "review",
            full - 2,
            "Liar",
        ),
        Case(
            "huge-answer",
            _nb(answers=_with({"soviets_q1": "q1_year_choice = 'b' * 10_000_000"})),
            "review",
            full - 1,
            "too large",
        ),
        Case("renamed-variable", kit.dumps(renamed), "review", full - 1, "renamed"),
        # runs that never finish or end themselves
        Case("infinite-loop", _nb(before="while True:\n    pass"), "review", 0, "cell time limit"),
        Case("sleep-forever", _nb(before="import time\ntime.sleep(10**6)"), "review", 0, "time limit"),
        Case(
            "output-flood-forever",
            _nb(before="while True:\n    print('x' * 1000)"),
            "review",
            0,
            "time limit",
        ),
        Case("os-exit", _nb(before="import os\nos._exit(0)"), "review", 0, "ended its own process"),
        Case(
            "kill-own-process-with-signal",
            _nb(before="import signal\nsignal.raise_signal(signal.SIGKILL)"),
            "review",
            0,
            "SIGKILL",
        ),
        Case("memory-bomb-single-allocation", _nb(before="hog = bytearray(2**40)"), "graded", full),
        # reaching outside the sandbox: refused, reported, provisional zero
        Case(
            "kill-own-process-with-os-kill",
            _nb(before="import os\nos.kill(os.getpid(), 9)"),
            "review",
            0,
            "send a signal",
        ),
        Case(
            "kill-the-grader", _nb(before="import os\nos.kill(os.getppid(), 9)"), "review", 0, "send a signal"
        ),
        Case("fork-bomb", _nb(before="import os\nwhile True:\n    os.fork()"), "review", 0, "fork a process"),
        Case(
            "fork-bomb-via-ctypes",
            _nb(before=("from courseware.grading import confine\nwhile True:\n    confine._libc.fork()")),
            "review",
            0,
            "forbidden system call",
        ),  # seccomp ends the process at its first fork, even as root
        Case(
            "run-a-shell-command",
            _nb(before="import subprocess\nsubprocess.run(['rm', '-rf', 'x'])"),
            "review",
            0,
            "start a program",
        ),
        Case(
            "open-the-gradebook", _nb(before=f"open({str(t.gradebook)!r}, 'rb').read()"), "review", 0, "open"
        ),
        Case("read-the-keys", _nb(before=f"print(open({str(t.keys)!r}).read())"), "review", 0, "open"),
        Case(
            "list-the-instructor-folder",
            _nb(before=f"import os\nos.listdir({str(t.instructor)!r})"),
            "review",
            0,
            "look into",
        ),
        Case(
            "write-outside-scratch",
            _nb(before=f"open({str(t.outside)!r}, 'w').write('pwned')"),
            "review",
            0,
            "write",
        ),
        Case(
            "network-connection",
            _nb(before="import socket\nsocket.create_connection(('127.0.0.1', 9), 1)"),
            "review",
            0,
            "network",
        ),
    ]


def _forge(line: dict, then: str = "") -> str:
    """A cell that writes `line` to every file descriptor it has: one of them is the grader's channel."""
    payload = json.dumps(line)
    return (
        "import os\n"
        f"for fd in range(3, 1024):\n    try:\n        os.write(fd, {payload!r}.encode() + b'\\n')\n"
        "    except OSError:\n        pass\n" + then
    )


# The thief looks through everything its process inherited for the victim's code and runs it.
MARK = "victim-mark-5c1e"
THIEF = f"""
import gc, json
mark = {MARK[:7]!r} + {MARK[7:]!r}  # built here, so that this code does not contain it
stolen = []
def _texts(o):
    if isinstance(o, (str, bytes, bytearray)):
        yield o if isinstance(o, str) else bytes(o).decode("utf-8", "replace")
    elif isinstance(o, dict):
        for v in list(o.values()):
            if isinstance(v, (str, bytes, bytearray)):
                yield from _texts(v)
for o in gc.get_objects():
    for t in _texts(o):
        if mark in t:
            stolen.append(t)
    d = getattr(o, "__dict__", None)
    if isinstance(d, dict):
        for t in _texts(d):
            if mark in t:
                stolen.append(t)
for blob in stolen:
    for line in blob.splitlines():
        try:
            job = json.loads(line)
        except ValueError:
            continue
        if isinstance(job, dict):
            for _, src in job.get("cells") or []:
                if src and mark in src:
                    exec(src, globals())
"""


def attacks(t: Targets) -> list[Case]:
    """Attacks on the grader itself: reading a classmate's work, forging the grader's channel,
    files built to break intake, escaping the walls."""
    ex = kit.fixture_exercise()
    blank = {i.id: None for i in ex.items}
    marked = {k: f"{v}  # {MARK}" for k, v in kit.solutions(ex).items()}
    right = {
        "q1_year_choice": "b",
        "q2_reading": "state-capitalist",
        "q3_order": ["feb", "oct", "kron", "nep"],
    }
    tampered = "tampered with the grader's channel"
    return [
        # named so that the thief is sent to the grader just before its victim
        Case("0-thief-reads-queued-submissions", _nb(answers=blank, after=THIEF), "graded", 0),
        Case("0-victim-of-the-thief", _nb(answers=marked), "graded", kit.FULL_AUTO),
        Case("forge-error-without-cell", _nb(after=_forge({"error": {"bogus": 1}})), "review", 0, tampered),
        Case(
            "forge-error-with-text-cell",
            _nb(after=_forge({"error": {"cell": "x", "message": "m"}})),
            "review",
            0,
            tampered,
        ),
        Case(
            "forge-done-with-a-list",
            _nb(after=_forge({"done": True, "answers": ["q2"]})),
            "review",
            0,
            tampered,
        ),
        Case(
            "forge-output-bytes",
            _nb(after=_forge({"done": True, "answers": {}, "present": [], "output_bytes": "lots"})),
            "review",
            0,
            tampered,
        ),
        Case(
            "forge-done-with-right-answers-then-exit",
            _nb(
                answers=blank,
                before=_forge(
                    {"done": True, "answers": right, "present": list(right), "output_bytes": 0},
                    "os._exit(0)\n",
                ),
            ),
            "review",
            0,
            tampered,
        ),
        Case(
            "replace-json-dumps-then-read-passwd",
            _nb(before="import json\njson.dumps = lambda *a, **k: '{}'\nopen('/etc/passwd').read()"),
            "review",
            0,
            "open /etc/passwd",
        ),
        Case(
            "udp-datagram",
            _nb(
                before=(
                    "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                    "s.sendto(b'x', ('127.0.0.1', 9))"
                )
            ),
            "review",
            0,
            "network",
        ),
        Case(
            "fill-the-disk",
            _nb(
                before=(
                    "i = 0\nwhile True:\n    with open(f'f{i}', 'wb') as f:\n"
                    "        f.write(b'x' * (15 * 2**20))\n    i += 1"
                )
            ),
            "graded",
            kit.FULL_AUTO,
        ),  # the scratch quota ends the loop with an error; later cells still run
        # two names that a careless file-name cleaner would merge into one feedback page
        Case("pair one", _nb(), "graded", kit.FULL_AUTO),
        Case("pair_one", _nb(answers=blank), "graded", 0),
        Case("nested-200000-deep", b"[" * 200_000 + b"]" * 200_000, "review", 0, "nested"),
    ]


def write(folder: Path, t: Targets) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    all_cases = cases(t) + attacks(t)
    for c in all_cases:
        (folder / f"{c.name}{c.suffix}").write_bytes(c.data)
    return all_cases


if __name__ == "__main__":
    out = Path(sys.argv[1])
    gb = out.parent / "gradebook.db"
    written = write(out, Targets(gb, kit.FIXTURE, kit.FIXTURE.parent, out.parent / "outside.txt"))
    print(f"wrote {len(written)} cases into {out}")
