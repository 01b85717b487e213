"""The edition without the full texts: each text cut to the passages the course quotes, and a check
that no run of a text's words outside those passages is left anywhere in the edition."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from courseware import textfree
from courseware.cli import main
from courseware.edition.launch_links import launch_links
from courseware.load import load_course
from courseware.release import MARKER
from courseware.validate import problems
from tests.helpers import ROOT


def course_copy(tmp_path: Path) -> Path:
    """The parts of the course the transform reads and rewrites: data, pages, exercises."""
    dest = tmp_path / "edition"
    for folder in ("data", "book", "exercises"):
        shutil.copytree(ROOT / folder, dest / folder)
    return dest


@pytest.fixture(scope="module")
def full():
    return load_course(ROOT / "data")


@pytest.fixture(scope="module")
def stripped(tmp_path_factory, full) -> Path:
    dest = course_copy(tmp_path_factory.mktemp("textfree"))
    assert textfree.strip_texts(dest, full) == list(full.sources)
    return dest


def test_a_paragraph_keeps_only_its_quoted_passages_in_order():
    paragraph = "One two three four. Five six seven eight nine. Ten eleven twelve thirteen."
    found = textfree.needles(["Ten eleven twelve", "Five six seven eight"])
    assert textfree.reduce_paragraph(paragraph, found) == "[…] Five six seven eight […] Ten eleven twelve […]"
    assert (
        textfree.reduce_paragraph(paragraph, textfree.needles(["not in it at all"]))
        == textfree.NOT_REPRODUCED
    )


def test_overlapping_and_adjacent_passages_merge():
    paragraph = "Alpha beta gamma delta epsilon. Zeta eta theta iota."
    found = textfree.needles(["Alpha beta gamma delta", "gamma delta epsilon", "Zeta eta theta iota"])
    assert (
        textfree.reduce_paragraph(paragraph, found) == "Alpha beta gamma delta epsilon. Zeta eta theta iota"
    )


def test_an_elided_quotation_keeps_each_part():
    paragraph = "The soviets met daily in 1917, and by 1921 they had ceased to meet at all."
    found = textfree.needles(["The soviets met daily ... ceased to meet at all"])
    assert textfree.reduce_paragraph(paragraph, found) == "The soviets met daily […] ceased to meet at all"


@pytest.mark.slow
def test_the_stripped_course_still_validates(stripped):
    """Every quotation, figure and paragraph reference still holds: the reduced texts and the reduced
    originals agree, and each quotation is still in its paragraph."""
    course = load_course(stripped / "data")
    assert problems(course) == []
    assert [p.n for p in course.texts["hampton-awl"].paragraphs] == [
        p.n for p in load_course(ROOT / "data").texts["hampton-awl"].paragraphs
    ]


@pytest.mark.slow
def test_no_paragraph_of_the_texts_is_left_beyond_quoted_passages(stripped, full):
    assert textfree.find_leaks(stripped, full) == []


@pytest.mark.slow
def test_the_check_finds_the_full_texts_when_they_are_there(tmp_path, full):
    """The same check over an unstripped copy: it must find every text (else it could never fail)."""
    dest = course_copy(tmp_path)
    leaks = textfree.find_leaks(dest, full)
    assert {leak.source for leak in leaks} == set(full.sources)
    assert any(leak.path.startswith("data/texts/original/") for leak in leaks)


@pytest.mark.slow
def test_most_of_each_text_is_gone(stripped, full):
    for sid in full.sources:
        before = sum(len(p.text) for p in full.texts[sid].paragraphs)
        after = (stripped / "data" / "texts" / "original" / full.sources[sid].original).read_text(
            encoding="utf-8"
        )
        assert len(after) < before * 0.6, sid


@pytest.mark.slow
def test_each_reader_page_says_what_it_leaves_out_and_links_to_the_original(stripped, full):
    for sid, src in full.sources.items():
        page = (stripped / "book" / "readings" / f"{sid}.md").read_text(encoding="utf-8")
        assert "This edition does not reproduce the text" in page
        assert f"{{source-text}} {sid}" in page
        if src.url != "unknown":
            assert src.url in page
        else:
            assert "No public address of the original is known." in page


@pytest.mark.slow
def test_release_without_texts_builds_and_holds_no_text(tmp_path, full):
    """The edition without the texts, through the command an instructor types: over an earlier
    edition (so `--force`), with no launch buttons; it builds, holds no text, and links nowhere."""
    dest = tmp_path / "no-texts"
    (dest / "book").mkdir(parents=True)
    (dest / MARKER).write_text("an earlier edition\n", encoding="utf-8")
    (dest / "book" / "stale.md").write_text("from the earlier edition\n", encoding="utf-8")
    args = ["release", str(dest), "--without-texts", "--no-launch-buttons", "--force"]
    assert main(args) == 0
    assert not (dest / "book" / "stale.md").exists()  # --force replaced the earlier edition
    assert (dest / "_build" / "html" / "book" / "readings" / "hampton-awl.html").exists()
    html = (dest / "_build" / "html" / "book" / "readings" / "callinicos-1977.html").read_text(
        encoding="utf-8"
    )
    assert "This edition does not reproduce the text" in html
    assert 'id="p18"' in html  # quotations still land on their paragraph
    assert textfree.find_leaks(dest, full) == []
    assert launch_links(dest) == []  # --no-launch-buttons: no page offers Binder
