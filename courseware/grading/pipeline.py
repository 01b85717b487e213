"""The grading pipeline as explicit steps: intake → sandbox → judge → gradebook.

`grade` grades a batch (skipping files already judged against the same exercise definition, so a
re-run after an interruption only does what is missing); `rejudge` re-judges one student's stored
answers (after a key fix or rubric marking) without running the notebook again; `rerun` runs one
student's archived notebook again. Commands and the written-answer notebook call these.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..authoring import setup_source
from ..items import Exercise, ExerciseError
from ..items import load_exercise as load_exercise_file
from .gradebook import Gradebook, SubmissionRow
from .intake import Submission, parse_notebook
from .judge import Outcome, judge_submission
from .runrecord import RunRecord
from .sandbox import Job, Limits, RunResult, Sandbox

MAX_CODE = 5 * 1024 * 1024  # characters of code in one notebook


def exercise_path(spec: str, root: Path | None = None) -> Path:
    """An exercise id ("soviets") or a path to its YAML file → the file."""
    p = Path(spec)
    if p.suffix in (".yml", ".yaml") or p.exists():
        return p
    base = root or Path.cwd()
    for folder in (
        base / "instructor" / "exercises",
        Path(__file__).resolve().parents[2] / "instructor" / "exercises",
    ):
        if (folder / f"{spec}.yml").exists():
            return folder / f"{spec}.yml"
    return base / "instructor" / "exercises" / f"{spec}.yml"


def load_exercise(spec: str) -> Exercise:
    """The exercise an id or path names, read by the one exercise loader (`courseware.items`), so
    grading accepts exactly the sources `courseware exercises` reads, with the same messages."""
    path = exercise_path(spec)
    if not path.exists():
        raise ExerciseError(
            [
                f"no exercise {spec!r}: {path} does not exist. Give the id of a file in "
                "instructor/exercises/ (without .yml) or the path to an exercise file."
            ]
        )
    return load_exercise_file(path)


def fingerprint(exercise: Exercise) -> str:
    """What a submission was judged against. `preload` is left out: it changes how fast the sandbox
    starts, not a score, and leaving it out keeps the fingerprints of gradebooks made before it."""
    return hashlib.sha256(exercise.model_dump_json(exclude={"preload"}).encode()).hexdigest()


def answer_cells(sub: Submission, run: RunResult | None) -> dict[str, bool]:
    """Item id → True when the notebook still has a cell marked as that item's answer cell and it
    ran without an error (so a missing variable means it was renamed)."""
    failed = {e.cell for e in run.errors} if run is not None else set()
    return {c.item: True for c in sub.cells or [] if c.item and c.role == "answer" and c.index not in failed}


def sandbox_for(exercise: Exercise, limits: Limits | None, jobs: int) -> Sandbox:
    """The sandbox for an exercise, preloading exactly what its source declares (`preload`)."""
    return Sandbox(
        limits or Limits(),
        jobs=jobs,
        preload_course="course" in exercise.preload,
        preload_heavy="libraries" in exercise.preload,
        setup=setup_source(exercise),  # the course's own setup cell: run once, before any fork
    )


# ---------------------------------------------------------------- one submission, step by step


def run_record(sub: Submission, run: RunResult | None) -> RunRecord:
    """What is kept of a sandbox run (no timings, so that re-runs give identical rows)."""
    problem = sub.problem
    if problem is None and run is not None and run.status != "finished":
        where = f" in cell {run.last_cell}" if run.last_cell else ""
        problem = f"{run.detail or run.status}{where}"
    kept = RunRecord(problem, tuple(sub.notes), answer_cells(sub, run))
    if run is None:
        return kept
    return replace(
        kept,
        status=run.status,
        errors=tuple(run.errors),
        attempts=tuple(run.attempts),
        last_cell=run.last_cell,
        output_bytes=run.output_bytes,
        confined=run.confined,
        walls=run.walls,
        present=tuple(run.present),
    )


def judge_record(
    exercise: Exercise, rec: RunRecord, answers: dict[str, Any] | None, marks: dict[str, Any]
) -> Outcome:
    outcome = judge_submission(
        exercise,
        answers,
        problem=rec.problem,
        attempts=rec.attempts,
        answer_cells=rec.answer_cells,
        marks=marks,
    )
    outcome.notes.extend(rec.intake_notes)
    for e in rec.errors:
        outcome.notes.append(f"cell {e.cell} raised {e.message}")
    if rec.output_bytes > Limits().output_bytes:
        outcome.notes.append(f"printed {rec.output_bytes:,} characters; output is discarded")
    if rec.confined is False:
        outcome.notes.append("ran without Landlock confinement (the kernel lacks it)")
    walls = rec.walls or {}
    if walls.get("seccomp") is False:
        outcome.notes.append("ran without the seccomp filter (no filter for this processor)")
    if walls.get("namespaces") is False:
        outcome.notes.append("ran without private namespaces (its scratch folder was measured, not capped)")
    return outcome


def _marks_of(gb: Gradebook, exercise: Exercise, student: str) -> dict[str, Any]:
    return {item: m for (s, item), m in gb.find_marks(exercise.id, student).items() if s == student}


def record(
    gb: Gradebook, exercise: Exercise, sub: Submission, run: RunResult | None, accepted: bool = False
) -> Outcome:
    rec = run_record(sub, run)
    answers = run.answers if run is not None and run.status == "finished" else None
    outcome = judge_record(exercise, rec, answers, _marks_of(gb, exercise, sub.student))
    gb.update_or_create_submission(
        exercise.id, sub, outcome, rec, answers, f"{fingerprint(exercise)}:{sub.sha256}", accepted
    )
    return outcome


def job_for(exercise: Exercise, sub: Submission) -> Job | None:
    """The sandbox job for a readable submission; sets `sub.problem` and returns None otherwise."""
    if sub.cells is None:
        return None
    if not any(c.source.strip() for c in sub.cells):
        sub.problem = "the notebook has no code cells with anything in them (the wrong file?)"
        return None
    if sum(len(c.source) for c in sub.cells) > MAX_CODE:
        sub.problem = f"the code cells hold more than {MAX_CODE // 2**20} MB of text; not run"
        return None
    return Job(sub.student, [(c.index, c.source) for c in sub.cells], [i.variable for i in exercise.items])


# ---------------------------------------------------------------- a batch


@dataclass
class Summary:
    exercise: str
    total: int = 0
    skipped: int = 0  # already graded from the same file and exercise
    graded: list[str] = field(default_factory=list)
    review: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (student, name, reasons)
    pending: dict[str, int] = field(default_factory=dict)  # written item → answers awaiting marking
    seconds: float = 0.0
    confined: bool = True


Progress = Callable[[int, int, Submission, Outcome], None]


def grade(
    exercise: Exercise,
    submissions: list[Submission],
    gb: Gradebook,
    *,
    limits: Limits | None = None,
    jobs: int = 2,
    force: bool = False,
    progress: Progress | None = None,
    command: str = "grade",
) -> Summary:
    """Grade a batch into `gb`. Each submission is recorded as soon as it is judged."""
    started = time.monotonic()
    gb.update_or_create_exercise(
        exercise.id, exercise.title, fingerprint(exercise), exercise.model_dump_json()
    )
    run_id = gb.add_run(exercise.id, command)
    fp = fingerprint(exercise)
    seen = gb.find_judged_from(exercise.id)
    todo = [s for s in submissions if force or seen.get(s.student) != f"{fp}:{s.sha256}"]
    summary = Summary(exercise.id, total=len(submissions), skipped=len(submissions) - len(todo))
    done = 0

    def finished(sub: Submission, outcome: Outcome) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(todo), sub, outcome)

    runnable: dict[str, Submission] = {}
    jobs_list: list[Job] = []
    for sub in todo:
        job = job_for(exercise, sub)
        if job is None:
            finished(sub, record(gb, exercise, sub, None))
        else:
            runnable[sub.student] = sub
            jobs_list.append(job)
    if jobs_list:
        with sandbox_for(exercise, limits, jobs) as box:
            summary.confined = box.landlock > 0
            for student, run in box.run(jobs_list):
                sub = runnable[student]
                finished(sub, record(gb, exercise, sub, run))
    gb.update_run_finished(run_id)
    _summarise(gb, exercise, summary)
    summary.seconds = time.monotonic() - started
    return summary


def _summarise(gb: Gradebook, exercise: Exercise, summary: Summary) -> None:
    for row in gb.find_submissions(exercise.id):
        if row.status == "review":
            summary.review.append((row.student, row.name, row.reasons))
        else:
            summary.graded.append(row.student)
        for s in gb.find_scores(exercise.id, row.student):
            if s.status == "pending":
                summary.pending[s.item] = summary.pending.get(s.item, 0) + 1


# ---------------------------------------------------------------- one student


def submission_from_row(gb: Gradebook, row: SubmissionRow) -> Submission:
    data = gb.find_archived(row.sha256)
    sub = Submission(row.student, row.name, row.lms, row.filename, data, row.modified)  # type: ignore[arg-type]
    if row.filename.lower().endswith(".ipynb"):
        sub.cells, sub.problem, sub.notes = parse_notebook(data)
    else:
        sub.problem = row.run.problem
    return sub


def rejudge(gb: Gradebook, exercise: Exercise, student: str, accept: bool = False) -> Outcome:
    """Judge one student's stored answers again (current key, current rubric marks)."""
    row = gb.find_submission(exercise.id, student)
    sub = submission_from_row(gb, row)
    outcome = judge_record(exercise, row.run, row.answers, _marks_of(gb, exercise, student))
    gb.update_or_create_exercise(
        exercise.id, exercise.title, fingerprint(exercise), exercise.model_dump_json()
    )
    gb.update_or_create_submission(
        exercise.id,
        sub,
        outcome,
        row.run,
        row.answers,
        f"{fingerprint(exercise)}:{row.sha256}",
        accept or row.accepted,
    )
    return outcome


def rerun(gb: Gradebook, exercise: Exercise, student: str, limits: Limits | None = None) -> Outcome:
    """Run one student's archived notebook again (e.g. with longer limits), then judge it."""
    row = gb.find_submission(exercise.id, student)
    sub = submission_from_row(gb, row)
    job = job_for(exercise, sub)
    run = None
    if job is not None:
        with sandbox_for(exercise, limits, 1) as box:
            run = next(r for _, r in box.run([job]))
    return record(gb, exercise, sub, run)
