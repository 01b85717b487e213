"""Four Readings of 1917: course data, pages, widgets, exercises and grading.

`from courseware import check` gives the exercises' feedback function; it is imported on first use,
so importing the package stays cheap.
"""

from __future__ import annotations

import sys
from typing import Any

# jsonschema (which nbformat imports) compiles a URI grammar at import when rfc3987_syntax is
# installed (JupyterLab's dependencies bring it): most of a second at every start. Nothing here
# checks URI formats, so that import is kept from happening.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

__all__ = ["check"]


def __getattr__(name: str) -> Any:
    if name == "check":
        from .checks import check

        return check
    raise AttributeError(f"module 'courseware' has no attribute {name!r}")
