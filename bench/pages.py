"""Page weight of the built book: what each page transfers, and in how many requests, as headless
Chromium loads it from a local server that compresses nothing (the worst case for a host).

    .venv/bin/python bench/pages.py [--built-book _build/html] [--compare OTHER_HTML]

Without --built-book the book is built first (every notebook executed). Prints one line per page
(requests, kilobytes, whether it holds widgets), then the heaviest page of each kind against the
course's targets: a widget page at most 2.0 MB in 25 requests, any other page at most 0.8 MB.
With --compare, the same pages of another build are measured in the same run and the ratios printed.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
WIDGET_PAGE = {"requests": 25, "bytes": 2_000_000}
OTHER_PAGE = {"bytes": 800_000}
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"  # a page that saves widgets


@dataclass
class Weight:
    page: str
    requests: int
    bytes: int
    widgets: bool


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def pages(html: Path) -> list[str]:
    skip = ("genindex.html", "search.html", "_static", "_sources", "_images", "jupyter-widgets")
    return sorted(
        str(p.relative_to(html)) for p in html.rglob("*.html") if not any(s in str(p) for s in skip)
    )


def weigh(browser, base: str, html_root: Path, page: str) -> Weight:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    sizes: list[int] = []

    def done(request) -> None:
        if not request.url.startswith(base):
            return
        try:
            sizes.append(len(request.response().body()))
        except Exception:  # a body the browser did not keep (a redirect): counted as a request
            sizes.append(0)

    tab.on("requestfinished", done)
    tab.goto(base + page, wait_until="networkidle")
    tab.wait_for_timeout(300)
    context.close()
    widgets = WIDGET_STATE in (html_root / page).read_text(encoding="utf-8")
    return Weight(page, len(sizes), sum(sizes), widgets)


def measure(html: Path) -> list[Weight]:
    from playwright.sync_api import sync_playwright

    server, base = serve(html)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            out = [weigh(browser, base, html, page) for page in pages(html)]
            browser.close()
    finally:
        server.shutdown()
    return out


def build() -> Path:
    out = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    cmd = [
        sys.executable,
        "-m",
        "courseware.jb",
        "build",
        "--all",
        "-n",
        "--keep-going",
        "--path-output",
        str(out),
        ".",
    ]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return out / "_build" / "html"


def report(weights: list[Weight], label: str) -> None:
    print(f"\n{label}: {len(weights)} pages")
    print(f"{'page':58} {'requests':>8} {'KB':>8}  widgets")
    for w in weights:
        print(f"{w.page:58} {w.requests:8d} {w.bytes / 1000:8.0f}  {'yes' if w.widgets else ''}")
    for kind, chosen in (
        ("widget pages", [w for w in weights if w.widgets]),
        ("other pages", [w for w in weights if not w.widgets]),
    ):
        if not chosen:
            continue
        heavy = max(chosen, key=lambda w: w.bytes)
        most = max(chosen, key=lambda w: w.requests)
        target = WIDGET_PAGE if kind == "widget pages" else OTHER_PAGE
        print(
            f"{kind}: heaviest {heavy.page} {heavy.bytes / 1e6:.2f} MB "
            f"(target {target['bytes'] / 1e6:.1f} MB); "
            f"most requests {most.page} {most.requests}"
            + (f" (target {target['requests']})" if "requests" in target else "")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--built-book", type=Path, help="an HTML folder built earlier (…/_build/html)")
    parser.add_argument("--compare", type=Path, help="another build's HTML folder, measured in the same run")
    args = parser.parse_args()
    html = args.built_book or build()
    weights = measure(html)
    report(weights, str(html))
    if args.compare:
        other = {w.page: w for w in measure(args.compare)}
        report(list(other.values()), str(args.compare))
        print("\nratio (this build / the other), by page kind:")
        for kind in (True, False):
            mine = [w for w in weights if w.widgets == kind and w.page in other]
            if mine:
                a = sum(w.bytes for w in mine) / len(mine)
                b = sum(other[w.page].bytes for w in mine) / len(mine)
                print(
                    f"  {'widget' if kind else 'other'} pages: mean {a / 1e6:.2f} MB "
                    f"against {b / 1e6:.2f} MB, {a / b:.2f}×"
                )


if __name__ == "__main__":
    main()
