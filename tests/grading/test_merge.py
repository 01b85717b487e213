"""Grading past one machine: `grade --shard I/N` into one gradebook per shard, then `merge`, gives the
gradebook a single run gives; merging refuses different exercise definitions, a student in two
inputs, and a missing or repeated shard, writing nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import kit
import pytest
from synthetic import key_answers_for, record, soviets

from courseware.cli import main
from courseware.grading.gradebook import Gradebook
from courseware.grading.merge import MergeError, merge
from courseware.grading.shard import ShardError, parse_shard, shard_of

COURSEWARE = [sys.executable, "-m", "courseware.cli"]


def dump(path: Path) -> list[tuple]:
    with Gradebook(path) as gb:
        return gb.dump()


# ---------------------------------------------------------------- shards


def test_each_student_is_in_exactly_one_shard_and_the_split_is_even_enough():
    students = [str(10000 + n) for n in range(400)]
    sizes = [sum(parse_shard(f"{i}/4").holds(s) for s in students) for i in range(1, 5)]
    assert sum(sizes) == 400 and min(sizes) > 70
    assert all(shard_of(s, 4) == shard_of(s, 4) for s in students)  # no state, no order


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("2-4", "--shard 2-4: give the shard as I/N, e.g. 2/4 for the second of four shards"),
        ("5/4", "--shard 5/4: the shard number must be from 1 to 4 (e.g. 1/4 … 4/4)"),
    ],
)
def test_a_bad_shard_is_refused_with_the_form_to_use(spec, message, tmp_path, capsys):
    with pytest.raises(ShardError, match="give the shard|must be from"):
        parse_shard(spec)
    assert main(["grade", str(kit.FIXTURE), str(tmp_path), "--shard", spec]) == 2
    assert message in capsys.readouterr().err


def test_a_shard_gradebook_is_not_reused_for_another_shard(tmp_path, capsys):
    gb = tmp_path / "shard.db"
    with Gradebook(gb) as g:
        g.update_or_create_meta("shard", "1/4")
    assert main(["grade", str(kit.FIXTURE), str(tmp_path), "--shard", "2/4", "--gradebook", str(gb)]) == 2
    assert "holds shard 1/4, not 2/4. Give each shard its own --gradebook file." in capsys.readouterr().err


# ---------------------------------------------------------------- merge refuses


def shard_book(path: Path, students: list[str], label: str | None, exercise=None) -> Path:
    ex = exercise or soviets()
    with Gradebook(path) as gb:
        for s in students:
            record(gb, ex, s, key_answers_for(ex))
        if label:
            gb.update_or_create_meta("shard", label)
    return path


def test_merge_refuses_a_student_in_two_inputs(tmp_path):
    a = shard_book(tmp_path / "a.db", ["1", "2"], None)
    b = shard_book(tmp_path / "b.db", ["2", "3"], None)
    with pytest.raises(MergeError) as err:
        merge([a, b], tmp_path / "class.db")
    assert f"1 student(s) are in more than one input: soviets student 2 in {a}, {b}" in str(err.value)
    assert not (tmp_path / "class.db").exists()


def test_merge_refuses_different_exercise_definitions(tmp_path):
    ex = soviets()
    changed = ex.model_copy(update={"title": "Soviets (changed)"})
    a = shard_book(tmp_path / "a.db", ["1"], None)
    b = shard_book(tmp_path / "b.db", ["2"], None, exercise=changed)
    with pytest.raises(MergeError, match=r"exercise 'soviets' was graded from different definitions"):
        merge([a, b], tmp_path / "class.db")


def test_merge_refuses_missing_and_repeated_shards(tmp_path, capsys):
    a = shard_book(tmp_path / "a.db", ["1"], "1/3")
    b = shard_book(tmp_path / "b.db", ["2"], "2/3")
    c = shard_book(tmp_path / "c.db", ["3"], "2/3")
    out = tmp_path / "class.db"
    assert main(["merge", str(a), str(b), "-o", str(out)]) == 2
    assert (
        "shard(s) 3/3 are missing. Grade them and merge all 3, or pass --partial" in capsys.readouterr().err
    )
    with pytest.raises(MergeError, match=rf"shard 2/3 is given twice: {b}, {c}"):
        merge([a, b, c], out)
    assert main(["merge", str(a), str(b), "-o", str(out), "--partial"]) == 0
    assert "Merged 2 gradebook(s) (shards 1/3, 2/3)" in capsys.readouterr().out
    assert main(["merge", str(a), str(b), "-o", str(out), "--partial"]) == 2
    assert "class.db already exists. Give another -o, or --force to replace it." in capsys.readouterr().err


def test_merging_rubric_marks_and_lateness_keeps_them(tmp_path):
    from courseware.grading.deadlines import Deadlines, apply_deadlines
    from courseware.grading.judge import RubricMark

    a = shard_book(tmp_path / "a.db", ["1"], "1/2")
    b = shard_book(tmp_path / "b.db", ["2"], "2/2")
    rule = Deadlines.model_validate({"exercises": {"soviets": {"deadline": "2026-10-01T00:00:00+00:00"}}})
    for path, student in ((a, "1"), (b, "2")):
        with Gradebook(path) as gb:
            gb.update_or_create_mark("soviets", student, "soviets_q8", RubricMark(["position"], None, "ok"))
            apply_deadlines(gb, "soviets", rule)
    merge([a, b], tmp_path / "class.db")
    with Gradebook(tmp_path / "class.db") as gb:
        assert set(gb.find_marks("soviets")) == {("1", "soviets_q8"), ("2", "soviets_q8")}
        assert set(gb.find_lateness("soviets")) == {"1", "2"}
        assert set(gb.find_grade_times("soviets")) == {"1", "2"}
    assert sorted(dump(tmp_path / "class.db")) == sorted(dump(a) + dump(b)[1:])  # the exercise row once


# ---------------------------------------------------------------- the whole path, on one machine


def write_class(folder: Path, n: int) -> Path:
    """n notebooks in Canvas's naming, with different answers, and one unreadable file."""
    ex = kit.fixture_exercise()
    folder.mkdir()
    variants = [
        {},
        {"soviets_q1": 'q1_year_choice = "a"'},
        {"soviets_q3": 'q3_order = ["oct", "feb", "kron", "nep"]'},
    ]
    for k in range(n):
        answers = dict(kit.solutions(ex))
        answers.update(variants[k % len(variants)])
        (folder / f"student{k}_{20000 + k}_{30000 + k}_fixture.ipynb").write_bytes(
            kit.dumps(kit.build(ex, answers))
        )
    (folder / f"broken_{20000 + n}_{30000 + n}_fixture.ipynb").write_bytes(b'{"nbformat": 4, "cells": [')
    return folder


