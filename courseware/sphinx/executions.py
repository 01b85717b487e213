"""Executed notebooks shared between builds of exactly the same course (`COURSEWARE_EXECUTIONS`).

Every build executes every notebook (`execute_notebooks: force`), and that stays so unless the
variable is set. The test suite builds one course several times over (the book, the student
edition, the print edition): there, `share` files the book build's executed notebooks under the
content they were executed from (the course's data files and package sources), in the folder the
variable names, and a later build whose course has exactly that content takes each notebook's
outputs from there (myst-nb's cache mode, which matches a notebook by its code cells) instead of
executing it again. A course that differs in any byte of its data or package (the edition without
the texts) finds no folder of its own and executes as always, and so does a notebook whose code
cells differ from every filed one. The folder is only good for the environment that made it: the
test suite makes it afresh in each run.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

log = logging.getLogger(__name__)
ENV = "COURSEWARE_EXECUTIONS"
FILED = "filed"  # written last: a folder without it is incomplete and not used


def content_key(root: Path) -> str | None:
    """A digest of what a notebook of the course at `root` can read: every data file and the
    package's sources beside it. None if the package is not there (the kernel would import one
    from elsewhere, which the digest could not vouch for)."""
    package = root / "courseware"
    if not (package / "__init__.py").is_file():
        return None
    files = [p for p in (root / "data").rglob("*") if p.is_file()]
    files += [p for p in package.rglob("*.py") if "public" not in p.relative_to(package).parts]
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in files if "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def share(build: Path, root: Path, into: Path) -> Path:
    """File the executed notebooks of a finished build (`build`, the folder holding
    `jupyter_execute`) of the course at `root` under `into`; return their folder."""
    from jupyter_cache import get_cache

    key = content_key(root)
    if key is None:
        raise ValueError(f"{root} has no courseware package beside its data: nothing to vouch for")
    folder = into / key
    cache = get_cache(str(folder))
    for notebook in sorted((build / "jupyter_execute").rglob("*.ipynb")):
        cache.cache_notebook_file(str(notebook), check_validity=False, overwrite=True)
    (folder / FILED).touch()
    return folder


def _use_shared(app: Sphinx, config: Config) -> None:
    given = os.environ.get(ENV, "").strip()
    if not given or getattr(config, "nb_execution_mode", None) != "force":
        return  # not set, not executing, or no notebooks at all (the handouts' project)
    key = content_key(Path(app.srcdir))
    folder = Path(given) / key if key else None
    if folder is not None and (folder / FILED).is_file():
        config.nb_execution_mode = "cache"
        config.nb_execution_cache_path = str(folder)
        log.info(f"notebook outputs from {folder}, executed from this very course")


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _use_shared)
