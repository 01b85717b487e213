"""Every launch link in the built edition names the edition's repository and opens an .ipynb that
exists in the edition; with launch buttons turned off, there is none."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

_LINK = re.compile(r"""https?://[^\s"'<>]*/v2/(?:gh|gl|git)/[^\s"'<>]+""")
_GH = re.compile(r"/v2/gh/(?P<repo>[^/]+/[^/]+)/(?P<branch>[^?]+)\?urlpath=(?P<urlpath>.+)$")


@dataclass(frozen=True)
class LaunchLink:
    page: str  # relative to the edition
    url: str


def launch_links(edition: Path) -> list[LaunchLink]:
    """Every Binder launch link in the edition's built HTML."""
    out = []
    for page in sorted((edition / "_build" / "html").rglob("*.html")):
        text = html.unescape(page.read_text(encoding="utf-8", errors="ignore"))
        rel = page.relative_to(edition).as_posix()
        out += [LaunchLink(rel, url) for url in dict.fromkeys(_LINK.findall(text))]
    return out


def problems(edition: Path, repository_url: str | None, branch: str) -> list[str]:
    """What is wrong with the launch links: one line each (empty when all is well)."""
    links = launch_links(edition)
    if repository_url is None:
        return [f"{link.page}: a launch link although launch buttons are off: {link.url}" for link in links]
    repo = repository_url.removeprefix("https://github.com/").strip("/")
    out = []
    for link in links:
        m = _GH.search(link.url)
        if m is None:
            out.append(f"{link.page}: a launch link that is not a GitHub Binder link: {link.url}")
            continue
        path = unquote(m["urlpath"]).removeprefix("lab/tree/").removeprefix("tree/")
        if m["repo"] != repo or m["branch"] != branch:
            out.append(f"{link.page}: launches {m['repo']}@{m['branch']}, not {repo}@{branch}")
        elif not path.endswith(".ipynb"):
            out.append(f"{link.page}: launches {path}, which is not a notebook")
        elif not (edition / path).is_file():
            out.append(f"{link.page}: launches {path}, which is not in the edition")
    return out
