"""`python -m courseware.printing.build OUT`: the book as one PDF and a handout per chapter.

The pipeline: the book's LaTeX through Jupyter Book (strict: `-W -n --keep-going`, every notebook
executed) and latexmk over it; beside it, the handouts' LaTeX through Sphinx and latexmk over each,
several at once; then every LaTeX log is read, and a warning the course has not explained fails
the build. The TeX tools come from Debian's packages: `bin/course pdf` installs them when they are
missing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..data import course
from ..jb import build_jobs
from ..load import ROOT
from . import handouts

BOOK_NAME = "four-readings-of-1917"  # _config.yml: latex.latex_documents.targetname
TOOLS = ("xelatex", "latexmk", "pdftotext", "pdfinfo")
PACKAGES = (
    "texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended texlive-xetex "
    "latexmk fonts-freefont-otf poppler-utils"
)
CITATION = (
    "Cite as: The Four Readings course, Four Readings of 1917: a course in comparative reading "
    "(2026); the course's prose and data under CC BY 4.0, the five texts under their own terms "
    "(see NOTICE)."
)
# LaTeX warnings that the Jupyter Book class causes and that change nothing in the printed book
EXPLAINED = {
    r"Package inputenc Warning: inputenc package ignored": (
        "the Jupyter Book class loads inputenc, which XeLaTeX does not need (it reads UTF-8 itself)"
    ),
    r"LaTeX Font Warning: Font shape `U/rsfs/m/n' in size <[\d.]+> not available": (
        "the class loads mathrsfs; no script letters are printed, so no size is substituted in use"
    ),
    r"LaTeX Font Warning: Size substitutions with differences": "the summary of the rsfs substitution above",
}
_WARNING = re.compile(r"^(?:LaTeX|Package|Class) [\w-]* ?Warning: .*$|^LaTeX Warning: .*$", re.M)
_PAGES = re.compile(r"Output written on .*?\((\d+) pages?")


class PrintError(Exception):
    """The print edition could not be built; the message says why and what to do."""


@dataclass(frozen=True)
class LogWarning:
    file: str
    text: str
    explained: str = ""  # why it is harmless; empty when nobody has explained it


@dataclass
class PrintResult:
    book: Path
    pages: int
    handouts: list[tuple[Path, int]] = field(default_factory=list)
    warnings: list[LogWarning] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def unexplained(self) -> list[LogWarning]:
        return [w for w in self.warnings if not w.explained]


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


def log_warnings(name: str, log: str) -> list[LogWarning]:
    """The warnings of a LaTeX log (a warning's text may wrap onto the next lines), each with its
    explanation if it has one. Overfull and underfull boxes are line-breaking reports, not warnings."""
    out = []
    joined = re.sub(r"\n\((?:[\w-]+)\)\s+", " ", log)  # continuation lines: "(hyperref)   ..."
    for m in _WARNING.finditer(joined):
        text = " ".join(m.group(0).split())
        why = next((reason for pattern, reason in EXPLAINED.items() if re.search(pattern, text)), "")
        out.append(LogWarning(name, text, why))
    return out


def _run(cmd: list[str], cwd: Path, what: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-40:])
        raise PrintError(f"{what} failed (exit {done.returncode}; command: {' '.join(cmd)}):\n{tail}")
    return done.stdout + done.stderr


def latexmk(folder: Path, tex: str) -> tuple[Path, str]:
    """Run latexmk (XeLaTeX, through the latexmkrc Sphinx writes) until references settle."""
    _run(
        ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error", tex],
        folder,
        f"LaTeX on {folder / tex} (see {folder / tex.replace('.tex', '.log')})",
    )
    stem = tex.removesuffix(".tex")
    return folder / f"{stem}.pdf", (folder / f"{stem}.log").read_text(encoding="utf-8", errors="replace")


def pages(log: str) -> int:
    found = _PAGES.findall(log)
    return int(found[-1]) if found else 0


def build_book(root: Path, out: Path) -> Path:
    """The book's LaTeX sources, strictly, from a clean state; returns their folder."""
    latex = out / "_build" / "latex"
    shutil.rmtree(latex, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    _run(
        [
            sys.executable,
            "-m",
            "courseware.jb",  # Jupyter Book, through the package (see courseware/jb.py)
            "build",
            "--all",
            "--builder",
            "latex",
            "-W",
            "-n",
            "--keep-going",
            "--path-output",
            str(out),
            str(root),
        ],
        root,
        "The book's LaTeX build",
        env,
    )
    if not (latex / f"{BOOK_NAME}.tex").exists():
        raise PrintError(
            f"no {BOOK_NAME}.tex in {latex}: check `latex.latex_documents.targetname` in _config.yml."
        )
    return latex


def build_handouts(root: Path, out: Path) -> list[tuple[Path, str]]:
    """Write and build the handout project; returns each handout's PDF and LaTeX log."""
    src, latex = out / "_build" / "handouts-src", out / "_build" / "handouts-latex"
    for folder in (src, latex):
        shutil.rmtree(folder, ignore_errors=True)
    try:
        made = handouts.write_project(course(), root, src, "The Four Readings course", CITATION)
    except handouts.HandoutError as e:
        raise PrintError(str(e)) from None
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    _run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "latex",
            "-W",
            "-n",
            "--keep-going",
            "-q",
            str(src),
            str(latex),
        ],
        root,
        "The handouts' LaTeX build",
        env,
    )
    # each handout is its own LaTeX document, with its own auxiliary files: typeset them side by side
    with ThreadPoolExecutor(max_workers=build_jobs()) as pool:
        return list(pool.map(lambda h: latexmk(latex, f"handout-{h.docname}.tex"), made))


