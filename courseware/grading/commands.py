"""`courseware grade | regrade | export | feedback | analyse | merge`: call the pipeline, print.

`courseware.cli` declares the options and calls these functions with keyword arguments. A failure
raises `CommandError` with its exit code: 1 the gradebook or a student was not found; 2 bad
arguments or input (no such exercise or folder). A run where some submissions need review still
succeeds: the summary lists them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ..command_error import CommandError
from .deadlines import DeadlinesError, apply_deadlines, load_deadlines, summarise
from .export import Format, Options
from .export import export as export_grades
from .feedback import feedback_pages, page_names
from .gradebook import Gradebook, GradebookError
from .intake import IntakeError, Submission, collect
from .judge import Outcome
from .merge import MergeError
from .merge import merge as merge_gradebooks
from .pipeline import ExerciseError, Summary, load_exercise, rejudge
from .pipeline import grade as grade_submissions
from .pipeline import rerun as rerun_notebook
from .sandbox import Limits, SandboxError
from .shard import ShardError, parse_shard


def _require(gradebook: Path) -> None:
    if not gradebook.exists():
        raise CommandError(
            f"{gradebook}: no such gradebook. Run `courseware grade` first or give --gradebook."
        )


# ---------------------------------------------------------------- grade


class ProgressBar:
    """A one-line progress bar on stderr (a line per tenth when stderr is not a terminal)."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.review = 0
        self.last_tenth = -1

    def __call__(self, done: int, total: int, sub: Submission, outcome: Outcome) -> None:
        self.review += outcome.status == "review"
        width = 30
        filled = width * done // max(total, 1)
        line = f"[{'#' * filled}{' ' * (width - filled)}] {done}/{total} graded, {self.review} need review"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if done == total else ""))
            self.stream.flush()
        elif done * 10 // max(total, 1) != self.last_tenth:
            self.last_tenth = done * 10 // max(total, 1)
            self.stream.write(line + "\n")


def format_summary(s: Summary, gradebook: Path) -> str:
    n = s.total - s.skipped
    lines = [
        f"Graded {n} submission(s) of {s.exercise} in {s.seconds:.1f} s"
        + (f" ({s.seconds / n:.3f} s each)" if n else "")
        + (f"; {s.skipped} unchanged since the last run were kept" if s.skipped else "")
        + "."
    ]
    lines.append(f"  {len(s.graded)} graded, {len(s.review)} need review.")
    for student, name, reasons in s.review:
        who = student if name == student else f"{student} ({name})"
        lines.append(f"  review {who}:")
        lines += [f"      - {r}" for r in reasons]
    for item, count in sorted(s.pending.items()):
        lines.append(
            f"  {count} written answer(s) to {item} await the rubric: open instructor/grade_written.ipynb"
        )
    if not s.confined:
        lines.append("  WARNING: this kernel has no Landlock, so notebooks ran unconfined (see the guide).")
    lines.append(
        f"  Gradebook: {gradebook}. Next: `courseware regrade {s.exercise} STUDENT` after a "
        f"review, `courseware export --format canvas|moodle|csv`, `courseware feedback`."
    )
    return "\n".join(lines)


def grade(
    *,
    exercise: str,
    submissions: Path,
    gradebook: Path,
    jobs: int,
    deadlines: Path,
    limits: Limits,
    force: bool = False,
    shard: str | None = None,
    command: str = "grade",
) -> None:
    """`courseware grade`: grade `submissions` (a folder or LMS zip) against `exercise` (an id or a
    YAML path) into `gradebook`, apply `deadlines`, print the summary. `shard` ("I/N") grades only
    that shard's students; `command` is recorded in the gradebook's log of runs."""
    late_lines: list[str] = []
    try:
        part = parse_shard(shard) if shard else None
        due = load_deadlines(deadlines)
        ex = load_exercise(exercise)
        found = collect(submissions)
        received = len(found)
        if part is not None:
            found = [s for s in found if part.holds(s.student)]
        with Gradebook(gradebook) as gb:
            if part is not None:
                known = gb.find_meta("shard")
                if known not in (None, str(part)):
                    raise CommandError(
                        f"{gradebook} holds shard {known}, not {part}. Give each shard its own "
                        "--gradebook file.",
                        2,
                    )
                gb.update_or_create_meta("shard", str(part))
            summary = grade_submissions(
                ex,
                found,
                gb,
                limits=limits,
                jobs=jobs,
                force=force,
                progress=ProgressBar(),
                command=command,
            )
            late_lines = summarise(apply_deadlines(gb, ex.id, due))
    except (ExerciseError, IntakeError, ShardError, DeadlinesError) as e:
        raise CommandError(str(e), 2) from None
    except (GradebookError, SandboxError) as e:
        raise CommandError(str(e), 1) from None
    if not received:
        print(f"No files found in {submissions}.")
    if part is not None:
        print(f"Shard {part}: {len(found)} of the {received} students in {submissions}.")
    print(format_summary(summary, gradebook))
    for line in late_lines:
        print(line)


# ---------------------------------------------------------------- regrade


