"""The reader's texts: numbered, faithful to the originals, with the repairs the provenance names."""

from __future__ import annotations

import re

from courseware.corpus import find_paragraph, original_text, reader_href
from courseware.load import load_course
from courseware.text import compact

COURSE = load_course()


def test_paragraphs_are_numbered_from_one_without_gaps():
    for sid, text in COURSE.texts.items():
        numbers = [p.n for p in text.paragraphs]
        assert numbers == list(range(1, len(numbers) + 1)), sid


def test_every_paragraph_is_faithful_to_its_original():
    for sid, text in COURSE.texts.items():
        original = compact(original_text(COURSE, sid))
        for p in text.paragraphs:
            assert compact(p.text) in original, f"{sid} ¶{p.n}"


def test_hampton_print_hyphenation_and_caption_are_repaired():
    text = " ".join(p.text for p in COURSE.texts["hampton-awl"].paragraphs)
    assert "democratic festival" in text and "demo-" not in text
    assert "Red Army, 1921" not in text
    assert "byMensheviks" not in text
    # no hyphen left dangling before a space (but "national- and regional-level" is the author's)
    assert re.search(r"\w- (?!and )\w", text) is None


def test_hampton_caption_is_gone_from_the_middle_of_lenins_words():
    para = next(p for p in COURSE.texts["hampton-awl"].paragraphs if "we pleaded" in p.text)
    assert "we pleaded: ‘Please come back’" in para.text


def test_ict_readers_comments_are_kept_apart_from_the_article():
    kinds = {p.n: p.kind for p in COURSE.texts["ict-aurora-2017"].paragraphs}
    first_comment = next(n for n, k in kinds.items() if k == "comment")
    para = find_paragraph(COURSE, "ict-aurora-2017", first_comment)
    assert para.text.startswith("It would be great if you could elaborate")
    assert all(k == "text" for n, k in kinds.items() if n < first_comment)


def test_callinicos_endnotes_are_notes():
    notes = [p for p in COURSE.texts["callinicos-1977"].paragraphs if p.kind == "note"]
    assert len(notes) == 34  # 33 numbered endnotes and the footnote 1*
    assert notes[0].text.startswith("1*.")


def test_unknowns_stay_unknown():
    anarchist = COURSE.sources["anarchist-essay"]
    assert anarchist.author == "unknown" and anarchist.url == "unknown"
    assert anarchist.date.startswith("unknown")


def test_reader_links_are_relative_to_the_page():
    assert reader_href("hampton-awl", 30) == "../readings/hampton-awl.html#p30"
    assert reader_href("hampton-awl", 30, from_dir="book/readings") == "hampton-awl.html#p30"
    assert reader_href("hampton-awl", None, from_dir="book") == "readings/hampton-awl.html"
    assert reader_href("hampton-awl", 30, from_dir="") == "book/readings/hampton-awl.html#p30"
    # a notebook of the edition links into the built book beside it
    built = reader_href("hampton-awl", 30, from_dir="book/chapters", built="_build/html")
    assert built == "../../_build/html/book/readings/hampton-awl.html#p30"
