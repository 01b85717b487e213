"""`exercise` directive: where a chapter's graded exercise is and how to open it.

```{exercise} soviets``` renders a download link to `exercises/soviets.ipynb` (copied into the
build) and a Binder link that opens that notebook in JupyterLab, made from the book's own
`repository` and `launch_buttons` settings, so a course that moves to another repository or
branch only changes `_config.yml`.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

EXERCISES = "exercises"


def binder_url(repository_url: str, branch: str, binderhub: str, notebook: str) -> str | None:
    """The Binder address that opens `notebook` in JupyterLab, or None for a non-GitHub host.

    >>> binder_url("https://github.com/org/course", "main", "https://mybinder.org", "exercises/a.ipynb")
    'https://mybinder.org/v2/gh/org/course/main?urlpath=lab/tree/exercises/a.ipynb'
    """
    prefix = "https://github.com/"
    if not repository_url.startswith(prefix) or not binderhub:
        return None
    repo = repository_url[len(prefix) :].strip("/")
    return f"{binderhub.rstrip('/')}/v2/gh/{repo}/{branch}?urlpath=" + quote(f"lab/tree/{notebook}")


class ExerciseDirective(SphinxDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        ex_id = self.arguments[0]
        root = Path(self.env.srcdir)
        notebook = f"{EXERCISES}/{ex_id}.ipynb"
        if not (root / notebook).exists():
            raise self.error(f"{notebook} does not exist. Generate it with `courseware exercises`.")
        self.env.note_dependency(str(root / notebook))
        spec = root / EXERCISES / "checks" / f"{ex_id}.json"
        box = nodes.container(classes=["cw-exercise"])
        intro = nodes.paragraph()
        if spec.exists():
            items = json.loads(spec.read_text(encoding="utf-8")).get("items", [])
            graded = [i for i in items if i.get("graded", True)]
            points = sum(i.get("points", 0) for i in graded)
            skills = sorted({i["skill"] for i in items if i.get("skill")})
            intro += nodes.Text(
                f"{len(items)} items ({len(graded)} graded, worth {points:g} points, and "
                f"{len(items) - len(graded)} for practice), training: {', '.join(skills)}."
            )
        box += intro
        links = nodes.bullet_list()
        rel = Path(*[".."] * (len(Path(self.env.docname).parts) - 1), notebook).as_posix()
        dl = addnodes.download_reference(
            "", "", reftarget=rel, refdoc=self.env.docname, refexplicit=True, reftype="download", refdomain=""
        )
        dl += nodes.literal(text=f"{ex_id}.ipynb")
        item = nodes.paragraph(text="Download the notebook: ")
        item += dl
        links += nodes.list_item("", item)
        opts = self.config.html_theme_options
        url = binder_url(
            opts.get("repository_url", ""),
            opts.get("repository_branch", "main"),
            (opts.get("launch_buttons") or {}).get("binderhub_url", ""),
            notebook,
        )
        if url:
            item = nodes.paragraph(text="Open it in JupyterLab on Binder (nothing to install): ")
            item += nodes.reference("", "launch", refuri=url)
            links += nodes.list_item("", item)
        box += links
        return [box]


def setup(app: Sphinx) -> None:
    app.add_directive("exercise", ExerciseDirective)
