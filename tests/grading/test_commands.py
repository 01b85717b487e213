"""The regrade and feedback commands: one student, exact messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import kit
import pytest
import yaml

from courseware.cli import main
from courseware.command_error import CommandError
from courseware.grading.commands import merge, regrade
from courseware.grading.gradebook import Gradebook
from courseware.grading.sandbox import Limits


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cw(capsys):
    """Run `courseware ARGS...` in this process; return its exit code and output."""

    def run(*args: str) -> Result:
        code = main(list(args))
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return run


def test_regrade_one_student_after_a_key_change(cw, gradebook_copy, tmp_path):
    data = yaml.safe_load(kit.FIXTURE.read_text())
    data["items"][0]["key"] = "a"  # the instructor decides "a" is right after all
    fixed = tmp_path / "soviets-fixture.yml"
    fixed.write_text(yaml.safe_dump(data))
    r = cw("regrade", str(fixed), "carol", "--gradebook", str(gradebook_copy))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "soviets-fixture carol: 10 / 16, graded"
    with Gradebook(gradebook_copy) as gb:
        assert gb.find_submission("soviets-fixture", "carol").total == 10  # was 9; q1 is now right
        assert gb.find_submission("soviets-fixture", "alice").total == kit.FULL_AUTO  # untouched


def test_accepting_a_reviewed_submission(cw, gradebook_copy):
    r = cw("regrade", str(kit.FIXTURE), "broken", "--accept", "--gradebook", str(gradebook_copy))
    assert r.returncode == 0
    assert "0 / 16, graded (accepted by the instructor)" in r.stdout


def test_rerun_runs_the_archived_notebook_again(cw, gradebook_copy):
    r = cw("regrade", str(kit.FIXTURE), "bob", "--rerun", "--gradebook", str(gradebook_copy))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "soviets-fixture bob: 7.5 / 16, graded"


def test_regrade_of_an_unknown_student(cw, gradebook_copy):
    r = cw("regrade", str(kit.FIXTURE), "zoe", "--gradebook", str(gradebook_copy))
    assert r.returncode == 1
    assert r.stderr.startswith("courseware regrade: ")
    assert "no submission of 'soviets-fixture' by student 'zoe'" in r.stderr


def test_regrade_called_directly_raises_what_main_prints(gradebook_copy):
    with pytest.raises(CommandError, match="by student 'zoe'") as error:
        regrade(exercise=str(kit.FIXTURE), student="zoe", gradebook=gradebook_copy, limits=Limits())
    assert error.value.code == 1


def test_merge_called_directly(class_gradebook, tmp_path, capsys):
    merge(gradebooks=[class_gradebook], output=tmp_path / "class.db")
    assert capsys.readouterr().out.startswith("Merged 1 gradebook(s) into ")
    with pytest.raises(CommandError, match="already exists") as error:
        merge(gradebooks=[class_gradebook], output=tmp_path / "class.db")
    assert error.value.code == 2


def test_grade_with_an_unknown_exercise(cw, tmp_path):
    r = cw("grade", "no-such-exercise", str(tmp_path))
    assert r.returncode == 2
    assert "no exercise 'no-such-exercise'" in r.stderr and "instructor/exercises/" in r.stderr


def test_feedback_writes_one_page_per_student(cw, class_gradebook, tmp_path):
    r = cw("feedback", "--gradebook", str(class_gradebook), "-o", str(tmp_path / "fb"))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in Path(tmp_path / "fb" / "soviets-fixture").iterdir()) == [
        "alice.html",
        "bob.html",
        "broken.html",
        "carol.html",
        "dave.html",
    ]
