"""`courseware validate`: load and cross-check every data file, print every problem found."""

from __future__ import annotations

import argparse
import sys

from ..load import DataError, load_course
from ..validate import validate_course


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options: it checks the course's own data folder


def run(args: argparse.Namespace) -> int:
    try:
        course = load_course()
        validate_course(course)
    except DataError as e:
        print(e, file=sys.stderr)
        return 1
    quotes = sum(len(c.quotes) for t in course.themes.values() for c in t.claims)
    print(f"ok: {len(course.sources)} texts, {len(course.themes)} themes, {quotes} claim quotations, "
          f"{len(course.figures)} figures, {len(course.events)} events: all verified.")
    return 0
