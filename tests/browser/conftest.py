"""Fixtures for the browser tests: Debian's Chromium driven by Playwright over the built book,
served on 127.0.0.1, with every request and page error recorded."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from courseware import vendor
from tests.browser.browsing import PageReport, Visit, axe_violations, html_pages, open_visit, widget_pages
from tests.browser.widget_tour import WidgetReport, tour
from tests.made_once import made_once


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


LATE_REQUESTS = """() => document.fonts.ready.then(
    () => new Promise(done => requestIdleCallback(done, {timeout: 1000})))"""


@pytest.fixture(scope="session")
def book_url(built_book: Path) -> Iterator[str]:
    """The built book served over http on 127.0.0.1 (a free port)."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def axe_js(tmp_path_factory: pytest.TempPathFactory) -> str:
    """axe-core's script, fetched from the npm registry at its pinned version and checked (once per
    run: the workers would otherwise write the same files at once)."""

    def fetch(_: Path) -> None:
        try:
            vendor.fetch(vendor.AXE)
        except vendor.VendorError as e:
            pytest.fail(f"axe-core could not be fetched: {e}", pytrace=False)

    made_once(tmp_path_factory, "axe", fetch)
    return (vendor.ROOT / vendor.AXE_JS).read_text(encoding="utf-8")


@pytest.fixture
def visit(browser, book_url: str) -> Iterator:
    """`visit("book/chapters/07-kronstadt.html")` → a `Visit` once the page and its widgets are ready."""
    opened: list[Visit] = []

    def open_page(path: str) -> Visit:
        opened.append(open_visit(browser, book_url, path))
        return opened[-1]

    yield open_page
    for v in opened:
        v.page.context.close()


@pytest.fixture(scope="session")
def page_reports(
    built_book: Path, browser, book_url: str, axe_js: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, PageReport]:
    """Every page of the book visited once per run (whichever worker asks first): what it
    requested, what failed, what axe found."""

    def visit_all(folder: Path) -> None:
        reports = visit_every_page(built_book, browser, book_url, axe_js)
        (folder / "reports.json").write_text(json.dumps({p: asdict(r) for p, r in reports.items()}))

    made = made_once(tmp_path_factory, "page-reports", visit_all) / "reports.json"
    return {p: PageReport(**r) for p, r in json.loads(made.read_text()).items()}


def visit_every_page(built_book: Path, browser, book_url: str, axe_js: str) -> dict[str, PageReport]:
    reports = {}
    for path in html_pages(built_book):
        v = open_visit(browser, book_url, path)
        # late requests (fonts, scripts run when the page is idle) are made by the time the fonts
        # are in and the browser is idle; any later one is still recorded while axe runs
        v.page.evaluate(LATE_REQUESTS)
        violations = axe_violations(v.page, axe_js)
        reports[path] = PageReport(
            v.external_requests(), [f for f in v.failed if "favicon.ico" not in f], v.our_errors(), violations
        )
        v.page.context.close()
    return reports


@pytest.fixture(scope="session")
def widget_reports(
    built_book: Path, browser, book_url: str, axe_js: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, WidgetReport]:
    """The widget tour of every widget page, once per run (whichever worker asks first)."""

    def tour_all(folder: Path) -> None:
        reports = {}
        for path in widget_pages(built_book):
            v = open_visit(browser, book_url, path)
            reports[path] = asdict(tour(v, path, built_book / path, axe_js))
            v.page.context.close()
        (folder / "reports.json").write_text(json.dumps(reports))

    made = made_once(tmp_path_factory, "widget-reports", tour_all) / "reports.json"
    return {p: WidgetReport(**r) for p, r in json.loads(made.read_text()).items()}
