"""Binder: build the environment the way repo2docker does for a requirements.txt repository (a fresh
virtual environment, `pip install -r requirements.txt` from the root files of the student edition),
then run a blank exercise notebook there and check that `from courseware import check` works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

RUN = textwrap.dedent("""
    import json, sys
    import nbclient, nbformat
    nb = nbformat.read(sys.argv[1], as_version=4)
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": sys.argv[2]}}).execute()
    checks = [c for c in nb.cells if c.metadata.get("courseware", {}).get("role") == "check"]
    print(json.dumps([o.get("data", {}).get("text/plain", "") for c in checks for o in c.outputs]))
""")


@pytest.mark.slow
def test_blank_exercise_runs_in_a_fresh_binder_like_environment(
    released_edition: Path, binder_python: Path, tmp_path: Path
):
    edition = released_edition
    python = binder_python
    env = {
        **os.environ,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "JUPYTER_DATA_DIR": str(tmp_path / "jd"),
        "JUPYTER_PATH": "",
        "PYTHONPATH": "",
    }
    env.pop("VIRTUAL_ENV", None)
    where = subprocess.run(
        [str(python), "-c", "import courseware, sys; print(courseware.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.strip() == str(edition / "courseware" / "__init__.py"), where.stderr
    notebook = edition / "exercises" / "soviets.ipynb"
    run = subprocess.run(
        [str(python), "-c", RUN, str(notebook), str(edition / "exercises")],
        cwd=edition,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    outputs = json.loads(run.stdout.strip().splitlines()[-1])
    assert outputs and all("No answer yet" in o for o in outputs), outputs
    assert sys.executable not in run.stdout
