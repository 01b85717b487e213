"""courseware.jb: the build reads pages on every core, the chapters dealt out among the jobs."""

from __future__ import annotations

import doctest

from courseware import jb


def test_doctests_pass():
    assert doctest.testmod(jb).failed == 0


def test_every_page_is_read_once_and_the_chapters_are_shared_out():
    pages = [f"book/chapters/{n:02d}" for n in range(1, 12)] + [f"book/readings/{n}" for n in "abcdefgh"]
    chunks = jb.dealt_chunks(pages, 2)
    assert sorted(p for c in chunks for p in c) == sorted(pages)
    chapters = [sum(p.startswith("book/chapters/") for p in c) for c in chunks]
    assert max(chapters) - min(chapters) <= 1, chapters
    assert jb.dealt_chunks(["only"], 4) == [["only"]]
    assert jb.dealt_chunks([], 4) == []  # an empty chunk would make Sphinx's parallel writer fail


def test_the_number_of_jobs_can_be_set(monkeypatch):
    monkeypatch.setenv("COURSEWARE_BUILD_JOBS", "3")
    assert jb.build_jobs() == 3
    monkeypatch.setenv("COURSEWARE_BUILD_JOBS", "none")
    assert jb.build_jobs() >= 1
