"""Benchmark: `courseware grade` against nbgrader's `autograde` on the same 200 submissions.

    .venv/bin/python bench/grading.py [--exercise soviets] [--students 200] [--jobs 2]

1. Makes N synthetic submissions of one exercise: a quarter right (the solutions), a quarter partly
   right (each item right, half right or wrong at random), a quarter wrong, a quarter blank.
2. Grades them with `courseware grade` (wall clock, including the worker's start-up).
3. Installs nbgrader (pinned below) from PyPI into its own virtual environment in a temporary folder,
   converts the exercise to an nbgrader source notebook (each answer cell a solution cell, each item
   an autograder test cell that computes the same points as `courseware.grading.judge`: all or
   nothing for choice and number, the share of pairs for ordering, the share of matches for
   matching, hidden tests included), releases it, puts the same answers in nbgrader's `submitted/`
   layout, and times `nbgrader autograde`. nbgrader's kernel is this course's Python, so both run
   the same code with the same packages.
4. Checks that every student's automatic score agrees (written items are pending in both), and
   prints each tool's throughput and the ratio, measured in this one run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from courseware.authoring import student_notebook  # noqa: E402
from courseware.grading.pipeline import load_exercise  # noqa: E402
from courseware.items import Exercise, Item  # noqa: E402

NBGRADER = "nbgrader==0.9.6"


# ---------------------------------------------------------------- synthetic answers


def answer_code(item: Item, quality: str, rng: random.Random) -> str | None:
    """Code for an answer cell: "right", "partly", "wrong"; None means the starter (blank)."""
    v = item.variable
    if quality == "partly":
        quality = rng.choice(["right", "half", "wrong"])
    if quality == "right" or (quality == "half" and item.kind not in ("ordering", "matching")):
        return item.solution.strip() if quality == "right" else answer_code(item, "wrong", rng)
    if item.kind in ("choice", "attribution"):
        return f"{v} = {sorted(o for o in item.options if o != item.key)[0]!r}"
    if item.kind == "number":
        return f"{v} = {float(item.key) + 1000!r}"
    if item.kind == "ordering":
        key = list(item.key)
        if quality == "half":
            key[0], key[1] = key[1], key[0]
            return f"{v} = {key!r}"
        return f"{v} = {key[::-1]!r}"
    if item.kind == "matching":
        wrong = {k: sorted(o for o in item.options if o != val)[0] for k, val in item.key.items()}
        if quality == "half":
            keys = sorted(item.key)
            wrong = {k: (item.key[k] if i % 2 else wrong[k]) for i, k in enumerate(keys)}
        return f"{v} = {wrong!r}"
    return f"{v} = 'I am not sure.'"


def make_answers(exercise: Exercise, n: int, seed: int = 1917) -> dict[str, dict[str, str | None]]:
    rng = random.Random(seed)
    qualities = ["right", "partly", "wrong", "blank"]
    out = {}
    for k in range(n):
        q = qualities[k % 4]
        out[f"s{k:03d}"] = {i.id: (None if q == "blank" else answer_code(i, q, rng)) for i in exercise.items}
    return out


def fill(nb: nbformat.NotebookNode, answers: dict[str, str | None], meta_key: str) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        item = (
            cell.metadata.get(meta_key, {}).get("item")
            if meta_key == "courseware"
            else cell.metadata.get("nbgrader", {}).get("grade_id", "").removesuffix("-answer")
        )
        role = cell.metadata.get("courseware", {}).get("role")
        if meta_key == "courseware" and role != "answer":
            continue
        if meta_key == "nbgrader" and not cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        if item in answers and answers[item] is not None:
            cell.source = answers[item]
    return nb


# ---------------------------------------------------------------- nbgrader's side


def test_code(item: Item) -> str:
    """An autograder test cell whose last expression is the item's points (nbgrader's partial credit)."""
    v, p = item.variable, float(item.points)
    hidden = " and ".join(f"({t})" for t in item.hidden_tests) or "True"
    get = f"answer = globals().get({v!r})\n"
    if item.kind in ("choice", "attribution"):
        body = (
            f"ok = isinstance(answer, str) and answer.strip().lower() == {str(item.key).lower()!r}\n"
            f"credit = 1.0 if ok else 0.0\n"
        )
    elif item.kind == "number":
        key = float(item.key)
        body = (
            "import numbers, math\n"
            "ok = isinstance(answer, numbers.Real) and not isinstance(answer, bool) "
            f"and math.isfinite(answer) and abs(answer - {key!r}) <= "
            f"{item.tolerance!r} + 1e-9 * max(1.0, {abs(key)!r})\n"
            "credit = 1.0 if ok else 0.0\n"
        )
    elif item.kind == "ordering":
        key = [str(k) for k in item.key]
        body = (
            f"key = {key!r}\n"
            "ok = isinstance(answer, list) and sorted(map(str, answer)) == sorted(key) "
            "and len(answer) == len(key)\n"
            "pos = {a: i for i, a in enumerate(answer)} if ok else {}\n"
            "pairs = [(key[i], key[j]) for i in range(len(key)) for j in range(i + 1, len(key))]\n"
            "credit = sum(pos[a] < pos[b] for a, b in pairs) / len(pairs) if ok else 0.0\n"
        )
    elif item.kind == "matching":
        body = (
            f"key = {dict(item.key)!r}\n"
            "ok = isinstance(answer, dict)\n"
            "credit = sum(isinstance(answer.get(k), str) and answer[k].strip().lower() == str(val).lower() "
            "for k, val in key.items()) / len(key) if ok else 0.0\n"
        )
    else:
        raise ValueError(item.kind)
    hidden_check = (
        f"if credit > 0:\n    try:\n        credit = credit if ({hidden}) else 0.0\n"
        "    except Exception:\n        credit = 0.0\n"
    )
    return get + body + hidden_check + f"round({p} * credit, 2)"


def nbgrader_source(exercise: Exercise) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    cells = [nbformat.v4.new_code_cell(exercise.setup)]
    for item in exercise.items:
        cells.append(nbformat.v4.new_markdown_cell(item.prompt))
        cells.append(
            nbformat.v4.new_code_cell(
                item.solution.strip(),
                metadata={
                    "nbgrader": {
                        "solution": True,
                        "grade": False,
                        "locked": False,
                        "grade_id": f"{item.id}-answer",
                        "schema_version": 3,
                    }
                },
            )
        )
        if item.kind == "written":
            continue  # graded by hand in both tools
        if not item.graded:
            continue
        cells.append(
            nbformat.v4.new_code_cell(
                test_code(item),
                metadata={
                    "nbgrader": {
                        "solution": False,
                        "grade": True,
                        "locked": True,
                        "points": float(item.points),
                        "grade_id": f"{item.id}-test",
                        "schema_version": 3,
                    }
                },
            )
        )
    nb.cells = cells
    return nb


def install_nbgrader(where: Path) -> Path:
    venv = where / "nbgrader-venv"
    if not (venv / "bin" / "nbgrader").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", NBGRADER], check=True)
    return venv


def kernelspec(where: Path) -> Path:
    """A `python3` kernel that is this course's Python, found first through JUPYTER_PATH."""
    share = where / "share" / "jupyter"
    k = share / "kernels" / "python3"
    k.mkdir(parents=True, exist_ok=True)
    (k / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (course)",
                "language": "python",
            }
        )
    )
    return share


