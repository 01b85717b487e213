"""The code stays as `make lint` wants it: ruff's rules and its formatting, over the package, the
tests and the benchmarks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUFF = Path(sys.executable).parent / "ruff"
PATHS = ["courseware", "tests", "bench"]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["rules", "format"])
def test_ruff_is_clean(command: list[str]) -> None:
    result = subprocess.run([str(RUFF), *command, *PATHS], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, (
        f"`ruff {' '.join(command)}` found problems (fix: make lint):\n{result.stdout}"
    )
