"""The edition as a student's repository: its own README and .gitignore, no instructor pages in its
table of contents or files, and a configuration that points the launch buttons at it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote

import yaml

from ..yamltext import parse as parse_yaml

TEMPLATES = Path(__file__).resolve().parent / "templates"
INSTRUCTOR_PAGES = "book/instructor"  # every page under it is for instructors only
NOTEBOOK_PAGES = "book/**/*.ipynb"  # the pages as notebooks: launched, never built a second time
_DOC_ROLE = re.compile(r"\{doc\}`(?:(?P<text>[^`<]*?)\s*<(?P<target>[^`>]+)>|(?P<bare>[^`]+))`")


def binder_lab_url(
    repository_url: str, branch: str, path: str, binderhub: str = "https://mybinder.org"
) -> str:
    """The Binder address that opens `path` of the repository in JupyterLab.

    >>> binder_lab_url("https://github.com/org/course", "main", "exercises")
    'https://mybinder.org/v2/gh/org/course/main?urlpath=lab/tree/exercises'
    """
    repo = repository_url.removeprefix("https://github.com/").strip("/")
    return f"{binderhub}/v2/gh/{repo}/{branch}?urlpath=" + quote(f"lab/tree/{path}")


def write_readme(dest: Path, title: str, repository_url: str | None, branch: str, wheel: str) -> None:
    if repository_url:
        launch = (
            f"[open the exercises in JupyterLab on Binder]"
            f"({binder_lab_url(repository_url, branch, 'exercises')})."
        )
    else:
        launch = (
            "this edition was released without Binder links; ask your instructor for the "
            "address of the course's Binder, or work on your own computer (below)."
        )
    text = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    text = text.replace("{title}", title).replace("{launch}", launch).replace("{wheel}", wheel)
    (dest / "README.md").write_text(text, encoding="utf-8")


def write_gitignore(dest: Path) -> None:
    shutil.copyfile(TEMPLATES / "gitignore", dest / ".gitignore")


def _toc_entries(node, drop) -> object:
    """The table of contents without the entries `drop(file)` is true for (and parts left empty)."""
    if isinstance(node, list):
        kept = [_toc_entries(n, drop) for n in node if not (isinstance(n, dict) and drop(n.get("file", "")))]
        return [n for n in kept if not (isinstance(n, dict) and "caption" in n and not n.get("chapters"))]
    if isinstance(node, dict):
        return {k: _toc_entries(v, drop) for k, v in node.items()}
    return node


def _is_instructor(file: str) -> bool:
    return file == INSTRUCTOR_PAGES or file.startswith(INSTRUCTOR_PAGES + "/")


def drop_instructor_pages(dest: Path) -> list[str]:
    """Remove every page under book/instructor/ from the files and the table of contents, and turn
    links to them in other pages into plain text (a list item that only links there is removed).
    Returns the pages removed."""
    toc_path = dest / "_toc.yml"
    toc = parse_yaml(toc_path.read_text(encoding="utf-8"))
    toc_path.write_text(
        "# The student edition's table of contents (no instructor pages).\n"
        + yaml.safe_dump(_toc_entries(toc, _is_instructor), sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    folder = dest / INSTRUCTOR_PAGES
    removed = (
        sorted(p.relative_to(dest).as_posix() for p in folder.rglob("*") if p.is_file())
        if folder.is_dir()
        else []
    )
    shutil.rmtree(folder, ignore_errors=True)
    for page in sorted((dest / "book").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        new = _unlink_instructor(text, page.relative_to(dest).parent.as_posix())
        if new != text:
            page.write_text(new, encoding="utf-8")
    return removed


def _unlink_instructor(text: str, page_dir: str) -> str:
    def target_of(m: re.Match) -> str:
        target = (m["target"] or m["bare"]).strip()
        if target.startswith("/"):
            return target.lstrip("/")
        parts: list[str] = page_dir.split("/")
        for part in target.split("/"):
            if part == "..":
                parts.pop()
            elif part != ".":
                parts.append(part)
        return "/".join(parts)

    out = []
    for line in text.splitlines(keepends=True):
        hits = [m for m in _DOC_ROLE.finditer(line) if _is_instructor(target_of(m))]
        if not hits:
            out.append(line)
            continue
        if re.match(r"^\s*[-*] ", line):
            continue  # a list entry whose point is the instructor page
        for m in hits:
            line = line.replace(m[0], m["text"] or "the instructor guide")
        out.append(line)
    return "".join(out)


def set_repository(config: Path, url: str, branch: str | None) -> None:
    """Point the book's launch buttons at the edition's repository (the `repository:` block)."""
    text = config.read_text(encoding="utf-8")
    block = re.search(r"(?m)^repository:\n((?:[ \t]+.*\n?|\s*\n)*)", text)
    if block is None:
        text += f"\nrepository:\n  url: {url}\n  branch: {branch or 'main'}\n"
    else:
        body = re.sub(r"(?m)^([ \t]+)url:.*$", rf"\g<1>url: {url}", block.group(1))
        if branch:
            body = re.sub(r"(?m)^([ \t]+)branch:.*$", rf"\g<1>branch: {branch}", body)
        text = text[: block.start(1)] + body + text[block.end(1) :]
    config.write_text(text, encoding="utf-8")


def configure(dest: Path, repository_url: str | None, branch: str) -> None:
    """Point the launch buttons at the edition's repository (or turn them off), and keep the pages'
    notebook copies out of the build: they are what the launch buttons open."""
    config = dest / "_config.yml"
    if repository_url:
        set_repository(config, repository_url, branch)
    text = config.read_text(encoding="utf-8")
    if not repository_url:
        text = re.sub(r"(?m)^(\s*binderhub_url:).*$", r'\1 ""', text)
    text, n = re.subn(
        r"(?m)^(exclude_patterns:\s*\[)(.*)\]\s*$",
        lambda m: f'{m[1]}{m[2]}, "{NOTEBOOK_PAGES}", hand-in, dist]',
        text,
    )
    if n != 1:
        text += f'\nexclude_patterns: ["{NOTEBOOK_PAGES}", hand-in, dist]\n'
    config.write_text(text, encoding="utf-8")
