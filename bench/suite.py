"""Time the whole test suite as `make test` runs it, and show where each worker spent the time.

    .venv/bin/python bench/suite.py [PYTEST ARGS...]

Runs `pytest -n auto --dist loadfile --no-loadscope-reorder` (the command `bin/course test` runs)
with a plugin that records when each test starts and ends on each worker, then prints the suite's
wall time and CPU time, and for each worker the files it ran in order, with when each started and
how long it took (files under 3 s are summed). The target is the whole suite under 5 minutes; the
order the files start in is `FIRST` in `tests/conftest.py`.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = ["-m", "pytest", "-n", "auto", "--dist", "loadfile", "--no-loadscope-reorder", "-q"]
SHOWN = 3.0  # seconds: a file quicker than this is counted, not listed


@dataclass
class FileRun:
    path: str
    start: float
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


def worker_files(log: Path) -> dict[str, list[FileRun]]:
    """Each worker's files in the order it ran them, from the plugin's records."""
    runs: dict[str, list[FileRun]] = defaultdict(list)
    for path in sorted(log.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            name = rec["test"].split("::")[0]
            files = runs[path.stem]
            if files and files[-1].path == name:
                files[-1].end = rec["t"]
            else:
                files.append(FileRun(name, rec["t"], rec["t"]))
    return dict(runs)


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as log:
        env = {
            **os.environ,
            "BENCH_SUITE_LOG": log,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")]),
        }
        start = time.monotonic()
        done = subprocess.run(
            [sys.executable, *COMMAND, "-p", "suite_timeline", *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.monotonic() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        runs = worker_files(Path(log))
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "(no output)"
    cores = len(os.sched_getaffinity(0))
    cpu = usage.ru_utime + usage.ru_stime
    print(f"the suite: {summary}")
    print(f"wall clock {wall:.1f} s ({wall / 60:.1f} min; target 5 min), exit {done.returncode}")
    print(
        f"CPU {cpu:.0f} s (user {usage.ru_utime:.0f}, system {usage.ru_stime:.0f}): "
        f"{cpu / (wall * cores):.0%} of {cores} cores"
    )
    t0 = min((f.start for files in runs.values() for f in files), default=0.0)
    for worker, files in sorted(runs.items()):
        busy = files[-1].end - t0 if files else 0.0
        print(f"\n{worker}: last test ended at {busy:.1f} s")
        rest = [f for f in files if f.seconds < SHOWN]
        for f in files:
            if f.seconds >= SHOWN:
                print(f"  {f.start - t0:6.1f} s  {f.seconds:6.1f} s  {f.path}")
        print(f"  {len(rest)} quicker files: {sum(f.seconds for f in rest):.1f} s")
    if done.returncode != 0:
        print("\n" + done.stdout[-3000:])
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
