"""Attacks on the grader's integrity, run against the sandbox itself: a child sees nothing of another
student, everything it sends is checked, refusals are recorded where the notebook cannot erase them,
and nothing gets out (no network, no process, no unbounded disk, nothing left after the grader dies)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import kit
import pytest

from courseware.grading import confine
from courseware.grading.sandbox import Job, Limits, Sandbox

MARK = "victim-mark-91d2"
QUOTA = 32 << 20


@pytest.fixture(scope="module")
def box():
    with Sandbox(Limits(cell_timeout=8, notebook_timeout=20, memory_mb=256, disk_bytes=QUOTA), jobs=2) as b:
        yield b


def run(box: Sandbox, *cells: str, variables=("a", "b")):
    [(_, result)] = list(box.run([Job("x", list(enumerate(cells, start=1)), list(variables))]))
    return result


def forge(line: dict, then: str = "") -> str:
    return (
        "import os\n"
        f"for fd in range(3, 1024):\n    try:\n        os.write(fd, {json.dumps(line)!r}.encode() + b'\\n')\n"
        "    except OSError:\n        pass\n" + then
    )


# the thief builds the mark at run time, so that its own code does not contain it
THIEF = f"""
import gc
mark = {MARK[:7]!r} + {MARK[7:]!r}
a = None
for o in gc.get_objects():
    d = getattr(o, "__dict__", None)
    for v in list(d.values()) if isinstance(d, dict) else []:
        if isinstance(v, (bytes, bytearray, str)):
            t = v if isinstance(v, str) else bytes(v).decode("utf-8", "replace")
            if mark in t:
                a = t
"""


def test_a_child_inherits_nothing_of_a_submission_sent_with_it(box):
    thief = Job("thief", [(1, THIEF)], ["a"])
    victims = [Job(f"victim{i}", [(1, f"b = 'secret answer'  # {MARK}")], ["b"]) for i in range(3)]
    results = dict(box.run([thief, *victims]))
    assert results["thief"].status == "finished"
    assert results["thief"].answers == {"a": None}
    assert all(results[v.key].answers == {"b": "secret answer"} for v in victims)


@pytest.mark.parametrize(
    "line",
    [
        {"error": {"bogus": 1}},
        {"error": {"cell": "x", "message": "m"}},
        {"done": True, "answers": ["q2"]},
        {"done": True, "answers": {}, "present": [], "output_bytes": "lots"},
        {"done": True, "answers": {"a": 1, "zz": 2}, "present": ["a", "zz"], "output_bytes": 0},
        {"cell": 99},
        {"confined": "yes"},
        {"attempt": ["x"]},
        {"unknown": 1},
    ],
    ids=lambda d: json.dumps(d)[:40],
)
def test_a_forged_line_marks_the_run_as_tampered(box, line):
    r = run(box, "a = 1", forge(line), "b = 2")
    assert r.status == "tampered", r
    assert "tampered with the grader's channel" in (r.detail or "")


def test_a_forged_done_followed_by_an_exit_is_detected(box):
    r = run(
        box,
        forge({"done": True, "answers": {"a": 5}, "present": ["a"], "output_bytes": 0}, "os._exit(0)"),
        "a = 1",
        "b = 2",
    )
    assert r.status == "tampered", r


def test_replacing_json_does_not_silence_the_record_of_refusals(box):
    r = run(
        box,
        "import json\njson.dumps = lambda *a, **k: '{}'\njson.JSONEncoder.encode = lambda *a: '{}'",
        "try:\n    open('/etc/passwd').read()\nexcept OSError:\n    pass\na = 1",
    )
    assert r.status == "finished", r
    assert r.attempts == ["open /etc/passwd"]


def test_silencing_the_audit_hook_is_detected(box):
    silence = (
        "import gc\n"
        "for o in gc.get_objects():\n"
        "    if type(o).__name__ == 'function' and o.__closure__ and o.__module__.endswith('confine'):\n"
        "        for c in o.__closure__:\n"
        "            if callable(getattr(c, 'cell_contents', None)):\n"
        "                c.cell_contents = lambda *a, **k: None\n"
    )
    r = run(box, silence, "try:\n    open('/etc/passwd').read()\nexcept Exception:\n    pass\na = 1")
    assert r.status == "tampered" or "open /etc/passwd" in r.attempts, r


def test_no_datagram_leaves_and_the_attempt_is_recorded(box):
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        r = run(
            box,
            f"import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            f"s.sendto(b'leak', ('127.0.0.1', {port}))\na = 1",
        )
        with pytest.raises(TimeoutError):
            listener.recvfrom(100)
    finally:
        listener.close()
    assert r.status == "killed" and "network" in (r.detail or ""), r


@pytest.mark.skipif(confine.seccomp_arch() is None, reason="no seccomp filter for this processor")
def test_forks_through_ctypes_are_stopped_even_as_root(box):
    r = run(
        box, "from courseware.grading import confine\nfor _ in range(400):\n    confine._libc.fork()\na = 1"
    )
    assert r.status == "killed" and "forbidden system call" in (r.detail or ""), r


def test_scratch_space_is_bounded_in_total(box):
    flood = (
        "a = 0\ntry:\n    for i in range(1000):\n        with open(f'f{i}', 'wb') as f:\n"
        "            f.write(b'x' * (8 * 2**20))\n        a += 8 * 2**20\nexcept OSError:\n    pass"
    )
    r = run(box, flood)
    assert r.status == "finished", r
    assert r.answers["a"] <= QUOTA


def _processes_under(folder: Path) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                cwd = os.readlink(f"/proc/{entry.name}/cwd")
            except OSError:
                continue
            if cwd.startswith(str(folder)):
                found.append(int(entry.name))
    return found


def test_killing_the_grader_leaves_nothing_running_and_nothing_stale(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    subs = tmp_path / "subs"
    subs.mkdir()
    ex = kit.fixture_exercise()
    for name in ("a", "b", "c"):
        (subs / f"{name}.ipynb").write_bytes(kit.dumps(kit.build(ex, before="import time\ntime.sleep(300)")))
    env = dict(os.environ, TMPDIR=str(tmp))
    cmd = [
        sys.executable,
        "-m",
        "courseware.cli",
        "grade",
        str(kit.FIXTURE),
        str(subs),
        "--gradebook",
        str(tmp_path / "gb.db"),
        "--jobs",
        "2",
        "--cell-timeout",
        "600",
        "--timeout",
        "600",
    ]
    grader = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(_processes_under(tmp)) < 3:
            time.sleep(0.2)
        assert len(_processes_under(tmp)) >= 3, "the children never started"
    finally:
        grader.send_signal(signal.SIGKILL)
        grader.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _processes_under(tmp):
        time.sleep(0.2)
    assert _processes_under(tmp) == []
    assert list(tmp.glob("courseware-grade-*")), "the killed run left its scratch folder"
    (subs / "a.ipynb").write_bytes(kit.dumps(kit.build(ex)))
    for name in ("b", "c"):
        (subs / f"{name}.ipynb").unlink()
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert list(tmp.glob("courseware-grade-*")) == []
