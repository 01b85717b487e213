"""The student edition: what it holds, and that no solution, graded key, hidden test or rubric is in it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from courseware.authoring import load_checked
from courseware.cli import main
from courseware.items import ROOT
from courseware.release import (
    MARKER,
    Secret,
    copy_sources,
    public_material,
    release,
    scan,
    secrets,
    set_repository,
)


@pytest.fixture(scope="module")
def exercises():
    return load_checked()


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    dest = tmp_path_factory.mktemp("edition") / "student"
    release(ROOT, dest, build=False)
    return dest


def _squash(text: str) -> str:
    return " ".join(text.split())


def _file_texts(folder: Path) -> dict[str, str]:
    """Each file's text, whitespace squashed; notebooks also as their cells' joined sources."""
    out = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        if path.suffix == ".ipynb":
            nb = json.loads(text)
            text += "\n".join("".join(c["source"]) for c in nb["cells"])
        out[str(path.relative_to(folder))] = _squash(text)
    return out


def test_edition_holds_the_book_exercises_and_binder_files_but_no_instructor_side(edition):
    for needed in ("_config.yml", "_toc.yml", "book/index.md", "data/sources.yml", "requirements.txt",
                   "runtime.txt", "pyproject.toml", "courseware/checks.py", "exercises/soviets.ipynb",
                   "exercises/checks/soviets.json", MARKER):
        assert (edition / needed).is_file(), needed
    for absent in ("instructor", "tests", "bench", "requirements-dev.txt", ".venv"):
        assert not (edition / absent).exists(), absent
    assert not list(edition.rglob("__pycache__"))


def test_no_solution_graded_key_hidden_test_or_rubric_anywhere_in_the_edition(edition, exercises):
    """The test's own plain search, independent of the release's scanner."""
    files = _file_texts(edition)
    public = _squash(public_material(ROOT))
    needles = []
    for ex in exercises:
        for item in ex.items:
            needles.append(("solution", item.id, item.solution.strip()))
            needles += [("hidden test", item.id, t) for t in item.hidden_tests]
            needles += [("rubric", item.id, c.text) for c in item.rubric]
            if item.graded:
                keys = [item.key] if isinstance(item.key, str) else []
                if isinstance(item.key, list | dict):
                    keys += [json.dumps(item.key), repr(item.key)]
                needles += [("graded key", item.id, k) for k in keys
                            if len(k) >= 4 and _squash(k) not in public]
    assert len(needles) > 150
    found = [(path, what, item) for what, item, text in needles for path, body in files.items()
             if _squash(text) in body]
    assert found == []


def test_the_release_scanner_finds_nothing_in_a_clean_edition(edition, exercises):
    assert scan(edition, secrets(exercises, public_material(ROOT))) == []


@pytest.mark.parametrize("where", ["book/intro/how-to-use.md", "exercises/soviets.ipynb",
                                   "_build/html/page.html"])
def test_a_planted_solution_is_caught_and_its_file_named(edition, exercises, tmp_path, where):
    copy = tmp_path / "copy"
    shutil.copytree(edition, copy)
    item = next(i for ex in exercises for i in ex.items if i.kind == "number")
    target = copy / where
    target.parent.mkdir(parents=True, exist_ok=True)
    if where.endswith(".ipynb"):  # inside a cell, split into JSON lines as Jupyter saves it
        nb = json.loads(target.read_text(encoding="utf-8"))
        nb["cells"][-1]["source"] = item.solution.splitlines(keepends=True)
        target.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    elif where.endswith(".html"):  # highlighted, with its quotes escaped, as a built page shows code
        body = "".join(f'<span class="n">{w}</span> ' for w in item.solution.replace('"', "&quot;").split())
        target.write_text(f"<html><pre>{body}</pre></html>", encoding="utf-8")
    else:
        target.write_text(target.read_text(encoding="utf-8") + "\n" + item.solution, encoding="utf-8")
    leaks = scan(copy, secrets(exercises, public_material(ROOT)))
    assert {leak.path for leak in leaks} == {where}
    assert any(leak.secret == Secret("solution", item.id, item.solution.strip()) for leak in leaks)


def test_release_refuses_with_exit_1_naming_the_leaking_file(tmp_path, exercises, capsys):
    source = tmp_path / "course"
    copy_sources(ROOT, source)
    shutil.copytree(ROOT / "instructor", source / "instructor")
    rubric = next(c.text for ex in exercises for i in ex.items for c in i.rubric)
    page = source / "book" / "intro" / "how-to-use.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n\nGrading note: {rubric}\n", encoding="utf-8")
    code = main(["release", str(tmp_path / "out"), "--no-build", "--root", str(source)])
    err = capsys.readouterr().err
    assert code == 1
    assert "refused: the edition contains instructor material" in err
    assert "book/intro/how-to-use.md: rubric of" in err


def test_release_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["release", str(tmp_path), "--no-build"]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_launch_buttons_can_point_at_the_edition_repository(tmp_path):
    config = tmp_path / "_config.yml"
    shutil.copy(ROOT / "_config.yml", config)
    set_repository(config, "https://github.com/example/four-readings-student", "live")
    text = config.read_text(encoding="utf-8")
    assert "url: https://github.com/example/four-readings-student" in text
    assert "branch: live" in text and "your-org" not in text
    assert "binderhub_url: https://mybinder.org" in text


@pytest.mark.slow
def test_full_release_builds_the_html_book_without_leaks(tmp_path):
    dest = tmp_path / "student"
    assert main(["release", str(dest)]) == 0
    html = dest / "_build" / "html"
    assert (html / "index.html").is_file()
    assert (html / "book" / "chapters" / "01-soviets.html").is_file()
    assert not list(html.rglob("instructor/exercises/*"))
