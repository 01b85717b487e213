"""Drive a real JupyterLab in Debian's Chromium as a student does: open a notebook at its launch path
(`lab/tree/<path>`), run every cell from the Run menu, save, and read back what ran."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
IDLE = "text=/ipykernel\\) \\| Idle/"  # the status bar once the kernel is up and idle


@dataclass
class Lab:
    base: str
    token: str
    process: subprocess.Popen

    def url(self, path: str) -> str:
        return f"{self.base}/lab/tree/{path}?reset&token={self.token}"  # reset: no other tab restored

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(
    root: Path, python: str = sys.executable, env: dict | None = None, log: Path | None = None
) -> Lab:
    """JupyterLab on 127.0.0.1 serving `root`, with `python`'s environment."""
    port, token = _free_port(), "courseware-test"
    cmd = [
        python,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=",
        f"--LabApp.workspaces_dir={root / '.lab-workspaces'}",
        "--ServerApp.open_browser=False",
    ]
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 (kept for the process's life)
    process = subprocess.Popen(
        cmd, cwd=root, env=env or os.environ.copy(), stdout=out, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)  # noqa: S310 (local)
            return Lab(base, token, process)
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {process.returncode}; see {log}") from None
            time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"JupyterLab did not answer on {base} within a minute; see {log}")


def open_notebook(page, lab: Lab, path: str) -> dict:
    """Open `path` as its launch link does and say what JupyterLab shows for it."""
    page.goto(lab.url(path), wait_until="domcontentloaded")
    page.wait_for_selector(".jp-NotebookPanel:visible .jp-Cell, .jp-FileEditor:visible", timeout=90_000)
    page.wait_for_selector(IDLE, timeout=90_000)
    return page.evaluate("""() => ({
        notebooks: [...document.querySelectorAll('.jp-NotebookPanel')].filter(e => e.offsetParent).length,
        editors: [...document.querySelectorAll('.jp-FileEditor')].filter(e => e.offsetParent).length,
    })""")


def run_all_and_save(page) -> None:
    page.click("#jp-MainMenu >> text=Run", timeout=10_000)
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')", timeout=10_000)
    wait_until_run(page)
    save(page)


# JupyterLab marks the tab of a notebook with unsaved changes, and clears the mark once the server
# has written the file.
_SAVED = "() => !document.querySelector('.lm-TabBar-tab.lm-mod-current.jp-mod-dirty')"


def save(page) -> None:
    """Save the open notebook (Ctrl+S) and wait until the server has written it."""
    page.keyboard.press("Control+s")
    page.wait_for_function(_SAVED, timeout=30_000)


# The run is over when the notebook's last code cell has a number and no cell waits ([*]).
_DONE = """() => {
    const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')];
    const prompts = cells.map(c => c.querySelector('.jp-InputPrompt').textContent);
    const last = prompts[prompts.length - 1];
    return prompts.length > 0 && /\\d/.test(last) && !prompts.some(p => p.includes('*'));
}"""


def wait_until_run(page, timeout: int = 240_000) -> None:
    page.wait_for_function(_DONE, timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_timeout(500)


def ran(notebook: Path) -> dict:
    """What the saved notebook says ran: code cells not run, errors, and live widget views."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    outputs = [o for c in code for o in c.get("outputs", [])]
    return {
        "not_run": [i for i, c in enumerate(code) if c.get("execution_count") is None],
        "errors": [f"{o.get('ename')}: {o.get('evalue')}" for o in outputs if o["output_type"] == "error"],
        "widgets": sum("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs),
    }
