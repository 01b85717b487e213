"""A wheel of the course package that works on its own: the package, the public course data and
the exercises' public check specs, so that one downloaded notebook runs after
`pip install courseware-<version>-py3-none-any.whl`, from any folder.

The data goes inside the package as `courseware/public/data/` and the specs as
`courseware/public/checks/`; `courseware.load` and `courseware.checks` look there when the package
is installed without the course's folders around it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PUBLIC = "public"  # the folder inside the package
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")


@dataclass
class WheelError(Exception):
    message: str

    def __str__(self) -> str:
        return self.message


PACKAGE_DATA = """
[tool.setuptools.package-data]
courseware = ["public/**/*", "edition/templates/*"]
"""


def build_wheel(edition: Path, out: Path) -> Path:
    """Build the wheel from the edition's package, data and check specs into `out`; return it."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="courseware-wheel-") as tmp:
        stage = Path(tmp)
        shutil.copytree(edition / "courseware", stage / "courseware", ignore=_IGNORE)
        public = stage / "courseware" / PUBLIC
        shutil.copytree(edition / "data", public / "data", ignore=_IGNORE)
        shutil.copytree(edition / "exercises" / "checks", public / "checks", ignore=_IGNORE)
        pyproject = (edition / "pyproject.toml").read_text(encoding="utf-8")
        if "[tool.setuptools.package-data]" not in pyproject:
            pyproject += PACKAGE_DATA
        (stage / "pyproject.toml").write_text(pyproject, encoding="utf-8")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-build-isolation",
                "--no-index",
                "-q",
                "-w",
                str(out),
                str(stage),
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["(no output)"]
            raise WheelError(
                f"the course package's wheel did not build: {last[0]} "
                "Check pyproject.toml, then release again."
            )
    wheels = sorted(out.glob("courseware-*.whl"))
    if not wheels:
        raise WheelError(f"no wheel was written into {out}.")
    return wheels[-1]
