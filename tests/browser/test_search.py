"""Search still works although only the search page loads the search index: the search box of a
chapter sends the query to the search page, which lists the matching pages."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_a_query_typed_on_a_chapter_finds_the_kronstadt_chapter(visit):
    v = visit("book/chapters/01-soviets.html")
    page = v.page
    assert not [u for u in v.requests if "searchindex.js" in u]  # a chapter does not load the index
    page.keyboard.press("Control+k")  # the theme's shortcut opens the search dialog
    box = page.locator("#pst-search-dialog input[name=q]")
    box.wait_for(state="visible", timeout=10_000)
    box.fill("Kronstadt")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=Kronstadt*", timeout=20_000)
    results = page.locator("#search-results li a")
    results.first.wait_for(timeout=20_000)
    assert any("07-kronstadt" in (results.nth(i).get_attribute("href") or "") for i in range(results.count()))
    assert v.our_errors() == []
