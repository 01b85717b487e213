"""Directives for the reference pages: glossary, bibliography and timeline (filled in later)."""

from __future__ import annotations

from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    return None
