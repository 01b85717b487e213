"""A pytest plugin for `bench/suite.py`: each test's start and end, per worker, as JSON lines in the
folder `BENCH_SUITE_LOG` names (one file per worker)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

_LOG = os.environ.get("BENCH_SUITE_LOG")
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
_recording = False


def pytest_configure(config: pytest.Config) -> None:
    """Record where tests run: in each worker, or in the one process if there are none (the
    controller of a distributed run only hears of its workers' tests)."""
    global _recording
    _recording = bool(_LOG) and (hasattr(config, "workerinput") or config.getoption("dist", "no") == "no")


def _write(event: str, nodeid: str) -> None:
    if _recording:
        with (Path(_LOG) / f"{_WORKER}.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps({"t": time.time(), "event": event, "test": nodeid}) + "\n")


def pytest_runtest_logstart(nodeid: str, location: object) -> None:
    _write("start", nodeid)


def pytest_runtest_logfinish(nodeid: str, location: object) -> None:
    _write("end", nodeid)
