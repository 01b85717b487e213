"""The `courseware` command: exact messages and exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.helpers import FIXTURES, ROOT, copy_data, edit_yaml


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "courseware.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_validate_on_valid_data_prints_a_summary(tmp_path):
    data = copy_data(tmp_path)
    shutil.copy(FIXTURES / "themes" / "valid_theme.yml", data / "themes")
    result = run("validate", "--data", str(data))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 5 texts, 1 themes, 1 claim quotations,")


def test_validate_on_broken_data_lists_the_problem_and_exits_1(tmp_path):
    data = copy_data(tmp_path)
    edit_yaml(data / "sources.yml", lambda doc: doc[2].pop("url"))
    result = run("validate", "--data", str(data))
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "1 problem(s) in the course data:",
        '  - data/sources.yml: record "ict-aurora-2017", field "url": Field required.',
    ]


def test_validate_on_a_missing_folder(tmp_path):
    result = run("validate", "--data", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "is not a folder" in result.stderr


def test_unknown_command_is_a_usage_error():
    result = run("frobnicate")
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr
