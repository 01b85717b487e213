"""Shared pieces of the browser tests: a visited page's record, waiting for widgets, listing pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# sphinx-thebe declares this constant twice on every page; harmless, and not the course's code.
KNOWN_PAGE_ERRORS = ("Identifier 'THEBE_JS_URL' has already been declared",)
WIDGET_VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]'


@dataclass
class Visit:
    """One page opened in the browser, with what it asked for and what went wrong."""

    page: object  # playwright.sync_api.Page
    base: str
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # local requests that failed or got >= 400
    errors: list[str] = field(default_factory=list)

    def external_requests(self) -> list[str]:
        return [
            u
            for u in self.requests
            if not (u.startswith(self.base) or u.startswith(("data:", "blob:", "about:")))
        ]

    def our_errors(self) -> list[str]:
        return [e for e in self.errors if not any(k in e for k in KNOWN_PAGE_ERRORS)]


@dataclass
class PageReport:
    """What one visit of a page found: requests beyond localhost, failed local requests, page
    errors from the course's code, and serious or critical accessibility violations."""

    external: list[str]
    failed: list[str]
    errors: list[str]
    violations: list[str]


BLOCKING = {"serious", "critical"}
# Known violations in the book theme's own markup, not the course's, each with its fix:
# (rule, marker in the element's HTML) pairs to tolerate: none. The theme's colour-mode button,
# whose icons' titles mismatched its name, is fixed by _templates/theme-switcher.html.
THEME_ALLOWED: set[tuple[str, str]] = set()


def axe_violations(page, axe_js: str, selector: str | None = None) -> list[str]:
    """Serious or critical axe violations on the page, or inside the element `selector`."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_js)
    target = "document" if selector is None else f"document.querySelector({selector!r})"
    result = page.evaluate(f"() => axe.run({target}, {{resultTypes: ['violations']}})")
    out = []
    for v in result["violations"]:
        if v["impact"] not in BLOCKING:
            continue
        for node in v["nodes"]:
            if any(v["id"] == rule and marker in node["html"] for rule, marker in THEME_ALLOWED):
                continue
            where = node["target"][-1] if node["target"] else "?"
            out.append(f"{v['impact']} {v['id']} ({v['help']}) at {where}: {node['html'][:120]}")
    return out


def open_visit(browser, base: str, path: str) -> Visit:
    """Open `path` of the book served at `base` in a new browser context, recording every request,
    failed request and page error; return once the page has loaded and its widgets are drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    v = Visit(page, base)
    page.on("request", lambda r: v.requests.append(r.url))
    page.on("requestfailed", lambda r: v.failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and v.failed.append(f"{r.url} ({r.status})"))
    page.on("pageerror", lambda e: v.errors.append(str(e)))
    page.goto(base + path, wait_until="load")
    wait_for_widgets(page)
    return v


def wait_for_widgets(page, timeout: float = 20_000) -> None:
    """Wait until every saved widget view on the page has been drawn by the widget manager."""
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('{WIDGET_VIEW}')]
              .every(s => s.parentElement.querySelector('.widget-subarea .jupyter-widgets'))""",
        timeout=timeout,
    )


def html_pages(root: Path) -> list[str]:
    """Every page of the built book, as paths relative to its root."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.html")
        if "_static" not in p.parts and "_sources" not in p.parts
    )


def widget_pages(root: Path) -> list[str]:
    """The pages that carry saved widget views."""
    return [
        p
        for p in html_pages(root)
        if "application/vnd.jupyter.widget-view+json" in (root / p).read_text(encoding="utf-8")
    ]


def choose(root, kind: str, i: int) -> None:
    """Pick option `i` of the choice at the top of widget `root` (a Playwright locator) as a reader
    would: the dropdown's list, a toggle button, or the slider moved with the keyboard."""
    if kind == "dropdown":
        root.locator("select").first.select_option(index=i)
    elif kind == "toggle":
        root.locator(".widget-toggle-buttons").first.locator("button").nth(i).click()
    elif kind == "slider":
        handle = root.locator("input[type=range]").first
        handle.focus()
        handle.press("Home")
        for _ in range(i):
            handle.press("ArrowRight")
    else:
        raise ValueError(f"unknown choice kind {kind!r}")
