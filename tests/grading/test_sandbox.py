"""The sandbox: answers come back as plain data; errors are recorded and later cells still run;
the child is confined, limited and sees nothing of the grader."""

from __future__ import annotations

import numpy as np
import pytest

from courseware.grading import confine
from courseware.grading.sandbox import Job, Limits, Sandbox, read_paths
from courseware.grading.worker import is_check_only, to_plain


class Liar(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


@pytest.mark.parametrize(
    "value, plain",
    [
        ("b", "b"),
        ((1, 2.5, None, True), [1, 2.5, None, True]),
        ({"a": [1, 2]}, {"a": [1, 2]}),
        ({1: "x"}, {"1": "x"}),
        (np.float64(2.5), 2.5),
        (np.int64(3), 3),
        (np.array([1, 2]), [1, 2]),
        (Liar("a"), {"__unsupported__": "Liar"}),
        ({frozenset(): 1}, {"__unsupported__": "dict with a frozenset key"}),
        ({1, 2}, {"__unsupported__": "set"}),
        ("x" * 100_001, {"__too_large__": "100,001 characters"}),
        (10**30, {"__too_large__": "an integer with more than 18 digits"}),
    ],
)
def test_answers_become_plain_data_or_a_marker(value, plain):
    assert to_plain(value) == plain


def test_only_cells_that_just_call_check_are_skipped():
    assert is_check_only('check("soviets_q1")')
    assert is_check_only('check("a")\ncheck("b")')
    assert not is_check_only('q1 = "b"\ncheck("soviets_q1")')
    assert not is_check_only("check(q1)")
    assert not is_check_only("")


def test_the_child_may_not_read_the_working_folder():
    assert all(p != p.cwd() for p in read_paths())


@pytest.fixture(scope="module")
def box():
    with Sandbox(Limits(cell_timeout=5, notebook_timeout=15, memory_mb=256), jobs=2) as b:
        yield b


def run(box: Sandbox, *cells: str, variables=("a", "b")):
    [(_, result)] = list(box.run([Job("x", list(enumerate(cells, start=1)), list(variables))]))
    return result


def test_errors_are_recorded_and_later_cells_run(box):
    r = run(box, "a = 1", "1 / 0", "b = a + 1", "def broken(:")
    assert r.status == "finished" and r.answers == {"a": 1, "b": 2}
    assert [(e.cell, e.message.split(":")[0]) for e in r.errors] == [
        (2, "ZeroDivisionError"),
        (4, "SyntaxError"),
    ]


def test_the_last_binding_wins(box):
    assert run(box, "a = 'first'", "a = 'last'").answers == {"a": "last"}


def test_the_environment_is_scrubbed(box, monkeypatch):
    r = run(box, "import os\na = sorted(os.environ)")
    assert r.answers["a"] == ["HOME", "LANG", "MPLBACKEND", "MPLCONFIGDIR", "PATH", "TMPDIR"]


def test_files_may_be_written_in_the_scratch_folder_only(box):
    r = run(
        box, "open('notes.txt', 'w').write('x')\na = open('notes.txt').read()", "open('/etc/hostname-x', 'w')"
    )
    assert r.answers == {"a": "x"}
    assert r.attempts == ["write /etc/hostname-x"]


@pytest.mark.skipif(confine.landlock_abi() < 1, reason="the kernel has no Landlock")
def test_landlock_refuses_what_the_audit_hook_cannot_see(box):
    # a call through ctypes is not audited, so only Landlock stands between it and the file
    code = "from courseware.grading import confine\na = confine._libc.open(b'/etc/passwd', 0)"
    r = run(box, code)
    assert r.confined is True and r.attempts == []
    assert r.answers["a"] == -1
