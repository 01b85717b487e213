"""The turning-points chart: one series per text that records verdicts, all on 1917-1930."""

from __future__ import annotations

import dataclasses

import pytest

from courseware.data import course
from courseware.turning import (
    FIRST_YEAR,
    LAST_YEAR,
    VERDICTS,
    reasons_html,
    reasons_table,
    turning_chart,
    turning_points_by_source,
)
from courseware.views import turning_point_view


def _series(fig):
    ax = fig.axes[0]
    return {coll.get_gid(): coll for coll in ax.collections if (coll.get_gid() or "").startswith("series-")}


def test_chart_has_one_series_per_text_with_turning_points():
    c = course()
    with_points = {tp.source for tp in c.turning_points}
    assert with_points, "data/turning_points.yml records no turning point"
    series = _series(turning_chart())
    assert set(series) == {f"series-{sid}" for sid in with_points}
    for sid in with_points:
        offsets = series[f"series-{sid}"].get_offsets()
        assert len(offsets) == sum(1 for tp in c.turning_points if tp.source == sid)


def test_every_marker_lies_within_1917_to_1930():
    fig = turning_chart()
    for coll in _series(fig).values():
        for x, _ in coll.get_offsets():
            assert FIRST_YEAR <= x <= LAST_YEAR
    low, high = fig.axes[0].get_xlim()
    assert low < FIRST_YEAR and high > LAST_YEAR and high - low < (LAST_YEAR - FIRST_YEAR) + 2


def test_a_text_without_turning_points_gets_no_lane():
    c = course()
    silent = "icf-98-2017"
    trimmed = dataclasses.replace(c, turning_points=[tp for tp in c.turning_points if tp.source != silent])
    fig = turning_chart(trimmed)
    assert f"series-{silent}" not in _series(fig)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == len({tp.source for tp in trimmed.turning_points})
    assert not any(c.sources[silent].short in label for label in labels)


def test_marker_numbers_match_the_reasons_table():
    fig = turning_chart()
    numbers_on_chart = sorted(int(t.get_text()) for t in fig.axes[0].texts if t.get_text().isdigit())
    table = reasons_table()
    assert numbers_on_chart == table["No."].tolist() == list(range(1, len(course().turning_points) + 1))
    for sid, points in turning_points_by_source().items():
        years = [p.year for p in points]
        assert years == sorted(years), f"{sid}: points are not in year order"


def test_each_verdict_has_its_own_shape_and_colour():
    assert len({v.marker for v in VERDICTS.values()}) == len(VERDICTS)
    assert len({v.colour for v in VERDICTS.values()}) == len(VERDICTS)


@pytest.mark.parametrize("from_dir, prefix", [("book/chapters", "../readings/"), ("book", "readings/")])
def test_reasons_link_every_quote_to_its_paragraph(from_dir, prefix):
    html = reasons_html(from_dir=from_dir)
    for tp in course().turning_points:
        if tp.quote:
            assert f'href="{prefix}{tp.quote.source}.html#p{tp.quote.paragraph}"' in html


def test_a_verdict_the_text_does_not_date_says_so_on_the_chart_and_in_the_tables():
    undated = [tp for tp in course().turning_points if tp.undated]
    assert [(tp.source, tp.undated) for tp in undated] == [("callinicos-1977", "after the civil war")]
    labels = [t.get_text() for t in turning_chart().axes[0].texts]
    assert "no year given: “after the civil war”" in labels
    row = reasons_table().set_index("Text").loc["Callinicos 1977"]
    assert "no year given (“after the civil war”); placed at 1921" in set(row["Year"])
    assert "The text gives no year: “after the civil war”" in turning_point_view(course(), 1921)
