"""Costly things made once per test run and shared by every pytest-xdist worker."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

import pytest


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """A folder that `make` fills once per test run, shared by every worker of the run.

    The first worker to ask makes it while the others wait on a lock; then all read it (none may
    change it). If making it failed, every later ask fails with the same message at once."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder, made, failed = base / f"made-once-{name}", base / f"{name}.made", base / f"{name}.failed"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():
            pytest.fail(failed.read_text(encoding="utf-8"), pytrace=False)
        if not made.exists():
            folder.mkdir(exist_ok=True)
            try:
                make(folder)
            except BaseException as e:
                failed.write_text(f"{name}, made once for every test that needs it, failed: {e}", "utf-8")
                raise
            made.touch()
    return folder
