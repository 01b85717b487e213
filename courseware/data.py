"""The course data for this process: read once, and cross-checked once where the book needs it.

The one place that puts `load` (files → `Course`) and `validate` (`Course` → problems) together.
Pages, widgets, charts and the grader's preload call these accessors; functions that draw from the
data take a `Course` argument too, so tests pass their own data instead of patching a global.
"""

from __future__ import annotations

from functools import cache

from .load import DATA, load_course
from .models import Course
from .validate import validate_course


@cache
def loaded() -> Course:
    """Parsed, not cross-checked: what a student's notebook (exercise set-up, widgets, charts) reads,
    so that it keeps working while one quotation elsewhere is being corrected."""
    return load_course(DATA)


@cache
def course() -> Course:
    """Parsed and cross-checked (every quotation verbatim, every id resolved): what the book, the
    print edition and the grader are built from."""
    c = loaded()
    validate_course(c)
    return c
