"""Pages stay light: no page loads the icon script (its icons are inline SVG from icons.yml), and
only the search page loads the search index. On the built book, and on a page string."""

from __future__ import annotations

import re
from pathlib import Path

from courseware.sphinx.pageweight import icons, lighten

THEME_PAGE = """<head>
<script defer src="../_static/scripts/fontawesome.js?digest=abc"></script>
<script src="../_static/searchtools.js"></script>
<script src="../_static/language_data.js"></script>
<script src="../searchindex.js"></script>
</head><body>
<button>
    <span class="fa-solid fa-bars"></span>
</button>
<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" aria-hidden="true"></i>
<img alt="A chart" src="../_images/chart.png" />
</body>"""


def test_icons_become_inline_svg_and_the_scripts_go():
    out = lighten(THEME_PAGE, "page.html", keep_search=False)
    assert "fontawesome.js" not in out and "searchindex.js" not in out and "searchtools.js" not in out
    assert "<i " not in out and "<span" not in out
    assert out.count("<svg ") == 2
    assert (
        'class="theme-switch cw-icon cw-icon-sun cw-icon-lg" data-mode="light"' in out
        and f'viewBox="0 0 {icons()["bars"][0]} {icons()["bars"][1]}"' in out
    )
    assert '<img loading="lazy" alt="A chart"' in out
    assert lighten(out, "page.html", keep_search=False) == out  # a second pass changes nothing


def test_the_search_page_keeps_its_scripts():
    assert "searchindex.js" in lighten(THEME_PAGE, "search.html", keep_search=True)


def test_an_icon_missing_from_the_list_is_a_warning_naming_it(caplog):
    page = '<i class="fa-solid fa-no-such-icon"></i>'
    assert lighten(page, "page.html", keep_search=False) == page
    assert "no-such-icon" in caplog.text and "icons.yml" in caplog.text


def test_no_built_page_loads_the_icon_script_or_the_index_but_search(built_book: Path):
    heavy = []
    for page in built_book.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        if "fontawesome.js" in text or re.search(r'<(?:i|span) [^>]*class="[^"]*\bfa-', text):
            heavy.append(f"{page.name}: icon script or an undrawn icon")
        if page.name != "search.html" and "searchindex.js" in text:
            heavy.append(f"{page.name}: search index")
    assert heavy == []
    assert "searchindex.js" in (built_book / "search.html").read_text(encoding="utf-8")
    assert '<svg class="cw-icon cw-icon-bars"' in (built_book / "book" / "index.html").read_text(
        encoding="utf-8"
    )
