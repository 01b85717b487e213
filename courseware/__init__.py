"""Four Readings of 1917: course data, pages, widgets, exercises and grading.

`from courseware import check` gives the exercises' feedback function; it is imported on first use,
so importing the package stays cheap.
"""

from __future__ import annotations

from typing import Any

__all__ = ["check"]


def __getattr__(name: str) -> Any:
    if name == "check":
        from .checks import check

        return check
    raise AttributeError(f"module 'courseware' has no attribute {name!r}")