def run_nbgrader(exercise: Exercise, answers: dict, work: Path, venv: Path) -> tuple[float, dict[str, float]]:
    course = work / "nbgrader-course"
    if course.exists():
        shutil.rmtree(course)
    (course / "source" / exercise.id).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'bench'\n"
        "c.ExecutePreprocessor.timeout = 120\nc.Autograde.create_student = True\n"
    )
    nbformat.write(nbgrader_source(exercise), course / "source" / exercise.id / f"{exercise.id}.ipynb")
    env = dict(os.environ, JUPYTER_PATH=str(kernelspec(work)), PATH=f"{venv / 'bin'}:{os.environ['PATH']}")
    nbg = str(venv / "bin" / "nbgrader")
    subprocess.run(
        [nbg, "generate_assignment", exercise.id, "--force"],
        cwd=course,
        env=env,
        check=True,
        capture_output=True,
    )
    released = nbformat.read(course / "release" / exercise.id / f"{exercise.id}.ipynb", as_version=4)
    for student, ans in answers.items():
        folder = course / "submitted" / student / exercise.id
        folder.mkdir(parents=True)
        nbformat.write(fill(released, ans, "nbgrader"), folder / f"{exercise.id}.ipynb")
    started = time.perf_counter()
    r = subprocess.run(
        [nbg, "autograde", exercise.id, "--force"], cwd=course, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if r.returncode != 0:
        print(r.stdout[-3000:], r.stderr[-3000:], file=sys.stderr)
    subprocess.run([nbg, "export"], cwd=course, env=env, check=True, capture_output=True)
    with open(course / "grades.csv", newline="") as f:
        scores = {row["student_id"]: float(row["raw_score"] or 0) for row in csv.DictReader(f)}
    return seconds, scores


# ---------------------------------------------------------------- our side


def run_courseware(
    exercise: Exercise, answers: dict, work: Path, jobs: int
) -> tuple[float, dict[str, float]]:
    subs = work / "submissions"
    subs.mkdir()
    blank = student_notebook(exercise)
    for student, ans in answers.items():
        nbformat.write(fill(blank, ans, "courseware"), subs / f"{student}.ipynb")
    gb = work / "gradebook.db"
    started = time.perf_counter()
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "courseware.cli",
            "grade",
            exercise.id,
            str(subs),
            "--gradebook",
            str(gb),
            "--jobs",
            str(jobs),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if r.returncode != 0:
        raise SystemExit(f"courseware grade failed:\n{r.stderr}")
    print(r.stdout.splitlines()[0])
    print(r.stdout.splitlines()[1])
    import sqlite3

    with sqlite3.connect(gb) as db:
        scores = dict(db.execute("SELECT student, total FROM submissions WHERE exercise=?", (exercise.id,)))
    return seconds, scores


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--exercise", default="soviets")
    p.add_argument("--students", type=int, default=200)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--keep", type=Path, help="work in this folder and keep it (reuses nbgrader's venv)")
    args = p.parse_args()
    exercise = load_exercise(args.exercise)
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-grading-"))
    work.mkdir(parents=True, exist_ok=True)
    answers = make_answers(exercise, args.students)
    print(
        f"{args.students} synthetic submissions of {exercise.id!r} ({len(exercise.items)} items); "
        f"{os.cpu_count()} CPUs; courseware grade --jobs {args.jobs}"
    )
    try:
        for old in ("submissions", "gradebook.db", "gradebook.db-wal", "gradebook.db-shm"):
            target = work / old
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
        ours_s, ours = run_courseware(exercise, answers, work, args.jobs)
        t = time.perf_counter()
        venv = install_nbgrader(work)
        print(f"installed {NBGRADER} into its own environment in {time.perf_counter() - t:.0f} s")
        theirs_s, theirs = run_nbgrader(exercise, answers, work, venv)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    disagree = [
        (s, ours.get(s), theirs.get(s))
        for s in answers
        if ours.get(s) is None or theirs.get(s) is None or abs(ours[s] - theirs[s]) > 1e-6
    ]
    n = args.students
    print(
        f"courseware grade : {ours_s:7.1f} s  {ours_s / n:.3f} s/submission  {n / ours_s:6.2f} submissions/s"
    )
    print(
        f"nbgrader autograde: {theirs_s:7.1f} s  {theirs_s / n:.3f} s/submission  "
        f"{n / theirs_s:6.2f} submissions/s"
    )
    print(f"ratio (throughput): {theirs_s / ours_s:.1f}x")
    dist = sorted({round(v, 2) for v in ours.values()})
    print(
        f"scores agree: {n - len(disagree)}/{n}  "
        f"(distinct totals: {dist[:8]}{' ...' if len(dist) > 8 else ''})"
    )
    for s, a, b in disagree[:10]:
        print(f"  disagree {s}: courseware {a}, nbgrader {b}")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
