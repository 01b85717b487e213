"""The chapter's charts and tables are drawn from the figures data: each series is the texts' numbers,
labelled with the text and the scholar it cites."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from courseware import charts  # noqa: E402
from courseware.frames import figures_frame  # noqa: E402

ALL = [
    charts.membership_chart,
    charts.membership_dispute_chart,
    charts.soviets_chart,
    charts.meetings_chart,
    charts.secretariat_chart,
    charts.petrograd_membership_chart,
    charts.moscow_office_chart,
    charts.cec_chart,
]


def _legend(ax) -> list[str]:
    legend = ax.get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend else []


def _heights(ax) -> list[float]:
    return [round(p.get_height(), 3) for p in ax.patches]


def _widths(ax) -> list[float]:
    return [round(p.get_width(), 3) for p in ax.patches]


def _texts(fig: Figure) -> str:
    parts = [t.get_text() for ax in fig.axes for t in ax.texts]
    parts += [t.get_text() for t in fig.texts]
    parts += [ax.get_title() for ax in fig.axes]
    parts += [t.get_text() for ax in fig.axes for t in ax.get_yticklabels() + ax.get_xticklabels()]
    return "\n".join(parts)


@pytest.mark.parametrize("draw", ALL, ids=lambda f: f.__name__)
def test_every_chart_is_a_titled_figure_with_labelled_axes(draw):
    fig = draw()
    assert isinstance(fig, Figure)
    assert fig._suptitle is not None and fig._suptitle.get_text()
    for ax in fig.axes:
        assert ax.get_xlabel() or ax.get_ylabel() or ax.get_yticklabels()
    fig.canvas.draw()  # renders without error


def test_membership_chart_has_one_series_per_text_and_scholar():
    whole, close = charts.membership_chart().axes
    assert _legend(whole) == [
        "Hampton (AWL), citing Rigby 1971",
        "ICT 2017, no scholar named",
        "Hampton (AWL), citing Rowney 1989",
    ]
    series = {line.get_label(): list(line.get_ydata()) for line in whole.get_lines()}
    assert series["Hampton (AWL), citing Rigby 1971"] == [8400, 23600, 400000]
    assert series["ICT 2017, no scholar named"] == [8000, 300000]
    assert series["Hampton (AWL), citing Rowney 1989"] == [1000000]
    assert whole.get_yscale() == "log"
    assert sorted(v for line in close.get_lines() for v in line.get_ydata()) == [8000, 23600, 300000, 400000]


def test_membership_dispute_sets_the_two_texts_side_by_side_with_their_hedges():
    start, autumn = charts.membership_dispute_chart().axes
    assert sorted(_heights(start)) == [8000, 23600]
    assert sorted(_heights(autumn)) == [300000, 400000]
    labels = "\n".join(t.get_text() for t in start.get_xticklabels())
    assert "Rigby 1971" in labels and "no scholar named" in labels
    words = _texts(charts.membership_dispute_chart())
    for hedge in ("at most", "estimated", "more than", "may have exceeded"):
        assert hedge in words


def test_soviets_chart_counts_and_keeps_the_ict_increase_apart():
    (ax,) = charts.soviets_chart().axes
    assert {700, 80, 1429, 400, 455} <= set(_widths(ax))
    assert _legend(ax) == ["Hampton (AWL), citing Smith 2002", "ICT 2017, no scholar named"]
    text = _texts(ax.figure)
    assert "“Some 700”" in text and "455 of them peasants' soviets" in text


def test_meetings_chart_shows_sovnarkom_by_year_and_the_cec_by_week():
    sov, cec = charts.meetings_chart().axes
    assert _heights(sov) == [203, 97, 69, 51]
    assert [t.get_text() for t in sov.get_xticklabels()] == ["1918", "1919", "1920", "1921"]
    assert _legend(sov) == ["Hampton (AWL), no scholar named"]
    assert "77 meetings in 102 days" in _texts(sov.figure)
    (step,) = cec.get_lines()
    assert list(step.get_ydata()) == [2, 0.5, 0]
    assert _legend(cec) == ["Hampton (AWL), citing Rigby 1979"]


def test_secretariat_chart_separates_the_two_scholars_and_definitions():
    (ax,) = charts.secretariat_chart().axes
    assert _heights(ax) == [10, 30, 150, 602]
    legend = _legend(ax)
    assert any("central committee: Hampton (AWL), citing Liebman 1975" in t for t in legend)
    assert any("secretariat: Hampton (AWL), citing Pirani 2008" in t for t in legend)


def test_petrograd_chart_follows_1918_membership():
    (ax,) = charts.petrograd_membership_chart().axes
    (line,) = ax.get_lines()
    assert list(line.get_ydata()) == [30000, 13472, 6000]
    assert _legend(ax) == ["Hampton (AWL), citing Rabinowitch 2007"]
    assert "about 6,000" in _texts(ax.figure)


def test_moscow_office_chart_shows_both_shares_and_the_count():
    fig = charts.moscow_office_chart()
    (ax,) = fig.axes
    assert _widths(ax)[:2] == [14, 86] and _widths(ax)[2:] == [30, 70]
    assert "231,000" in fig._suptitle.get_text()
    assert _legend(ax) == ["Hampton (AWL), citing Sakwa 1987"]


def test_cec_chart_shows_three_bodies_and_our_sums():
    text = _texts(charts.cec_chart())
    assert text.count("110 members") == 2
    assert "101 members (our sum)" in text and "305 members (our sum)" in text


def test_a_chart_draws_whatever_the_data_holds():
    """Feed the chart a frame with one more text's figure: a new labelled series appears."""
    df = figures_frame()
    extra = df[df["id"] == "ict-members-early-1917"].copy()
    extra["id"], extra["source"], extra["text"], extra["value"] = (
        "x",
        "anarchist-essay",
        "Anarchist essay",
        5000,
    )
    extra["cites"] = [["brinton-1970"]]
    whole, _ = charts.membership_chart(pd.concat([df, extra], ignore_index=True)).axes
    assert "Anarchist essay, citing Brinton 1970" in _legend(whole)


