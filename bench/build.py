"""Time a clean strict build of the book and a no-change rebuild, side by side in one run.

    .venv/bin/python bench/build.py [--repeat N]

Prints seconds for each and their ratio. A clean build executes every notebook (the book's
configuration forces execution); a rebuild with nothing changed re-reads nothing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JB = [sys.executable, "-m", "courseware.jb"]  # Jupyter Book, started through the package


def build(out: Path, clean: bool) -> float:
    args = [*JB, "build", "-W", "-n", "--keep-going", "--path-output", str(out), str(ROOT)]
    if clean:
        shutil.rmtree(out / "_build", ignore_errors=True)
        args.insert(2, "--all")
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    took = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit("the build failed, so there is nothing to time:\n" + result.stdout[-3000:])
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    n = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        clean, rebuild = [], []
        for _ in range(n):
            clean.append(build(out, clean=True))
            rebuild.append(build(out, clean=False))
        pages = len(list((out / "_build" / "html").rglob("*.html")))
    best_clean, best_rebuild = min(clean), min(rebuild)
    print(f"pages built:        {pages}")
    print(f"clean strict build: {best_clean:6.1f} s  (best of {n}: {', '.join(f'{t:.1f}' for t in clean)})")
    print(
        f"no-change rebuild:  {best_rebuild:6.1f} s  (best of {n}: {', '.join(f'{t:.1f}' for t in rebuild)})"
    )
    print(f"ratio clean/rebuild: {best_clean / best_rebuild:5.1f}x")


if __name__ == "__main__":
    main()