def regrade(
    *,
    exercise: str,
    student: str,
    gradebook: Path,
    limits: Limits,
    rerun: bool = False,
    accept: bool = False,
) -> None:
    """`courseware regrade`: judge `student`'s stored answers again with `exercise`'s current keys
    (after running the archived notebook again within `limits`, with `rerun`); `accept` clears a
    review flag and counts the computed score. Prints the new scores."""
    try:
        ex = load_exercise(exercise)
        with Gradebook(gradebook) as gb:
            if rerun:
                outcome = rerun_notebook(gb, ex, student, limits)
                if accept:
                    outcome = rejudge(gb, ex, student, accept=True)
            else:
                outcome = rejudge(gb, ex, student, accept=accept)
            row = gb.find_submission(ex.id, student)
    except ExerciseError as e:
        raise CommandError(str(e), 2) from None
    except (GradebookError, SandboxError) as e:
        raise CommandError(str(e), 1) from None
    print(
        f"{ex.id} {student}: {row.total:g} / {row.max_total:g}, {row.status}"
        + (" (accepted by the instructor)" if row.accepted else "")
    )
    for s in outcome.scores:
        print(f"  {s.item}: {s.points:g} / {s.max_points:g} {s.status}" + (f"  [{s.note}]" if s.note else ""))
    for r in row.reasons:
        print(f"  review: {r}")


# ---------------------------------------------------------------- export


def export(
    *,
    format: Format,
    gradebook: Path,
    exercises: list[str],
    output: Path | None = None,
    include_provisional: bool = False,
    canvas_assignments: Sequence[str] = (),
    all_items: bool = False,
    clear_missing: bool = False,
    moodle_max: float | None = None,
    feedback: bool = True,
) -> None:
    """`courseware export`: the grades of `exercises` (all when empty) in `format`, written to
    `output` or standard output; notes on stderr. `canvas_assignments` are "EXERCISE=ID" strings."""
    _require(gradebook)
    bad = [a for a in canvas_assignments if "=" not in a]
    if bad:
        raise CommandError(f"--canvas-assignment {bad[0]}: give EXERCISE=ID, e.g. soviets=4321", 2)
    if moodle_max is not None and moodle_max <= 0:
        raise CommandError(f"--moodle-max {moodle_max:g}: give the assignment's maximum grade, e.g. 100", 2)
    options = Options(
        include_provisional=include_provisional,
        assignment_ids=dict(a.split("=", 1) for a in canvas_assignments),
        all_items=all_items,
        clear_missing=clear_missing,
        moodle_max=moodle_max,
        feedback=feedback,
    )
    try:
        with Gradebook(gradebook) as gb:
            out = export_grades(gb, format, exercises, options=options)
    except ValueError as e:
        raise CommandError(str(e), 2) from None
    except GradebookError as e:
        raise CommandError(str(e), 1) from None
    if output:
        output.write_text(out.text, encoding="utf-8")
        print(f"Wrote {output} ({out.students} student row(s)).", file=sys.stderr)
    else:
        sys.stdout.write(out.text)
    for w in out.warnings:
        print(f"note: {w}", file=sys.stderr)


# ---------------------------------------------------------------- feedback


def feedback(*, gradebook: Path, exercises: list[str], output: Path) -> None:
    """`courseware feedback`: one HTML page per student of `exercises` (all when empty) into
    `output/EXERCISE/`."""
    _require(gradebook)
    try:
        with Gradebook(gradebook) as gb:
            count = 0
            for ex in exercises or gb.find_exercise_ids():
                folder = output / ex
                folder.mkdir(parents=True, exist_ok=True)
                pages = feedback_pages(gb, ex)
                names = page_names(list(pages))
                for student, page in pages.items():
                    (folder / names[student]).write_text(page, encoding="utf-8")
                    count += 1
    except GradebookError as e:
        raise CommandError(str(e), 1) from None
    print(f"Wrote {count} feedback page(s) into {output}/.")


# ---------------------------------------------------------------- analyse


def analyse(*, exercise: str, gradebook: Path, output: Path | None = None) -> None:
    """`courseware analyse`: the item analysis of `exercise` as report.html and items.csv in
    `output` (default: analysis/EXERCISE), and its headlines."""
    # imported here: the report's charts are needed by this command only
    from .analysis import analyse as analyse_items
    from .analysis_report import write_report

    _require(gradebook)
    try:
        with Gradebook(gradebook) as gb:
            result = analyse_items(gb, exercise)
    except GradebookError as e:
        raise CommandError(str(e), 1) from None
    folder = output or Path("analysis") / exercise
    html_path, csv_path = write_report(result, folder)
    print(f"Analysed {result.students} submission(s) of {exercise}: {html_path} and {csv_path}.")
    for line in result.headlines():
        print(f"  {line}")


# ---------------------------------------------------------------- merge


def merge(*, gradebooks: list[Path], output: Path, partial: bool = False, force: bool = False) -> None:
    """`courseware merge`: the shards' `gradebooks` into one class gradebook `output` (replacing it
    with `force`; with `partial`, even when shards are missing)."""
    try:
        summary = merge_gradebooks(gradebooks, output, allow_partial=partial, force=force)
    except MergeError as e:
        raise CommandError(str(e), 2) from None
    except GradebookError as e:
        raise CommandError(str(e), 1) from None
    what = ", ".join(f"{ex}: {n} student(s)" for ex, n in sorted(summary.exercises.items())) or "nothing"
    shards = f" (shards {', '.join(summary.shards)})" if summary.shards else ""
    print(f"Merged {len(summary.inputs)} gradebook(s){shards} into {summary.output}: {what}.")
