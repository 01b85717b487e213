"""The walls the zygote builds once for all its children still separate each child from the others:
a scratch folder no other child sees, one empty network namespace in which no child can name a
socket, no signal to a sibling or to the zygote, nothing written outside a child's own tmpfs. And
without namespaces each child still gets a folder of its own."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from courseware.grading import confine
from courseware.grading.sandbox import Job, Limits, Sandbox

LIBC = "from courseware.grading.confine import _libc as libc\nimport ctypes, os\n"


@pytest.fixture(scope="module")
def box():
    with Sandbox(
        Limits(cell_timeout=10, notebook_timeout=20, memory_mb=256), jobs=2, preload_heavy=False
    ) as b:
        yield b


@pytest.fixture(scope="module")
def namespaced(box):
    [(_, r)] = list(box.run([Job("probe", [(1, "a = 1")], ["a"])]))
    if not (r.walls or {}).get("namespaces"):
        pytest.skip("the kernel does not allow user namespaces here")
    return box


def run_together(box: Sandbox, *jobs: tuple[str, str, list[str]]) -> dict:
    results = dict(box.run([Job(key, [(1, code)], variables) for key, code, variables in jobs]))
    for key, r in results.items():
        assert r.status == "finished", (key, r)
    return results


def test_a_child_never_sees_the_scratch_files_of_a_child_running_beside_it(namespaced):
    writer = "import time\nopen('secret.txt', 'w').write('mine')\na = sorted(os.listdir('.'))\ntime.sleep(2)"
    looker = (
        "import time\ntime.sleep(0.7)\na = sorted(os.listdir('.'))\n"
        "try:\n    b = open('secret.txt').read()\nexcept OSError as e:\n    b = type(e).__name__"
    )
    results = run_together(
        namespaced, ("writer", "import os\n" + writer, ["a"]), ("looker", "import os\n" + looker, ["a", "b"])
    )
    assert results["writer"].answers == {"a": ["secret.txt"]}
    assert results["looker"].answers == {"a": [], "b": "FileNotFoundError"}
    [(_, later)] = list(namespaced.run([Job("later", [(1, "import os\na = os.listdir('.')")], ["a"])]))
    assert later.answers == {"a": []}


def test_nothing_is_written_beside_the_private_tmpfs(namespaced):
    # through ctypes, past the audit hook: only the read-only box and Landlock are in the way
    code = LIBC + "a = [libc.open(b'../escape', 0o101, 0o600), libc.mkdir(b'../escape-dir', 0o700)]"
    [(_, r)] = list(namespaced.run([Job("escape", [(1, code)], ["a"])]))
    assert r.answers == {"a": [-1, -1]}, r
    assert list((namespaced.scratch / "box").iterdir()) == []


def test_children_share_one_empty_network_namespace_that_is_not_the_graders(namespaced):
    code = "import os\na = os.readlink('/proc/self/ns/net')\nb = os.getppid()"
    results = run_together(namespaced, ("one", code, ["a", "b"]), ("two", code, ["a", "b"]))
    net, zygote = results["one"].answers["a"], results["one"].answers["b"]
    assert net != os.readlink("/proc/self/ns/net")
    assert results["two"].answers["a"] == net == os.readlink(f"/proc/{zygote}/ns/net")
    devices = [
        line.split(":")[0].strip() for line in Path(f"/proc/{zygote}/net/dev").read_text().splitlines()[2:]
    ]
    assert devices == ["lo"]
    assert "127.0.0.1" not in Path(f"/proc/{zygote}/net/fib_trie").read_text()  # loopback is down


@pytest.mark.skipif(confine.seccomp_arch() is None, reason="no seccomp filter for this processor")
def test_a_child_can_name_no_socket_where_another_could_find_it(box):
    # a socketpair needs no socket(): it may be made, but neither bound to a name nor given one by
    # the kernel (SO_PASSCRED makes the kernel name it on its first send)
    code = LIBC + (
        "import socket\ns, _ = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
        "addr = b'\\x01\\x00\\x00courseware-probe'\none = ctypes.c_int(1)\n"
        "def errno(r):\n    return 0 if r == 0 else ctypes.get_errno()\n"
        "a = [errno(libc.bind(s.fileno(), addr, len(addr)))]\n"
        "a += [errno(libc.setsockopt(s.fileno(), 1, opt, ctypes.byref(one), 4)) for opt in (16, 76, 7)]"
    )
    [(_, r)] = list(box.run([Job("names", [(1, code)], ["a"])]))
    eperm = 1
    assert r.answers == {"a": [eperm, eperm, eperm, 0]}, r  # bind, SO_PASSCRED, SO_PASSPIDFD, SO_SNDBUF


@pytest.mark.skipif(confine.landlock_abi() < 6, reason="Landlock scopes signals from ABI 6")
def test_a_child_signals_neither_its_siblings_nor_the_zygote(box):
    # signal 0 checks the permission only; a sibling runs beside it, started just before or after
    probe = LIBC + (
        "import time\nme = os.getpid()\nok = []\n"
        "for pid in [os.getppid()] + list(range(me - 40, me + 40)):\n"
        "    if pid != me and libc.kill(pid, 0) == 0:\n        ok.append(pid)\n"
        "a = ok\ntime.sleep(0.5)"
    )
    results = run_together(box, ("one", probe, ["a"]), ("two", probe, ["a"]))
    assert results["one"].answers == results["two"].answers == {"a": []}


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.parametrize("reaped", [True, False], ids=["reaped-before-the-job", "dying-as-it-comes"])
def test_a_job_still_runs_when_the_spare_child_waiting_for_it_has_died(namespaced, reaped):
    list(namespaced.run([Job("before", [(1, "a = 1")], ["a"])]))
    [zygote] = _children_of(namespaced.proc.pid)
    spares = _children_of(zygote)
    assert len(spares) == 1  # walled in, waiting for the next job
    os.kill(spares[0], signal.SIGKILL)
    deadline = time.monotonic() + 10
    while reaped and Path(f"/proc/{spares[0]}").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    for key in ("after", "and-the-next"):
        [(_, r)] = list(namespaced.run([Job(key, [(1, "a = 2")], ["a"])]))
        assert r.status == "finished" and r.answers == {"a": 2}, r


NAMES = "a = sorted(k for k in dir() if not k.startswith('_'))\nb = get_ipython().execution_count"


@pytest.fixture(scope="module")
def unshared():
    limits = Limits(cell_timeout=10, notebook_timeout=20)
    with Sandbox(limits, jobs=1, preload_heavy=False, namespaces=False) as b:
        yield b


def test_the_spares_warm_up_leaves_nothing_in_the_notebook(namespaced, unshared):
    # a child forked when its job came (no namespaces, so no spare) is the reference
    [(_, spared)] = list(namespaced.run([Job("spare", [(1, NAMES)], ["a", "b"])]))
    [(_, forked)] = list(unshared.run([Job("forked", [(1, NAMES)], ["a", "b"])]))
    assert spared.status == forked.status == "finished"
    assert spared.answers == forked.answers


def test_without_namespaces_each_child_writes_in_a_folder_of_its_own(unshared):
    write = "import os\nopen('mine.txt', 'w').write('x')\na = [os.listdir('.'), os.getcwd()]"
    results = dict(unshared.run([Job(k, [(1, write)], ["a"]) for k in ("one", "two")]))
    assert {k: r.status for k, r in results.items()} == {"one": "finished", "two": "finished"}
    assert all(r.walls["namespaces"] is False for r in results.values())
    (one, cwd1), (two, cwd2) = results["one"].answers["a"], results["two"].answers["a"]
    assert one == two == ["mine.txt"] and cwd1 != cwd2
    assert results["one"].attempts == results["two"].attempts == []


HOG = """import threading, time
stop = threading.Event()
n = 0
for _ in range(200):
    try:
        threading.Thread(target=stop.wait, daemon=True).start()
        n += 1
    except RuntimeError:
        break
time.sleep(2.5)
stop.set()
a = n
"""
VICTIM = """import threading, time
time.sleep(1.0)
done = threading.Event()
ok = 0
for _ in range(4):
    try:
        threading.Thread(target=done.wait, daemon=True).start()
        ok += 1
    except RuntimeError:
        pass
done.set()
a = ok
"""


def test_a_thread_hog_does_not_starve_its_neighbour():
    """The children share one user namespace: one child starting every thread it may must still leave
    a child running beside it the few threads its own cells start (a score depends only on the
    notebook's own work)."""
    with Sandbox(
        Limits(cell_timeout=10, notebook_timeout=20, memory_mb=512), jobs=2, preload_heavy=False
    ) as b:
        results = dict(b.run([Job("hog", [(1, HOG)], ["a"]), Job("victim", [(1, VICTIM)], ["a"])]))
    assert results["hog"].status == "finished", results["hog"]
    assert results["hog"].answers["a"] > 0
    assert results["victim"].answers == {"a": 4}, results["victim"]
