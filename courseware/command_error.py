"""`CommandError`: what a `courseware` subcommand raises for a failure the user can fix.

It lives apart from `courseware.cli` so that the modules doing the work (authoring, release,
grading) can raise it without importing the command line, which imports them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CommandError(Exception):
    """`courseware.cli.main` prints `courseware COMMAND: MESSAGE` on stderr and exits with `code`
    (1: a check failed or something was not found; 2: bad arguments or input). A `bare` message is
    printed as it is: a list of problems whose every line already names its file."""

    message: str
    code: int = 1
    bare: bool = False

    def __str__(self) -> str:
        return self.message
