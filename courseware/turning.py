"""Each text's turning points, 1917-1930, on one shared time axis, with the reasons each gives.

The chart has one lane (one series) per text that records a verdict; a year without a marker is a
year the text says nothing about. Every marker carries a number that leads to its row in the table
of reasons, where the text's own words are quoted and linked to the reader.

>>> [p.year for p in turning_points_by_source()["hampton-awl"]][:3]
[1917, 1918, 1919]
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path

from . import labels
from .corpus import reader_href
from .data import course
from .models import Course, TurningPoint

FIRST_YEAR, LAST_YEAR = 1917, 1930


@dataclass(frozen=True)
class Verdict:
    """How a verdict is named and drawn: colour (as in the book's badges) and a shape of its own,
    so the chart reads without colour too."""

    label: str
    colour: str
    marker: str


_DRAWN = {  # colour, marker
    "advancing": ("#1d6b2f", "^"),
    "holding": ("#4a4a4a", "o"),
    "degenerating": ("#8a4b00", "v"),
    "lost": ("#a12a1a", "X"),
}
VERDICTS: dict[str, Verdict] = {key: Verdict(labels.VERDICT[key], *_DRAWN[key]) for key in labels.VERDICT}


@dataclass(frozen=True)
class NumberedPoint:
    """A turning point with the number that links its marker to its row in the reasons table."""

    number: int
    point: TurningPoint

    @property
    def year(self) -> int:
        return self.point.year


def turning_points_by_source(c: Course | None = None) -> dict[str, list[NumberedPoint]]:
    """The texts that record turning points, in the order of `sources.yml`, each with its points by
    year, numbered 1, 2, 3... across the whole chart."""
    c = c or course()
    out: dict[str, list[NumberedPoint]] = {}
    number = 0
    for sid in c.sources:
        mine = sorted((tp for tp in c.turning_points if tp.source == sid), key=lambda tp: tp.year)
        if not mine:
            continue
        out[sid] = []
        for tp in mine:
            number += 1
            out[sid].append(NumberedPoint(number, tp))
    return out


def _marker_path(marker: str) -> Path:
    style = MarkerStyle(marker)
    return style.get_path().transformed(style.get_transform())


def turning_chart(c: Course | None = None) -> Figure:
    """Every text's verdicts on one time axis, 1917-1930: a lane per text, a marker per verdict."""
    c = c or course()
    series = turning_points_by_source(c)
    lanes = list(series)
    height = 1.6 + 0.7 * max(1, len(lanes))
    fig, ax = plt.subplots(figsize=(8, height), dpi=110, layout="constrained")
    plt.close(fig)  # the notebook shows the returned figure once
    for row, sid in enumerate(lanes):
        y = len(lanes) - 1 - row
        ax.axhline(y, color="#d0d0d0", linewidth=1, zorder=1)
        points = series[sid]
        xs = [p.year for p in points]
        verdicts = [VERDICTS[p.point.verdict] for p in points]
        dots = ax.scatter(
            xs,
            [y] * len(xs),
            s=170,
            c=[v.colour for v in verdicts],
            edgecolors="white",
            linewidths=1,
            zorder=3,
            label=c.sources[sid].short,
            gid=f"series-{sid}",
        )
        dots.set_paths([_marker_path(v.marker) for v in verdicts])
        for p in points:
            ax.annotate(
                str(p.number),
                (p.year, y),
                xytext=(0, 10),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=9.5,
                color="#222222",
            )
            if p.point.undated:
                # No year in the text: a hollow ring over the marker and the text's own words, so the
                # placing is not read as a date.
                ax.scatter(
                    [p.year],
                    [y],
                    s=420,
                    facecolors="none",
                    edgecolors="#222222",
                    linewidths=1.2,
                    linestyles="dotted",
                    zorder=4,
                )
                ax.annotate(
                    f"no year given: “{p.point.undated}”",
                    (p.year, y),
                    xytext=(14, -4),
                    textcoords="offset points",
                    ha="left",
                    va="top",
                    fontsize=8.5,
                    style="italic",
                    color="#222222",
                )
    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels(
        [f"{c.sources[sid].short}\n{c.sources[sid].voice}" for sid in reversed(lanes)], fontsize=10
    )
    for label, sid in zip(ax.get_yticklabels(), reversed(lanes), strict=True):
        label.set_color(c.readings[c.sources[sid].reading].colour)
    ax.set_ylim(-0.6, len(lanes) - 0.3)
    ax.set_xlim(FIRST_YEAR - 0.5, LAST_YEAR + 0.5)
    ax.set_xticks(range(FIRST_YEAR, LAST_YEAR + 1))
    ax.tick_params(axis="x", labelsize=10, rotation=45)
    ax.set_xlabel("Year (each marker: one text's verdict on one year)", fontsize=10)
    ax.grid(axis="x", color="#eeeeee", zorder=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.set_title(
        "Turning points, 1917-1930: numbers lead to the reasons in the table", fontsize=11, loc="left"
    )
    handles = [
        Line2D([], [], linestyle="", marker=v.marker, markersize=10, color=v.colour, label=v.label)
        for v in VERDICTS.values()
    ]
    fig.legend(
        handles=handles,
        title="Verdict",
        loc="outside lower center",
        ncols=len(handles),
        frameon=False,
        fontsize=10,
        title_fontsize=10,
    )
    return fig


def year_label(tp: TurningPoint) -> str:
    """The year as the reasons table shows it; for an undated verdict, the text's words.

    >>> year_label(TurningPoint(source="x", year=1921, verdict="lost", reason="r", undated="after the war"))
    'no year given (“after the war”); placed at 1921'
    """
    return f"no year given (“{tp.undated}”); placed at {tp.year}" if tp.undated else str(tp.year)


def reasons_table(c: Course | None = None) -> pd.DataFrame:
    """One row per marker of the chart: its number, text, year, verdict, our summary and the quote."""
    c = c or course()
    rows = []
    for sid, points in turning_points_by_source(c).items():
        for p in points:
            tp = p.point
            rows.append(
                {
                    "No.": p.number,
                    "Text": c.sources[sid].short,
                    "Year": year_label(tp),
                    "Verdict": tp.verdict,
                    "Reason": tp.reason,
                    "Quote": tp.quote.text if tp.quote else "",
                    "Paragraph": tp.quote.paragraph if tp.quote else None,
                }
            )
    return pd.DataFrame(rows, columns=["No.", "Text", "Year", "Verdict", "Reason", "Quote", "Paragraph"])


def _quote_cell(c: Course, tp: TurningPoint, from_dir: str) -> str:
    if tp.quote is None:
        return ""
    q = tp.quote
    href = reader_href(q.source, q.paragraph, from_dir)
    return (
        f'<blockquote class="cw-quote cw-src-{q.source}"><p>{escape(q.text)}</p>'
        f'<footer><a href="{escape(href)}">{escape(labels.cite(c, q.source, q.paragraph))}</a></footer>'
        "</blockquote>"
    )


_TOP = ' style="vertical-align: top"'  # each row reads from its first line, in any stylesheet


def reasons_html(c: Course | None = None, from_dir: str = "book/chapters") -> str:
    """The reasons table as HTML: each verdict with its reason and the text's words, linked."""
    c = c or course()
    rows = []
    for sid, points in turning_points_by_source(c).items():
        for p in points:
            tp = p.point
            verdict = VERDICTS[tp.verdict]
            rows.append(
                f'<tr class="cw-src-{sid}"><td{_TOP}>{p.number}</td>'
                f"<td{_TOP}>{escape(c.sources[sid].short)}</td><td{_TOP}>{escape(year_label(tp))}</td>"
                f'<td{_TOP}><span class="cw-verdict cw-verdict-{tp.verdict}">{escape(verdict.label)}'
                f"</span></td><td{_TOP}><p>{escape(tp.reason)}</p>{_quote_cell(c, tp, from_dir)}</td></tr>"
            )
    return (
        '<table class="cw-turning-reasons"><caption>The reasons each text gives, numbered as on '
        "the chart</caption><thead><tr><th>No.</th><th>Text</th><th>Year</th><th>Verdict</th>"
        f"<th>Reason, and the text's own words</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


class _Html:
    """Shown as HTML by Jupyter (and by myst-nb in the built book), as MyST markdown in the PDF;
    plain text elsewhere."""

    def __init__(self, html: str, markdown: str = "") -> None:
        self.html, self.markdown = html, markdown

    def _repr_html_(self) -> str:
        return self.html

    def _repr_markdown_(self) -> str | None:
        return self.markdown or None

    def __repr__(self) -> str:
        return "<table of turning points: open in Jupyter to see it>"


def reasons_markdown(c: Course | None = None) -> str:
    """The reasons table for paper: each verdict, numbered as on the chart, with its reason and the
    text's own words linked to their paragraph. Plain quotation marks, not the `{q}` role: myst-nb
    parses every form of an output before it picks one per builder, and a `{q}` here would count as
    the page's full quotation of the passage in the HTML book too."""
    from .printing.markdown import esc, para

    c = c or course()
    lines = ["**The reasons each text gives, numbered as on the chart**", ""]
    for sid, points in turning_points_by_source(c).items():
        for p in points:
            tp = p.point
            line = (
                f"{p.number}. {esc(c.sources[sid].short)}, {esc(year_label(tp))}, "
                f"*{VERDICTS[tp.verdict].label}*: {esc(tp.reason)}"
            )
            if tp.quote:
                words = esc(" ".join(tp.quote.text.split()))
                line += f" “{words}” ({para(tp.quote.source, tp.quote.paragraph)})"
            lines.append(line)
    return "\n".join(lines)


def reasons() -> _Html:
    """The reasons table, ready to show in a notebook cell."""
    return _Html(reasons_html(), reasons_markdown())
