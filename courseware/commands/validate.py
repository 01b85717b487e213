"""`courseware validate`: load and cross-check every data file, print every problem found."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..load import DATA, load_course
from ..models import DataError
from ..validate import validate_course


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", type=Path, default=DATA, help="the data folder to check (default: the course's own)"
    )


def run(args: argparse.Namespace) -> int:
    if not args.data.is_dir():
        print(
            f"courseware validate: {args.data} is not a folder. Give the course's data folder.",
            file=sys.stderr,
        )
        return 2
    try:
        course = load_course(args.data)
        validate_course(course)
    except DataError as e:
        print(e, file=sys.stderr)
        return 1
    quotes = sum(len(c.quotes) for t in course.themes.values() for c in t.claims)
    print(
        f"ok: {len(course.sources)} texts, {len(course.themes)} themes, {quotes} claim quotations, "
        f"{len(course.figures)} figures, {len(course.events)} events: all verified."
    )
    return 0
