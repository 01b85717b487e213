"""Where the course is: the folder that holds the `courseware` package. In a clone or the student
edition that is the repository (data/, book/, exercises/ beside the package); in an installed wheel,
the site-packages folder."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
