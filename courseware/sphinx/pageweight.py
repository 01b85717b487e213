"""Keep every page light: what the theme loads on every page but the book does not need is dropped.

- **Icons.** The theme draws its few icons (menu, search, download, colour mode…) with Font
  Awesome's 1.5 MB script, which swaps each `<i class="fa-solid fa-NAME">` (or `<span>`) for an
  SVG once the page has loaded. The book writes those SVGs into the page itself, from `icons.yml`,
  and draws the admonitions' icons (note, tip, warning…) as CSS masks of the same SVGs, so a page
  loads neither the icon script nor the icon font. An icon missing from `icons.yml` is a build
  warning naming it (so `-W` fails).
- **Search.** The theme loads the search index (130 KB and growing with the book) and its tools on
  every page for an as-you-type search the book does not switch on; its search box sends the query
  to the search page, which loads them itself.

- **Pictures below the fold.** Every `<img>` is marked `loading="lazy"`: the browser fetches a chart
  when the reader scrolls near it, not all of a chapter's charts with the page.
- **Assets a page does not use.** Extensions add their styles and scripts to every page: the
  design elements' (dropdowns, cards), the notebook cells', the copy and toggle buttons'. A page
  keeps each only when its body uses what it styles.

The first three are done when the HTML builder has written every page (`build-finished`), so they
cover the theme's own templates as well as the book's pages; running them twice changes nothing.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from ..yamltext import parse as parse_yaml

log = logging.getLogger(__name__)
ICONS_FILE = Path(__file__).with_name("icons.yml")

_FONTAWESOME = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
_SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>'
)
_ICON = re.compile(
    r'<(?P<tag>i|span) (?P<attrs>[^>]*\bclass="(?P<classes>[^"]*\bfa-[^"]*)"[^>]*)>\s*</(?P=tag)>'
)
_IMG = re.compile(r"<img (?![^>]*\bloading=)")
_STYLE_CLASSES = {"fa", "fas", "far", "fab", "fa-solid", "fa-regular", "fa-brands", "fa-lg", "fa-fw"}


@cache
def icons() -> dict[str, tuple[int, int, str]]:
    """Icon name → (width, height, SVG path), from icons.yml."""
    raw = parse_yaml(ICONS_FILE.read_text(encoding="utf-8"))
    return {name: (int(i["width"]), int(i["height"]), str(i["path"])) for name, i in raw.items()}


def icon_name(classes: str) -> str | None:
    """The icon an `<i>`'s classes ask for.

    >>> icon_name("theme-switch fa-solid fa-sun fa-lg"), icon_name("fa-solid fa-lg")
    ('sun', None)
    """
    names = [c[3:] for c in classes.split() if c.startswith("fa-") and c not in _STYLE_CLASSES]
    return names[0] if names else None


def svg_for(match: re.Match[str], page: str) -> str:
    """The inline SVG for one `<i class="fa-…">` or `<span class="fa-…">`, keeping its classes and
    other attributes (the colour-mode button shows one of three by `data-mode`)."""
    name = icon_name(match["classes"])
    found = icons().get(name or "")
    if found is None:
        log.warning(f'{page}: the icon "{name}" is not in {ICONS_FILE.name}; add its SVG path there')
        return match[0]
    width, height, path = found
    # Font Awesome's own classes go: their style asks for the icon font, which would then load
    kept = [c for c in match["classes"].split() if not c.startswith("fa")]
    size = ["cw-icon-lg"] if "fa-lg" in match["classes"].split() else []
    classes = " ".join([*kept, "cw-icon", f"cw-icon-{name}", *size])
    attrs = match["attrs"].replace(f'class="{match["classes"]}"', f'class="{classes}"')
    if "aria-hidden" not in attrs:
        attrs += ' aria-hidden="true"'
    return (
        f'<svg {attrs} focusable="false" role="img" viewBox="0 0 {width} {height}">'
        f'<path fill="currentColor" d="{html.escape(path, quote=True)}"/></svg>'
    )


def lighten(text: str, page: str, keep_search: bool) -> str:
    """The page without the icon script (icons inline instead), with its pictures loaded lazily and,
    unless it is the search page, without the search scripts."""
    text = _FONTAWESOME.sub("", text)
    text = _ICON.sub(lambda m: svg_for(m, page), text)
    if not keep_search:
        text = _SEARCH_SCRIPTS.sub("", text)
    return _IMG.sub('<img loading="lazy" ', text)


ICON_CSS = "courseware-icons.css"
# the theme's admonition icons (drawn with the icon font), by admonition class → icon
ADMONITION_ICONS = {
    "": "bell",
    "note": "circle-info",
    "tip": "lightbulb",
    "hint": "lightbulb",
    "warning": "triangle-exclamation",
    "caution": "triangle-exclamation",
    "danger": "triangle-exclamation",
    "error": "circle-xmark",
}


def svg_data_uri(name: str) -> str:
    """An icon as a CSS `url()` of an SVG document, for a mask."""
    width, height, path = icons()[name]
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{path}'/></svg>"
    return 'url("data:image/svg+xml,' + svg.replace("#", "%23").replace('"', "'") + '")'


def icon_css() -> str:
    """Admonition and download-link icons as masks painted in the theme's colour, instead of the
    icon font's glyphs (which made every page with a note, a tip or a download load the 156 KB font)."""
    rules = [
        "/* Written by courseware/sphinx/pageweight.py from icons.yml: no icon font. */",
        ".admonition>.admonition-title::after{content:''!important;font:inherit!important;"
        "background-color:currentColor;-webkit-mask:var(--cw-icon) center/contain no-repeat;"
        "mask:var(--cw-icon) center/contain no-repeat}",
    ]
    for kind, name in ADMONITION_ICONS.items():
        rules.append(f".admonition{'.' + kind if kind else ''}{{--cw-icon:{svg_data_uri(name)}}}")
    # a {download} link's icon, which the theme also draws with the font
    rules.append(
        "a.reference.download::before{content:''!important;font:inherit!important;display:inline-block;"
        "width:.8em;height:.8em;padding:0!important;margin:0 .25em;background-color:currentColor;"
        f"-webkit-mask:{svg_data_uri('download')} center/contain no-repeat;"
        f"mask:{svg_data_uri('download')} center/contain no-repeat}}"
    )
    return "\n".join(rules) + "\n"