def grade_cmd(subs: Path, gb: Path, *extra: str) -> list[str]:
    return [*COURSEWARE, "grade", str(kit.FIXTURE), str(subs), "--gradebook", str(gb), "--jobs", "1", *extra]


@pytest.mark.slow
def test_four_shards_graded_as_separate_processes_and_merged_equal_one_run(tmp_path):
    subs = write_class(tmp_path / "subs", 11)
    single = tmp_path / "single.db"
    subprocess.run(grade_cmd(subs, single), check=True, capture_output=True, timeout=600)

    # the shards run as four processes at once, as a job array or GNU parallel would run them
    procs = [
        subprocess.Popen(
            grade_cmd(subs, tmp_path / f"shard-{i}.db", "--shard", f"{i}/4"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(1, 5)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    counts = [int(out.split("Shard ")[1].split(": ")[1].split(" of")[0]) for out, _ in outputs]
    assert sum(counts) == 12

    merged = tmp_path / "class.db"
    shards = [str(tmp_path / f"shard-{i}.db") for i in range(1, 5)]
    done = subprocess.run([*COURSEWARE, "merge", *shards, "-o", str(merged)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Merged 4 gradebook(s) (shards 1/4, 2/4, 3/4, 4/4) into" in done.stdout
    assert "soviets-fixture: 12 student(s)" in done.stdout
    assert dump(merged) == dump(single)
