"""The `courseware` command. Every subcommand and its options are declared here; each calls one
function with keyword arguments, which tests call too. A failure the user can fix is a
`CommandError`, printed with the command's name and exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .command_error import CommandError
from .grading.deadlines import DEFAULT_FILE as DEFAULT_DEADLINES
from .grading.sandbox import Limits
from .items import INSTRUCTOR, ROOT
from .load import DATA, load_course
from .models import DataError
from .validate import validate_course

DEFAULT_GRADEBOOK = "gradebook.db"


def fail(command: str, error: CommandError) -> int:
    """Print `error` for `courseware COMMAND` on stderr; return its exit code."""
    print(error.message if error.bare else f"courseware {command}: {error.message}", file=sys.stderr)
    return error.code


# ---------------------------------------------------------------- validate


def validate(*, data: Path) -> None:
    """`courseware validate`: load and cross-check every data file in `data`, print every problem."""
    if not data.is_dir():
        raise CommandError(f"{data} is not a folder. Give the course's data folder.", 2)
    try:
        course = load_course(data)
        validate_course(course)
    except DataError as e:
        raise CommandError(str(e), bare=True) from None
    quotes = sum(len(c.quotes) for t in course.themes.values() for c in t.claims)
    print(
        f"ok: {len(course.sources)} texts, {len(course.themes)} themes, {quotes} claim quotations, "
        f"{len(course.figures)} figures, {len(course.events)} events: all verified."
    )


# ---------------------------------------------------------------- the parser


def _subcommand(sub: argparse._SubParsersAction, name: str, summary: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=summary, description=summary)


def _gradebook_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--gradebook",
        type=Path,
        default=Path(DEFAULT_GRADEBOOK),
        help=f"the SQLite gradebook (default: {DEFAULT_GRADEBOOK}; created if missing)",
    )


def _limit_options(p: argparse.ArgumentParser) -> None:
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


def _limits(args: argparse.Namespace) -> Limits:
    return Limits(cell_timeout=args.cell_timeout, notebook_timeout=args.timeout, memory_mb=args.memory)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="courseware", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = _subcommand(sub, "validate", "check every data file and quotation")
    p.add_argument(
        "--data", type=Path, default=DATA, help="the data folder to check (default: the course's own)"
    )

    p = _subcommand(sub, "exercises", "generate the student notebooks from instructor/exercises")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 naming every generated file that differs from its source",
    )
    p.add_argument(
        "--source",
        type=Path,
        default=INSTRUCTOR,
        help="folder of exercise sources (default: instructor/exercises)",
    )
    p.add_argument(
        "--root", type=Path, default=ROOT, help="repository root that holds exercises/ (default: this course)"
    )

    p = _subcommand(sub, "release", "write the student edition (no keys, tests or rubrics)")
    p.add_argument("dest", type=Path, help="folder to write the edition into (new or empty)")
    p.add_argument(
        "--repository-url",
        help="the edition's GitHub repository, which the launch buttons open "
        "(default: this repository's git remote `origin`)",
    )
    p.add_argument("--branch", help="the edition repository's branch (default: main)")
    p.add_argument(
        "--no-launch-buttons", action="store_true", help="build the edition without Binder launch buttons"
    )
    p.add_argument(
        "--no-build", action="store_true", help="copy and check, but do not build the HTML book or the wheel"
    )
    p.add_argument("--force", action="store_true", help="replace an earlier edition in DEST")
    p.add_argument(
        "--without-texts",
        action="store_true",
        help="leave out the five texts: each reader page keeps its provenance card, a link to the original "
        "and only the passages the course quotes (see NOTICE)",
    )
    p.add_argument("--root", type=Path, default=ROOT, help="the course repository (default: this one)")

    p = _subcommand(sub, "grade", "grade a folder or LMS zip of answer notebooks")
    p.add_argument("exercise", help="exercise id (a file in instructor/exercises/) or path to its YAML")
    p.add_argument("submissions", type=Path, help="a folder of .ipynb files or a Canvas/Moodle download zip")
    _gradebook_option(p)
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
        default=DEFAULT_DEADLINES,
        help="deadlines, extensions and late policies (default: %(default)s, if it exists)",
    )
    _limit_options(p)

    p = _subcommand(sub, "regrade", "re-judge one student's stored answers")
    p.add_argument("exercise", help="exercise id or path to its YAML (its current keys are used)")
    p.add_argument("student", help="the student's id as in the gradebook")
    _gradebook_option(p)
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
    _limit_options(p)

    p = _subcommand(sub, "export", "export the gradebook for Canvas, Moodle or as CSV")
    p.add_argument("--format", choices=["canvas", "moodle", "csv"], required=True)
    _gradebook_option(p)
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

    p = _subcommand(sub, "feedback", "write per-student feedback as HTML")
    _gradebook_option(p)
    p.add_argument("--exercise", action="append", default=[], help="exercise id (repeatable; default: all)")
    p.add_argument(
        "--output",
        "-o",
        type=Path,
        default=Path("feedback"),
        help="folder to write EXERCISE/STUDENT.html into (default: %(default)s)",
    )

    p = _subcommand(sub, "analyse", "item analysis of an exercise: HTML report and CSV")
    p.add_argument("exercise", help="exercise id as in the gradebook, e.g. soviets")
    _gradebook_option(p)
    p.add_argument(
        "--output",
        "-o",
        type=Path,
        help="folder to write report.html and items.csv into (default: analysis/EXERCISE)",
    )

    p = _subcommand(sub, "merge", "merge shard gradebooks into one class gradebook")
    p.add_argument("gradebooks", type=Path, nargs="+", help="the shards' gradebooks")
    p.add_argument("--output", "-o", type=Path, required=True, help="the class gradebook to write")
    p.add_argument("--partial", action="store_true", help="merge even when some shards of I/N are missing")
    p.add_argument("--force", action="store_true", help="replace the output if it exists")

    return parser


# ---------------------------------------------------------------- dispatch


def _run(args: argparse.Namespace, argv: list[str]) -> None:
    """Call the subcommand's function. The modules doing the work are imported only in their own
    branch: the grading and release modules pull in nbformat, jsonschema and the rest."""
    match args.command:
        case "validate":
            validate(data=args.data)
        case "exercises":
            from .authoring import generate_exercises

            generate_exercises(check=args.check, source=args.source, root=args.root)
        case "release":
            from .release import release_edition

            release_edition(
                dest=args.dest,
                root=args.root,
                repository_url=args.repository_url,
                branch=args.branch,
                launch_buttons=not args.no_launch_buttons,
                build=not args.no_build,
                force=args.force,
                without_texts=args.without_texts,
            )
        case "grade":
            from .grading import commands as grading

            grading.grade(
                exercise=args.exercise,
                submissions=args.submissions,
                gradebook=args.gradebook,
                jobs=args.jobs,
                force=args.force,
                shard=args.shard,
                deadlines=args.deadlines,
                limits=_limits(args),
                command=" ".join(argv),  # recorded in the gradebook's log of runs
            )
        case "regrade":
            from .grading import commands as grading

            grading.regrade(
                exercise=args.exercise,
                student=args.student,
                gradebook=args.gradebook,
                rerun=args.rerun,
                accept=args.accept,
                limits=_limits(args),
            )
        case "export":
            from .grading import commands as grading

            grading.export(
                format=args.format,
                gradebook=args.gradebook,
                exercises=args.exercise,
                output=args.output,
                include_provisional=args.include_provisional,
                canvas_assignments=args.canvas_assignment,
                all_items=args.all_items,
                clear_missing=args.clear_missing,
                moodle_max=args.moodle_max,
                feedback=not args.no_feedback,
            )
        case "feedback":
            from .grading import commands as grading

            grading.feedback(gradebook=args.gradebook, exercises=args.exercise, output=args.output)
        case "analyse":
            from .grading import commands as grading

            grading.analyse(exercise=args.exercise, gradebook=args.gradebook, output=args.output)
        case "merge":
            from .grading import commands as grading

            grading.merge(
                gradebooks=args.gradebooks, output=args.output, partial=args.partial, force=args.force
            )
        case other:  # the parser accepts only the subcommands above
            raise AssertionError(f"courseware {other}: declared in build_parser but not dispatched in _run")


def main(argv: list[str] | None = None) -> int:
    """Run `courseware ARGV...` (default: this process's arguments); return the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    try:
        _run(args, argv)
    except CommandError as e:
        return fail(args.command, e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