def build(root: Path, out: Path, with_handouts: bool = True) -> PrintResult:
    """Build the book PDF (and the handouts) into `out`; raises `PrintError` with the next step."""
    missing = missing_tools()
    if missing:
        raise PrintError(
            f"missing {', '.join(missing)}. Run `bin/course pdf` (it installs them), or "
            f"install Debian's packages: apt-get install -y {PACKAGES}"
        )
    start = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    # the book and the handouts share nothing but the sources: made side by side
    with ThreadPoolExecutor(max_workers=2) as pool:
        made_handouts = pool.submit(build_handouts, root, out) if with_handouts else None
        pdf, log = latexmk(build_book(root, out), f"{BOOK_NAME}.tex")
        handout_pdfs = made_handouts.result() if made_handouts else []
    book = out / f"{BOOK_NAME}.pdf"
    shutil.copy2(pdf, book)
    result = PrintResult(book, pages(log), warnings=log_warnings(pdf.name, log))
    if with_handouts:
        folder = out / "handouts"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for hpdf, hlog in handout_pdfs:
            dest = folder / hpdf.name
            shutil.copy2(hpdf, dest)
            result.handouts.append((dest, pages(hlog)))
            result.warnings += log_warnings(hpdf.name, hlog)
    result.seconds = time.monotonic() - start
    return result


def report(result: PrintResult) -> str:
    lines = [f"Book: {result.book} ({result.pages} pages)"]
    if result.handouts:
        lines.append(f"Handouts ({len(result.handouts)}): {result.handouts[0][0].parent}")
        lines += [f"  {p.name} ({n} pages)" for p, n in result.handouts]
    explained = [w for w in result.warnings if w.explained]
    if explained:
        lines.append(f"{len(explained)} LaTeX warning(s), each explained:")
        lines += sorted({f"  {w.text} — {w.explained}" for w in explained})
    for w in result.unexplained:
        lines.append(f"UNEXPLAINED LaTeX warning in {w.file}: {w.text}")
    lines.append(f"Built in {result.seconds:.0f} s.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m courseware.printing.build", description=__doc__)
    parser.add_argument(
        "out",
        type=Path,
        nargs="?",
        default=ROOT / "_build" / "pdf",
        help="folder for the PDFs (default: _build/pdf)",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="the course repository (default: this one)")
    parser.add_argument("--no-handouts", action="store_true", help="build the book only")
    args = parser.parse_args(argv)
    try:
        result = build(args.root.resolve(), args.out.resolve(), with_handouts=not args.no_handouts)
    except PrintError as e:
        print(f"pdf: {e}", file=sys.stderr)
        return 1
    print(report(result))
    if result.unexplained:
        print(
            "pdf: the PDF was written, but LaTeX warned of something nobody has explained (above). "
            "Fix its cause, or explain it in courseware/printing/build.py (EXPLAINED).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