def lighten_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    (Path(app.outdir) / "_static" / ICON_CSS).write_text(icon_css(), encoding="utf-8")
    as_you_type = bool(app.config.html_theme_options.get("search_as_you_type"))
    out = Path(app.outdir)
    for page in out.rglob("*.html"):
        if "_static" in page.relative_to(out).parts:
            continue
        before = page.read_text(encoding="utf-8")
        after = lighten(
            before, str(page.relative_to(out)), keep_search=as_you_type or page.name == "search.html"
        )
        if after != before:
            page.write_text(after, encoding="utf-8")


# asset file name → what a page's body must contain for the asset to be needed there
NEEDED_BY: dict[str, tuple[str, ...]] = {
    "sphinx-design.min.css": ("sd-",),
    "design-tabs.js": ("sd-tab",),
    "copybutton.css": ('class="highlight',),
    "copybutton.js": ('class="highlight',),
    "clipboard.min.js": ('class="highlight',),
    "togglebutton.css": ("toggle",),
    "togglebutton.js": ("toggle",),
}


def needed(filename: str, body: str) -> bool:
    """Whether a page whose body is `body` uses the asset `filename` (any asset not listed is).

    >>> needed("_static/sphinx-design.min.css?v=1", "<p>plain</p>"), needed("basic.css", "")
    (False, True)
    """
    name = filename.split("?")[0].rsplit("/", 1)[-1]
    marks = NEEDED_BY.get(name)
    return marks is None or any(m in body for m in marks)


def drop_unused_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body", "")
    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [a for a in context[key] if needed(str(getattr(a, "filename", a)), body)]


def setup(app: Sphinx) -> None:
    app.add_css_file(ICON_CSS)
    app.connect("html-page-context", drop_unused_assets)
    app.connect("build-finished", lighten_pages)
