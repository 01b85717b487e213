"""The course package's wheel carries the public data and check specs: one exercise notebook,
downloaded on its own into an empty folder, runs with only the wheel installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile

import pytest

from courseware.edition.wheel import build_wheel
from courseware.items import ROOT
from courseware.release import copy_sources

RUN = textwrap.dedent("""
    import json, sys
    import courseware, nbclient, nbformat
    nb = nbformat.read(sys.argv[1], as_version=4)
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3").execute()
    checks = [c for c in nb.cells if c.metadata.get("courseware", {}).get("role") == "check"]
    print(json.dumps({"package": courseware.__file__,
                      "checks": [o.get("data", {}).get("text/plain", "")
                                 for c in checks for o in c.outputs]}))
""")


@pytest.mark.slow
def test_one_downloaded_notebook_runs_with_only_the_wheel_installed(tmp_path):
    edition = tmp_path / "edition"
    copy_sources(ROOT, edition)
    wheel = build_wheel(edition, tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    assert "courseware/public/data/sources.yml" in names
    assert "courseware/public/checks/soviets.json" in names
    assert not [n for n in names if n.startswith("courseware/public/") and "instructor" in n]
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    alone = tmp_path / "downloads"
    alone.mkdir()
    shutil.copy(ROOT / "exercises" / "soviets.ipynb", alone / "soviets.ipynb")
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("COURSEWARE_CHECKS", None)
    done = subprocess.run(
        [sys.executable, "-c", RUN, "soviets.ipynb"],
        cwd=alone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["package"].startswith(str(site))
    assert found["checks"] and all("No answer yet" in c for c in found["checks"]), found["checks"]
