"""The written-answer notebook in JupyterLab, driven from the keyboard in headless Chromium: it finds
the gradebook by itself, shows every criterion whole, warns before leaving an unsaved mark, and the
quick-entry box saves and moves on."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from courseware.grading.gradebook import Gradebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "written-answers-test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(gradebook_copy: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """JupyterLab serving a course folder: the notebook in instructor/, the gradebook one folder up."""
    course = tmp_path / "course"
    (course / "instructor").mkdir(parents=True)
    shutil.copy(ROOT / "instructor" / "grade_written.ipynb", course / "instructor")
    shutil.move(gradebook_copy, course / "gradebook.db")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "COURSEWARE_GRADEBOOK"}
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "jupyter-config")  # nothing from the user's own setup
    settings = tmp_path / "lab-settings"
    # every cell in the page (JupyterLab otherwise renders only the cells in view), and no news prompt
    (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none"}'
    )
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false"}'
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={course}",
         f"--LabApp.user_settings_dir={settings}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("JupyterLab did not start within 90 s", pytrace=False)
            time.sleep(0.5)
    try:
        yield url, course / "gradebook.db"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_marking_from_the_keyboard_in_jupyterlab(lab, browser):
    from playwright.sync_api import expect

    url, gradebook = lab
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{url}/lab/tree/instructor/grade_written.ipynb?token={TOKEN}")
        page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
        expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=90_000)
        page.locator(".jp-Notebook .jp-Cell").first.click()  # command mode on the notebook
        for _attempt in range(3):  # a click that lands while the kernel settles can be lost
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            try:
                page.get_by_text("Student 1 of 5").wait_for(timeout=40_000)
                break
            except Exception:  # Playwright's TimeoutError: try the menu again
                continue
        expect(page.get_by_text("Student 1 of 5")).to_be_visible()
        expect(page.get_by_text(str(gradebook))).to_be_visible()  # found one folder up

        # every criterion shown whole: the label wraps instead of clipping
        label = page.get_by_text("Explains where the disagreement comes from")
        expect(label).to_be_visible()
        assert label.evaluate("e => e.scrollWidth <= e.clientWidth + 1")

        # Space ticks criterion 2; moving on with Next then warns, and nothing is saved
        page.get_by_role("checkbox", name="2", exact=True).focus()
        page.keyboard.press("Space")
        expect(page.locator("input[type=number]")).to_have_value("2")
        page.get_by_role("button", name="Next ▶", exact=True).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("This mark is not saved.")).to_be_visible()
        expect(page.get_by_text("Student 1 of 5")).to_be_visible()
        with Gradebook(gradebook) as gb:
            assert gb.find_marks("soviets-fixture") == {}

        # quick entry: "1" and Enter saves alice with criterion 1 and moves on to bob
        quick = page.get_by_placeholder("criteria numbers, then Enter", exact=False)
        quick.focus()
        page.keyboard.type("1")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Student 2 of 5")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("1 of 5 marked")).to_be_visible()
        with Gradebook(gradebook) as gb:
            assert gb.find_marks("soviets-fixture")[("alice", "soviets_q6")].criteria == ["cites"]
    finally:
        context.close()
