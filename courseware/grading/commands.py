"""`courseware grade | regrade | export | feedback`: parse arguments, call the pipeline, print.

Exit codes: 0 done (even when some submissions need review: the summary lists them); 1 the
gradebook or a student was not found; 2 bad arguments or input (no such exercise or folder).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .export import export
from .feedback import feedback_pages, page_names
from .gradebook import Gradebook, GradebookError
from .intake import IntakeError, Submission, collect
from .judge import Outcome
from .pipeline import ExerciseError, Summary, grade, load_exercise, rejudge, rerun
from .sandbox import Limits, SandboxError

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
    try:
        exercise = load_exercise(args.exercise)
        submissions = collect(args.submissions)
        with Gradebook(args.gradebook) as gb:
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
    except (ExerciseError, IntakeError) as e:
        return _fail(str(e), 2)
    except (GradebookError, SandboxError) as e:
        return _fail(str(e), 1)
    if not submissions:
        print(f"No files found in {args.submissions}.")
    print(format_summary(summary, args.gradebook))
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


def run_export(args: argparse.Namespace) -> int:
    if not args.gradebook.exists():
        return _fail(
            f"{args.gradebook}: no such gradebook. Run `courseware grade` first or give --gradebook.", 1
        )
    ids = dict(a.split("=", 1) for a in args.canvas_assignment if "=" in a)
    try:
        with Gradebook(args.gradebook) as gb:
            out = export(
                gb,
                args.format,
                args.exercise,
                include_provisional=args.include_provisional,
                assignment_ids=ids,
            )
    except ValueError as e:
        return _fail(str(e), 2)
    except GradebookError as e:
        return _fail(str(e), 1)
    if args.output:
        args.output.write_text(out.text, encoding="utf-8")
        print(f"Wrote {args.output} ({out.text.count(chr(10)) - 1} rows).", file=sys.stderr)
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