def test_figures_table_keeps_the_texts_words_and_scholars():
    table = charts.figures_table("party-membership")
    assert list(table.columns) == ["What", "When", "Value", "Text", "Scholar cited", "The text's words"]
    row = table[table["Value"].str.startswith("23,600 members")].iloc[0]
    assert (row["When"], row["Text"], row["Scholar cited"]) == (
        "start of 1917",
        "Hampton (AWL), ¶6",
        "Rigby 1971",
    )
    assert "no scholar named" in set(table["Scholar cited"])
    both = charts.figures_table(["sovnarkom-meetings", "cec-meetings"])
    assert len(both) == len(charts.select("sovnarkom-meetings")) + len(charts.select("cec-meetings"))


def test_coverage_table_counts_every_figure_once():
    table = charts.coverage_table()
    assert table.loc["All figures"].sum() == len(figures_frame())
    assert table.loc["Party membership and make-up", "ICT 2017"] >= 2
    assert "Other" not in table.index  # every quantity has a topic


@pytest.mark.parametrize(
    "when, said",
    [
        ("1917-10", "October 1917"),
        ("1917-start", "start of 1917"),
        ("1917-spring", "spring 1917"),
        ("1917-11/1918-04", "November 1917 to April 1918"),
        ("1917-12-14", "14 December 1917"),
        ("1918-1921", "1918-1921"),
    ],
)
def test_readable_when(when, said):
    assert charts.readable_when(when) == said


def test_scholars_and_hedges():
    assert charts.scholars(["rigby-1971", "smith-2002"]) == "Rigby 1971, Smith 2002"
    assert charts.scholars([]) == "no scholar named"
    assert charts.in_words(700, "Some 700") == "“Some 700”"
    assert charts.in_words(1429, "") == "1,429"


@pytest.mark.parametrize(
    ("figure", "words"),
    [
        ("hampton-fc-managing-all", "Nearly two-thirds"),
        ("icf-1905-proletarians", "between two and three million"),
        ("hampton-duma-vote-may", "approximately one-fifth"),
    ],
)
def test_the_figures_table_keeps_the_texts_hedge_beside_the_number(figure, words):
    row = charts.figures_frame().set_index("id").loc[figure]
    table = charts.figures_table(row["quantity"])
    shown = table[table["The text's words"] == row["context"]]["Value"].iloc[0]
    assert f"(“{words}”)" in shown
