"""Directives for the bibliography page, drawn from the course data."""

from __future__ import annotations

from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    del app  # nothing registered yet
