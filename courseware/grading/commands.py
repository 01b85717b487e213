"""`courseware grade | regrade | export | feedback | analyse | merge`: parse arguments, call the
pipeline, print.

Exit codes: 0 done (even when some submissions need review: the summary lists them); 1 the
gradebook or a student was not found; 2 bad arguments or input (no such exercise or folder).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .deadlines import DEFAULT_FILE, DeadlinesError, apply_deadlines, load_deadlines, summarise
from .export import Options, export
from .feedback import feedback_pages, page_names
from .gradebook import Gradebook, GradebookError
from .intake import IntakeError, Submission, collect
from .judge import Outcome
from .merge import MergeError, merge
from .pipeline import ExerciseError, Summary, grade, load_exercise, rejudge, rerun
from .sandbox import Limits, SandboxError
from .shard import ShardError, parse_shard

DEFAULT_GRADEBOOK = "gradebook.db"


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--gradebook",
        type=Path,
        default=Path(DEFAULT_GRADEBOOK),
        help=f"the SQLite gradebook (default: {DEFAULT_GRADEBOOK}; created if missing)",
    )


def _limits(p: argparse.ArgumentParser) -> None:
    d = Limits()
    p.add_argument(
        "--cell-timeout", type=float, default=d.cell_timeout, help="seconds per cell (default %(default)s)"
    )
    p.add_argument(
        "--timeout", type=float, default=d.notebook_timeout, help="seconds per notebook (default %(default)s)"
    )
    p.add_argument(
        "--memory", type=int, default=d.memory_mb, help="MB of memory per notebook (default %(default)s)"
    )


def _limits_of(args: argparse.Namespace) -> Limits:
    return Limits(cell_timeout=args.cell_timeout, notebook_timeout=args.timeout, memory_mb=args.memory)


def _fail(msg: str, code: int) -> int:
    print(f"courseware {sys.argv[1] if len(sys.argv) > 1 else ''}: {msg}".replace("  ", " "), file=sys.stderr)
    return code


# ---------------------------------------------------------------- grade


def add_grade_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("exercise", help="exercise id (a file in instructor/exercises/) or path to its YAML")
    p.add_argument("submissions", type=Path, help="a folder of .ipynb files or a Canvas/Moodle download zip")
    _common(p)
    p.add_argument("--jobs", type=int, default=2, help="notebooks run at a time (default %(default)s)")
    p.add_argument(
        "--force",
        action="store_true",
        help="grade every file again, even those already graded from the same file and key",
    )
    p.add_argument(
        "--shard",
        metavar="I/N",
        help="grade only shard I of N (students split by a hash of their id) into this gradebook; "
        "merge the N gradebooks with `courseware merge`",
    )
    p.add_argument(
        "--deadlines",
        type=Path,
        default=DEFAULT_FILE,
        help="deadlines, extensions and late policies (default: %(default)s, if it exists)",
    )
    _limits(p)


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


def run_grade(args: argparse.Namespace) -> int:
    late_lines: list[str] = []
    try:
        shard = parse_shard(args.shard) if args.shard else None
        deadlines = load_deadlines(args.deadlines)
        exercise = load_exercise(args.exercise)
        submissions = collect(args.submissions)
        received = len(submissions)
        if shard is not None:
            submissions = [s for s in submissions if shard.holds(s.student)]
        with Gradebook(args.gradebook) as gb:
            if shard is not None:
                known = gb.find_meta("shard")
                if known not in (None, str(shard)):
                    return _fail(
                        f"{args.gradebook} holds shard {known}, not {shard}. Give each shard its own "
                        "--gradebook file.",
                        2,
                    )
                gb.update_or_create_meta("shard", str(shard))
            summary = grade(
                exercise,
                submissions,
                gb,
                limits=_limits_of(args),
                jobs=args.jobs,
                force=args.force,
                progress=ProgressBar(),
                command=" ".join(sys.argv[1:]),
            )
            late_lines = summarise(apply_deadlines(gb, exercise.id, deadlines))
    except (ExerciseError, IntakeError, ShardError, DeadlinesError) as e:
        return _fail(str(e), 2)
    except (GradebookError, SandboxError) as e:
        return _fail(str(e), 1)
    if not received:
        print(f"No files found in {args.submissions}.")
    if shard is not None:
        print(f"Shard {shard}: {len(submissions)} of the {received} students in {args.submissions}.")
    print(format_summary(summary, args.gradebook))
    for line in late_lines:
        print(line)
    return 0


# ---------------------------------------------------------------- regrade


def add_regrade_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("exercise", help="exercise id or path to its YAML (its current keys are used)")
    p.add_argument("student", help="the student's id as in the gradebook")
    _common(p)
    p.add_argument(
        "--rerun",
        action="store_true",
        help="run the archived notebook again (e.g. with a longer --timeout) before judging",
    )
    p.add_argument(
        "--accept",
        action="store_true",
        help="accept a submission under review: its computed score counts and the flag is cleared",
    )
    _limits(p)


def run_regrade(args: argparse.Namespace) -> int:
    try:
        exercise = load_exercise(args.exercise)
        with Gradebook(args.gradebook) as gb:
            if args.rerun:
                outcome = rerun(gb, exercise, args.student, _limits_of(args))
                if args.accept:
                    outcome = rejudge(gb, exercise, args.student, accept=True)
            else:
                outcome = rejudge(gb, exercise, args.student, accept=args.accept)
            row = gb.find_submission(exercise.id, args.student)
    except ExerciseError as e:
        return _fail(str(e), 2)
    except (GradebookError, SandboxError) as e:
        return _fail(str(e), 1)
    print(
        f"{exercise.id} {args.student}: {row.total:g} / {row.max_total:g}, {row.status}"
        + (" (accepted by the instructor)" if row.accepted else "")
    )
    for s in outcome.scores:
        print(f"  {s.item}: {s.points:g} / {s.max_points:g} {s.status}" + (f"  [{s.note}]" if s.note else ""))
    for r in row.reasons:
        print(f"  review: {r}")
    return 0


# ---------------------------------------------------------------- export


def add_export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["canvas", "moodle", "csv"], required=True)
    _common(p)
    p.add_argument("--exercise", action="append", default=[], help="exercise id (repeatable; default: all)")
    p.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    p.add_argument(
        "--include-provisional",
        action="store_true",
        help="give submissions under review their provisional score instead of a blank",
    )
    p.add_argument(
        "--canvas-assignment",
        action="append",
        default=[],
        metavar="EXERCISE=ID",
        help="Canvas assignment id for an exercise's column, e.g. soviets=4321",
    )
    p.add_argument(
        "--all-items",
        action="store_true",
        help="count every graded item in the points possible, unmarked written answers as 0 "
        "(default: only what is marked)",
    )
    p.add_argument(
        "--clear-missing",
        action="store_true",
        help="write a blank for a student without a grade, which CLEARS their grade in the LMS "
        "(default: leave them out of the file)",
    )
    p.add_argument(
        "--moodle-max",
        type=float,
        metavar="POINTS",
        help="the Moodle assignment's maximum grade: grades are scaled to it (Moodle ignores Maximum Grade)",
    )
    p.add_argument(
        "--no-feedback",
        action="store_true",
        help="Moodle: leave out the Feedback comments column even when there are comments",
    )


def run_export(args: argparse.Namespace) -> int:
    if not args.gradebook.exists():
        return _fail(
            f"{args.gradebook}: no such gradebook. Run `courseware grade` first or give --gradebook.", 1
        )
    bad = [a for a in args.canvas_assignment if "=" not in a]
    if bad:
        return _fail(f"--canvas-assignment {bad[0]}: give EXERCISE=ID, e.g. soviets=4321", 2)
    if args.moodle_max is not None and args.moodle_max <= 0:
        return _fail(f"--moodle-max {args.moodle_max:g}: give the assignment's maximum grade, e.g. 100", 2)
    options = Options(
        include_provisional=args.include_provisional,
        assignment_ids=dict(a.split("=", 1) for a in args.canvas_assignment),
        all_items=args.all_items,
        clear_missing=args.clear_missing,
        moodle_max=args.moodle_max,
        feedback=not args.no_feedback,
    )
    try:
        with Gradebook(args.gradebook) as gb:
            out = export(gb, args.format, args.exercise, options=options)
    except ValueError as e:
        return _fail(str(e), 2)
    except GradebookError as e:
        return _fail(str(e), 1)
    if args.output:
        args.output.write_text(out.text, encoding="utf-8")
        print(f"Wrote {args.output} ({out.students} student row(s)).", file=sys.stderr)
    else:
        sys.stdout.write(out.text)
    for w in out.warnings:
        print(f"note: {w}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- feedback


def add_feedback_arguments(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--exercise", action="append", default=[], help="exercise id (repeatable; default: all)")
    p.add_argument(
        "--output",
        "-o",
        type=Path,
        default=Path("feedback"),
        help="folder to write EXERCISE/STUDENT.html into (default: %(default)s)",
    )


def run_feedback(args: argparse.Namespace) -> int:
    if not args.gradebook.exists():
        return _fail(
            f"{args.gradebook}: no such gradebook. Run `courseware grade` first or give --gradebook.", 1
        )
    try:
        with Gradebook(args.gradebook) as gb:
            exercises = args.exercise or gb.find_exercise_ids()
            count = 0
            for ex in exercises:
                folder = args.output / ex
                folder.mkdir(parents=True, exist_ok=True)
                pages = feedback_pages(gb, ex)
                names = page_names(list(pages))
                for student, page in pages.items():
                    (folder / names[student]).write_text(page, encoding="utf-8")
                    count += 1
    except GradebookError as e:
        return _fail(str(e), 1)
    print(f"Wrote {count} feedback page(s) into {args.output}/.")
    return 0


# ---------------------------------------------------------------- analyse


def add_analyse_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("exercise", help="exercise id as in the gradebook, e.g. soviets")
    _common(p)
    p.add_argument(
        "--output",
        "-o",
        type=Path,
        help="folder to write report.html and items.csv into (default: analysis/EXERCISE)",
    )


def run_analyse(args: argparse.Namespace) -> int:
    from .analysis import analyse
    from .analysis_report import write_report

    if not args.gradebook.exists():
        return _fail(
            f"{args.gradebook}: no such gradebook. Run `courseware grade` first or give --gradebook.", 1
        )
    try:
        with Gradebook(args.gradebook) as gb:
            result = analyse(gb, args.exercise)
    except GradebookError as e:
        return _fail(str(e), 1)
    folder = args.output or Path("analysis") / args.exercise
    html_path, csv_path = write_report(result, folder)
    print(f"Analysed {result.students} submission(s) of {args.exercise}: {html_path} and {csv_path}.")
    for line in result.headlines():
        print(f"  {line}")
    return 0


# ---------------------------------------------------------------- merge


def add_merge_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("gradebooks", type=Path, nargs="+", help="the shards' gradebooks")
    p.add_argument("--output", "-o", type=Path, required=True, help="the class gradebook to write")
    p.add_argument("--partial", action="store_true", help="merge even when some shards of I/N are missing")
    p.add_argument("--force", action="store_true", help="replace the output if it exists")


def run_merge(args: argparse.Namespace) -> int:
    try:
        summary = merge(args.gradebooks, args.output, allow_partial=args.partial, force=args.force)
    except MergeError as e:
        return _fail(str(e), 2)
    except GradebookError as e:
        return _fail(str(e), 1)
    what = ", ".join(f"{ex}: {n} student(s)" for ex, n in sorted(summary.exercises.items())) or "nothing"
    shards = f" (shards {', '.join(summary.shards)})" if summary.shards else ""
    print(f"Merged {len(summary.inputs)} gradebook(s){shards} into {summary.output}: {what}.")
    return 0
