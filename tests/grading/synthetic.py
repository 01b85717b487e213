"""A synthetic class for (a frozen copy of) the soviets exercise, with answers designed so every
statistic of the item analysis has a value known in advance. Rows are judged by the real judge and
written by the real gradebook; only the sandbox run is skipped (the answers are given as the data it
would return).

Student k (0..99, id ``s000``..``s099``) answers:

- q1 (practice attribution, key ict-aurora-2017): right when k is even; odd k name hampton-awl below
  50 and callinicos-1977 from 50;
- q2 (attribution, key callinicos-1977): right when k >= 20; k < 15 name ict-aurora-2017, 15..19 hampton-awl;
- q3 (attribution, key hampton-awl): right when k >= 70; k < 50 name callinicos-1977, 50..69 icf-98-2017;
- q4 (choice, key a): right when k < 40 (an item weak students get right); 40..79 answer b, 80..99 c;
- q5 (ordering, 2 points): the key when k >= 30, else the key reversed (0 points);
- q6 (matching, 4 points): k // 20 of the four pairs right (0, 1, 2, 3, 4);
- q7 (number, 2 points): right when k >= 50;
- q8 (written): an answer, not marked.

Totals never decrease with k (1, 3, 5, 5, 7, 8, 9, 10 from k = 0, 20, 30, 40, 50, 60, 70, 80), so the
top 27 % by total are k = 73..99 and the bottom 27 % are k = 0..26. Two more files are unreadable
(under review) and must be left out of every statistic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from courseware.grading.gradebook import Gradebook
from courseware.grading.intake import Submission
from courseware.grading.judge import judge_submission
from courseware.grading.pipeline import fingerprint, load_exercise
from courseware.grading.runrecord import RunRecord
from courseware.items import Exercise

N = 100
# frozen copies, so the designed values hold while the live exercises are revised
SOVIETS = Path(__file__).resolve().parent / "fixtures" / "frozen" / "soviets.yml"
KRONSTADT = Path(__file__).resolve().parent / "fixtures" / "frozen" / "kronstadt.yml"


def soviets() -> Exercise:
    return load_exercise(str(SOVIETS))


def kronstadt() -> Exercise:
    return load_exercise(str(KRONSTADT))


def answers_for(k: int, exercise: Exercise) -> dict[str, Any]:
    key = {i.id: i.key for i in exercise.items}
    q6_key: dict[str, str] = key["soviets_q6"]
    right = sorted(q6_key)[: k // 20]
    return {
        "q1": "ict-aurora-2017" if k % 2 == 0 else "hampton-awl" if k < 50 else "callinicos-1977",
        "q2": "callinicos-1977" if k >= 20 else "ict-aurora-2017" if k < 15 else "hampton-awl",
        "q3": "hampton-awl" if k >= 70 else "callinicos-1977" if k < 50 else "icf-98-2017",
        "q4": "a" if k < 40 else "b" if k < 80 else "c",
        "q5": list(key["soviets_q5"]) if k >= 30 else list(reversed(key["soviets_q5"])),
        "q6": {left: (q6_key[left] if left in right else "imported") for left in sorted(q6_key)},
        "q7": 31.8 if k >= 50 else 50.0,
        "q8": f"Student {k} argues as the anarchist essay would (paragraph 7) and compares Callinicos 51.",
    }


def key_answers_for(exercise: Exercise, wrong: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every item answered with its key (written items with a text); items in `wrong` left unset."""
    return {
        item.variable: item.key if item.kind != "written" else "An answer citing paragraph 7 and 51."
        for item in exercise.items
        if item.id not in wrong
    }


def record(
    gb: Gradebook, exercise: Exercise, student: str, answers: dict[str, Any] | None, **kw: Any
) -> None:
    """Judge `answers` as the pipeline would and write the row; `kw` overrides Submission fields."""
    data = json.dumps({"student": student, "answers": answers}, sort_keys=True).encode()
    fields: dict[str, Any] = dict(
        student=student,
        name=student,
        lms="folder",
        filename=f"{student}.ipynb",
        data=data,
        modified="2026-10-12T12:00:00+00:00",
    )
    fields.update(kw)
    sub = Submission(**fields)
    problem = None if answers is not None else "the file is empty (0 bytes)"
    outcome = judge_submission(exercise, answers, problem=problem)
    run = RunRecord(problem=problem)
    gb.update_or_create_exercise(
        exercise.id, exercise.title, fingerprint(exercise), exercise.model_dump_json()
    )
    gb.update_or_create_submission(
        exercise.id, sub, outcome, run, answers, f"{fingerprint(exercise)}:{sub.sha256}"
    )


def synthetic_class(path: Path) -> Path:
    """The designed class (N students and two unreadable files) in a new gradebook at `path`."""
    exercise = soviets()
    with Gradebook(path) as gb:
        for k in range(N):
            record(gb, exercise, f"s{k:03d}", answers_for(k, exercise))
        for bad in ("zz-broken-1", "zz-broken-2"):
            record(gb, exercise, bad, None)
    return path
