"""The normalisers that decide whether a quotation is verbatim."""

import doctest

import pytest

from courseware import text
from courseware.text import closest_passage, normalise, occurs_in, quote_parts


def test_doctests_pass():
    assert doctest.testmod(text).failed == 0


def test_typography_does_not_matter():
    assert occurs_in("the ‘workers’ state’ — at once", "the 'workers' state' - at once")


def test_print_hyphenation_is_repaired():
    assert normalise("an enormous demo-\ncratic festival") == "an enormous democratic festival"
    assert occurs_in("enormous democratic festival", "an enormous demo-\ncratic festival")


def test_lost_spaces_do_not_matter():
    assert occurs_in("controlled by Mensheviks", "still controlled byMensheviks and SRs")


def test_one_changed_word_is_caught():
    passage = "Any honest reckoning must conclude that Soviet democracy had ceased to function by 1921."
    assert occurs_in("Soviet democracy had ceased to function by 1921", passage)
    assert not occurs_in("Soviet democracy had ceased to function by 1920", passage)
    assert not occurs_in("Soviet power had ceased to function by 1921", passage)


def test_elisions_must_keep_order():
    passage = "They live Marxist thought. This thought sees man as the dominant factor."
    assert quote_parts("They live Marxist thought ... man") == ["They live Marxist thought", "man"]
    assert occurs_in("They live Marxist thought ... the dominant factor", passage)
    assert not occurs_in("the dominant factor ... They live Marxist thought", passage)


def test_closest_passage_points_at_the_intended_words():
    passage = "By 1921 the soviets were weak and the party ruled."
    best, score = closest_passage("the soviets were dead", passage)
    assert best.startswith("the soviets were")
    assert 0.5 < score < 1


def test_fold_makes_typography_plain():
    assert text.fold("‘a’ “b” c—d e–f g\u00a0h") == "'a' \"b\" c-d e-f g h"
    assert text.fold("plain 'text' - here") == "plain 'text' - here"


def test_dates_are_printed_in_words():
    assert text.readable_when("1917-11-07") == "7 November 1917"
    assert text.readable_when("1921-03") == "March 1921"
    assert text.readable_when("1917-08/09") == "August 1917 to September 1917"
    with pytest.raises(ValueError):
        text.readable_when("1917-02-30")
