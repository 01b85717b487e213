"""Which repository the edition's launch buttons open: `--repository-url`, else the course
repository's own git remote `origin`, else none (and the release refuses, naming the option).

>>> github_url("git@github.com:example/course.git")
'https://github.com/example/course'
>>> github_url("https://github.com/example/course/")
'https://github.com/example/course'
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_SSH = re.compile(r"^(?:ssh://)?git@github\.com[:/](?P<path>[^/\s]+/[^/\s]+?)(?:\.git)?/?$")
_HTTPS = re.compile(r"^https://github\.com/(?P<path>[^/\s]+/[^/\s]+?)(?:\.git)?/?$")


@dataclass
class RepositoryError(Exception):
    """No usable repository for the launch buttons. `message` names the option that fixes it."""

    message: str

    def __str__(self) -> str:
        return self.message


def github_url(url: str) -> str | None:
    """`url` as https://github.com/ORG/REPO, or None if it is not a GitHub repository address."""
    url = url.strip()
    m = _HTTPS.match(url) or _SSH.match(url)
    return f"https://github.com/{m['path']}" if m else None


def origin_url(root: Path) -> str | None:
    """The course repository's `origin` remote, or None (no git, not a clone, or no remote)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def resolve(option: str | None, root: Path) -> str:
    """The repository the launch buttons open, as https://github.com/ORG/REPO."""
    if option:
        url = github_url(option)
        if url is None:
            raise RepositoryError(
                f'--repository-url "{option}" is not a GitHub repository address: '
                "give https://github.com/ORG/REPO (Binder launch links need one), "
                "or --no-launch-buttons."
            )
        return url
    remote = origin_url(root)
    if remote is None:
        raise RepositoryError(
            "the launch buttons need the edition's repository: give "
            "--repository-url https://github.com/ORG/REPO, or --no-launch-buttons "
            "to build without them."
        )
    url = github_url(remote)
    if url is None:
        raise RepositoryError(
            f'the git remote "origin" ({remote}) is not on GitHub, so Binder cannot '
            "launch it: give --repository-url https://github.com/ORG/REPO, or "
            "--no-launch-buttons."
        )
    return url
