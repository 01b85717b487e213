"""The student edition as a student meets it: its environment made from its own root files as Binder
makes it (a fresh virtual environment, `pip install -r requirements.txt`), a real JupyterLab on
127.0.0.1 serving it, a chapter opened at the path its launch button names, run from the Run menu
with no error and a live widget; then the exercise handed in with a download link that downloads."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.browser.lab_session import open_notebook, ran, run_all_and_save, save, start_lab, wait_until_run

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def edition(released_edition: Path, tmp_path_factory) -> Path:
    """A copy of the released edition: the student's session saves notebooks and hands work in."""
    dest = tmp_path_factory.mktemp("lab") / "edition"
    shutil.copytree(released_edition, dest, symlinks=True)
    return dest


@pytest.fixture(scope="module")
def lab(edition, binder_python, tmp_path_factory):
    env = {**os.environ, "PYTHONPATH": "", "JUPYTER_DATA_DIR": str(tmp_path_factory.mktemp("jd"))}
    env.pop("VIRTUAL_ENV", None)
    server = start_lab(edition, python=binder_python, env=env, log=edition.parent / "lab.log")
    yield server
    server.stop()


def _launch_path(edition: Path, page: str) -> str:
    """The notebook the built page's launch button opens (its `urlpath=lab/tree/...`)."""
    html = (edition / "_build" / "html" / f"{page}.html").read_text(encoding="utf-8")
    found = re.search(r"/v2/gh/example/course/main\?urlpath=lab/tree/([^\"&]+)", html)
    assert found, f"no launch link in {page}.html"
    return unquote(found[1])


def test_a_chapter_launches_as_a_notebook_and_runs_with_a_live_widget(edition, lab, browser):
    path = _launch_path(edition, "book/chapters/01-soviets")
    assert path == "book/chapters/01-soviets.ipynb"
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    seen = open_notebook(page, lab, path)
    assert seen == {"notebooks": 1, "editors": 0}  # a notebook, not a text editor
    run_all_and_save(page)
    result = ran(edition / path)
    assert result["not_run"] == [] and result["errors"] == [], result
    assert result["widgets"] >= 2
    # live: choosing another question changes the view, through the kernel-side widget
    choice = page.locator(".cw-theme-comparator select").first
    choice.scroll_into_view_if_needed()
    view = page.locator(".cw-theme-comparator .cw-compare-view:visible").first
    before = view.inner_text()
    choice.select_option(index=1)
    page.wait_for_function(  # the kernel answers, and the view changes
        """before => [...document.querySelectorAll('.cw-theme-comparator .cw-compare-view')]
            .some(v => v.offsetParent && v.innerText !== before)""",
        arg=before,
        timeout=15_000,
    )
    page.close()


def test_an_exercise_is_handed_in_with_a_link_that_downloads(edition, lab, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    open_notebook(page, lab, "exercises/soviets.ipynb")
    run_all_and_save(page)
    assert ran(edition / "exercises" / "soviets.ipynb")["errors"] == []
    page.keyboard.press("Control+End")
    last = page.locator(".jp-NotebookPanel:visible .jp-Cell").last
    last.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type('hand_in("Ada Lovelace")')
    page.keyboard.press("Escape")
    save(page)
    last.locator(".cm-content").click()
    page.keyboard.press("Control+Enter")  # run it, and add no cell below
    wait_until_run(page)
    page.wait_for_selector(".courseware-hand-in a[download]", timeout=60_000)
    report = page.locator(".courseware-hand-in").inner_text()
    assert "Ran the saved notebook in a fresh kernel" in report and "Missing: soviets_q1" in report
    with page.expect_download(timeout=30_000) as download:
        page.locator(".courseware-hand-in a[download]").click()
    assert download.value.suggested_filename == "soviets-ada-lovelace.ipynb"
    assert (edition / "exercises" / "hand-in" / "soviets-ada-lovelace.ipynb").is_file()
    page.close()
