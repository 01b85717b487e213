"""The `courseware` command: exact messages and exit codes, every subcommand's help, and errors that
name the command given to `main` (never read from `sys.argv`)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

import pytest

from courseware.cli import main, validate
from courseware.command_error import CommandError
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


# ---------------------------------------------------------------- in this process: main(argv)

COMMANDS = ["validate", "exercises", "release", "grade", "regrade", "export", "feedback", "analyse", "merge"]
FIXTURE = ROOT / "tests" / "grading" / "fixtures" / "soviets-fixture.yml"


def test_the_top_level_help_lists_every_subcommand(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    assert "{" + ",".join(COMMANDS) + "}" in capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_its_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: courseware {command} [-h]")
    assert "options:" in out


def test_errors_name_the_command_given_to_main_not_the_process_arguments(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["courseware", "validate", "--data", "elsewhere"])
    missing = tmp_path / "none.db"
    assert main(["export", "--format", "csv", "--gradebook", str(missing)]) == 1
    assert capsys.readouterr().err == (
        f"courseware export: {missing}: no such gradebook. "
        "Run `courseware grade` first or give --gradebook.\n"
    )
    monkeypatch.setattr(sys, "argv", ["pytest"])  # nothing after the program's name
    assert main(["validate", "--data", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err == (
        f"courseware validate: {tmp_path / 'nope'} is not a folder. Give the course's data folder.\n"
    )


def test_grade_records_the_command_it_was_given(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["courseware", "export", "--format", "csv"])
    (tmp_path / "empty").mkdir()
    gradebook = tmp_path / "gradebook.db"
    argv = ["grade", str(FIXTURE), str(tmp_path / "empty"), "--gradebook", str(gradebook)]
    argv += ["--deadlines", str(tmp_path / "none.yml")]
    assert main(argv) == 0, capsys.readouterr().err
    assert "Graded 0 submission(s) of soviets-fixture" in capsys.readouterr().out
    with sqlite3.connect(gradebook) as db:
        assert db.execute("SELECT command FROM runs").fetchall() == [(" ".join(argv),)]


def test_validate_called_directly_raises_the_error_main_prints(tmp_path):
    with pytest.raises(CommandError) as error:
        validate(data=tmp_path / "nope")
    assert error.value.code == 2 and not error.value.bare
    assert str(error.value) == f"{tmp_path / 'nope'} is not a folder. Give the course's data folder."
