"""The student edition: what it holds, and that no solution, graded key, hidden test or rubric is in it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from courseware.authoring import load_checked
from courseware.cli import main
from courseware.command_error import CommandError
from courseware.edition.launch_links import launch_links
from courseware.edition.launch_links import problems as launch_problems
from courseware.edition.repository import RepositoryError, resolve
from courseware.edition.student_files import set_repository
from courseware.items import ROOT
from courseware.release import (
    MARKER,
    Secret,
    copy_sources,
    public_material,
    release,
    release_edition,
    scan,
    secrets,
)
from courseware.sphinx.executions import content_key

URL = "https://github.com/example/course"


@pytest.fixture(scope="module")
def exercises():
    return load_checked()


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    dest = tmp_path_factory.mktemp("edition") / "student"
    release(ROOT, dest, build=False, repository_url=URL)
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
    for needed in (
        "_config.yml",
        "_toc.yml",
        "book/index.md",
        "data/sources.yml",
        "requirements.txt",
        "runtime.txt",
        "pyproject.toml",
        "courseware/checks.py",
        "exercises/soviets.ipynb",
        "exercises/checks/soviets.json",
        MARKER,
    ):
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
                needles += [
                    ("graded key", item.id, k) for k in keys if len(k) >= 4 and _squash(k) not in public
                ]
    assert len(needles) > 150
    found = [
        (path, what, item)
        for what, item, text in needles
        for path, body in files.items()
        if _squash(text) in body
    ]
    assert found == []


def test_the_release_scanner_finds_nothing_in_a_clean_edition(edition, exercises):
    assert scan(edition, secrets(exercises, public_material(ROOT))) == []


@pytest.mark.parametrize(
    "where", ["book/intro/how-to-use.md", "exercises/soviets.ipynb", "_build/html/page.html"]
)
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
    code = main(
        ["release", str(tmp_path / "out"), "--no-build", "--root", str(source), "--repository-url", URL]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "refused: the edition contains instructor material" in err
    assert not (tmp_path / "out").exists()  # nothing was moved into DEST
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]  # nor left beside it
    assert "book/intro/how-to-use.md: rubric of" in err


def test_release_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["release", str(tmp_path), "--no-build"]) == 1
    assert capsys.readouterr().err.startswith(f"courseware release: {tmp_path} is not empty")
    with pytest.raises(CommandError, match="is not empty") as error:
        release_edition(dest=tmp_path, build=False)
    assert error.value.code == 1
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_launch_buttons_can_point_at_the_edition_repository(tmp_path):
    config = tmp_path / "_config.yml"
    shutil.copy(ROOT / "_config.yml", config)
    set_repository(config, "https://github.com/example/four-readings-student", "live")
    text = config.read_text(encoding="utf-8")
    assert "url: https://github.com/example/four-readings-student" in text
    assert "branch: live" in text and "your-org" not in text
    assert "binderhub_url: https://mybinder.org" in text


def test_without_a_repository_url_or_remote_release_refuses_in_one_line_and_leaves_dest(tmp_path, capsys):
    source = tmp_path / "course"  # a copy with no git remote
    copy_sources(ROOT, source)
    shutil.copytree(ROOT / "instructor", source / "instructor")
    dest = tmp_path / "out"
    dest.mkdir()
    assert main(["release", str(dest), "--no-build", "--root", str(source)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--repository-url" in err and "--no-launch-buttons" in err
    assert list(dest.iterdir()) == []


def test_the_git_remote_gives_the_repository_and_ssh_addresses_are_understood(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(
        ["git", "-C", str(tmp_path), "remote", "add", "origin", "git@github.com:org/c.git"], check=True
    )
    assert resolve(None, tmp_path) == "https://github.com/org/c"
    assert resolve("https://github.com/x/y.git", tmp_path) == "https://github.com/x/y"
    with pytest.raises(RepositoryError, match="--repository-url"):
        resolve("https://example.org/x/y", tmp_path)


def test_the_edition_is_a_students_repository(edition):
    readme = (edition / "README.md").read_text(encoding="utf-8")
    assert "hand_in(" in readme and "check_all()" in readme and "Binder" in readme
    assert URL.removeprefix("https://github.com/") in readme
    for instructor_only in ("make test", "courseware grade", "courseware export", "rubric", "instructor/"):
        assert instructor_only not in readme, instructor_only
    assert not (edition / "book" / "instructor").exists()
    toc = (edition / "_toc.yml").read_text(encoding="utf-8")
    assert "book/instructor" not in toc and "For instructors" not in toc and "book/chapters/01-soviets" in toc
    assert "instructor/guide" not in (edition / "book" / "index.md").read_text(encoding="utf-8")
    ignored = (edition / ".gitignore").read_text(encoding="utf-8")
    assert "!_build/html/" in ignored
    assert not any(line.strip() in ("_build/", "dist/") for line in ignored.splitlines())


def test_every_chapter_is_a_notebook_with_no_raw_myst(edition):
    chapters = sorted((edition / "book" / "chapters").glob("*.md"))
    assert chapters
    for page in chapters:
        nb = json.loads(page.with_suffix(".ipynb").read_text(encoding="utf-8"))
        text = "\n".join("".join(c["source"]) for c in nb["cells"])
        for raw in ("{gloss}", "{q}", "{scholar}", "{ref}", "```{", ":class:", ")="):
            assert raw not in text, (page.name, raw)
        calls = [c for c in nb["cells"] if c["cell_type"] == "code"]
        for section in ("claims(", "comparison_table(", "disagreements(", "exercise("):
            assert any(section in "".join(c["source"]) for c in calls), (page.name, section)
    soviets = (edition / "book" / "chapters" / "01-soviets.ipynb").read_text(encoding="utf-8")
    assert "../../_build/html/book/reference/glossary.html#term-soviet" in soviets
    assert "theme_comparator(" in soviets and "attribution_quiz(" in soviets  # widgets stay live


def test_launch_links_must_name_the_repository_and_an_existing_notebook(tmp_path):
    page = tmp_path / "_build" / "html" / "p.html"
    page.parent.mkdir(parents=True)
    (tmp_path / "a.ipynb").write_text("{}", encoding="utf-8")
    good = "https://mybinder.org/v2/gh/example/course/main?urlpath=lab/tree/a.ipynb"
    page.write_text(f'<a href="{good}">x</a>', encoding="utf-8")
    assert launch_problems(tmp_path, URL, "main") == []
    assert launch_problems(tmp_path, None, "main")  # buttons off: any link is wrong
    for bad, why in [
        ("your-org/four-readings-1917/main?urlpath=lab/tree/a.ipynb", "not example/course"),
        ("example/course/main?urlpath=lab/tree/book/a.md", "not a notebook"),
        ("example/course/main?urlpath=lab/tree/b.ipynb", "not in the edition"),
    ]:
        page.write_text(f'<a href="https://mybinder.org/v2/gh/{bad}">x</a>', encoding="utf-8")
        assert why in launch_problems(tmp_path, URL, "main")[0]


@pytest.mark.slow
def test_a_failed_build_is_one_line_and_dest_stays_as_it_was(tmp_path, capsys):
    source = tmp_path / "course"
    copy_sources(ROOT, source)
    shutil.copytree(ROOT / "instructor", source / "instructor")
    page = source / "book" / "intro" / "how-to-use.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\nSee {ref}`no-such-label`.\n", encoding="utf-8")
    # the broken link is in prose: the build finds it with no notebook executed (a quicker failure)
    config = source / "_config.yml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["execute"]["execute_notebooks"] = "off"
    config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    dest = tmp_path / "out"
    args = ["release", str(dest), "--root", str(source), "--repository-url", URL]
    assert main(args) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "the book did not build" in err and "no-such-label" in err
    assert not dest.exists()
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]


@pytest.mark.slow
def test_a_fresh_clone_releases_in_one_command_with_working_launch_links(released_edition: Path):
    """`courseware release DEST --root CLONE --repository-url URL` from a clone (the shared
    `released_edition`): the release builds the book, and every launch link opens a notebook that is
    in the edition."""
    dest = released_edition
    links = launch_links(dest)
    chapters = sorted((dest / "book" / "chapters").glob("*.md"))
    assert len(links) >= 2 * len(chapters)
    for link in links:
        assert "/v2/gh/example/course/main?urlpath=lab/tree/" in link.url, link
        path = unquote(link.url.split("lab/tree/", 1)[1])
        assert path.endswith(".ipynb") and (dest / path).is_file(), link
    launched = {unquote(link.url.split("lab/tree/", 1)[1]) for link in links}
    assert {f"book/chapters/{p.stem}.ipynb" for p in chapters} <= launched
    html = dest / "_build" / "html"
    assert (html / "index.html").is_file()
    page = (html / "book" / "chapters" / "01-soviets.html").read_text(encoding="utf-8")
    assert page.count("const THEBE_JS_URL") == 1  # declared once: no page error
    assert not list(html.rglob("instructor/exercises/*"))
    assert (html / "_static" / "courseware-widgets.js").is_file()  # the widgets' script is the edition's own
    assert list((dest / "dist").glob("courseware-*.whl"))


@pytest.mark.slow
def test_the_edition_is_the_same_course_as_the_book_so_it_took_the_books_outputs(released_edition: Path):
    """The edition's data and package are the course's, byte for byte: its build took the notebook
    outputs of the run's book build (`shared_executions`) instead of executing them again."""
    assert content_key(released_edition) == content_key(ROOT) is not None
