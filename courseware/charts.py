"""Charts and tables of the figures the texts give, for the "Numbers in dispute" chapter.

Every chart is drawn from `figures_frame()` and labels each series with its text and the scholar the
text cites, so a reader can always tell whose number is whose. Each function returns a matplotlib
`Figure` (closed in pyplot, so a notebook shows it once) and takes an optional frame so tests can feed
it their own rows.

>>> figures_table("sovnarkom-meetings")["Value"].tolist()[:2]
['77 meetings', '102 days']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from . import labels
from .data import course
from .frames import figures_frame
from .labels import NO_SCHOLAR
from .models import Course
from .text import readable_when

MARKERS = ["o", "s", "^", "D", "v"]
HATCHES = ["", "//", "..", "xx", "\\\\"]

# The quantities the chapter charts, in the order the chapter shows them.
CHARTED = [
    "party-membership",
    "soviets-count",
    "sovnarkom-meetings",
    "cec-meetings",
    "party-secretariat-staff",
    "petrograd-party-membership",
    "moscow-office-workers",
]


@dataclass(frozen=True)
class Style:
    """How one text is drawn: its reading's colour, and a marker and hatch of its own."""

    colour: str
    marker: str
    hatch: str


def source_styles(c: Course | None = None) -> dict[str, Style]:
    """A style per source: two texts of one reading share its colour but not its marker or hatch."""
    c = c or course()
    seen: dict[str, int] = {}
    out = {}
    for i, (sid, src) in enumerate(c.sources.items()):
        k = seen.get(src.reading, 0)
        seen[src.reading] = k + 1
        out[sid] = Style(c.readings[src.reading].colour, MARKERS[i % len(MARKERS)], HATCHES[k % len(HATCHES)])
    return out


def scholars(cites: Iterable[str], c: Course | None = None) -> str:
    """The scholars a figure rests on, as the book names them.

    >>> scholars(["rigby-1971"]), scholars([])
    ('Rigby 1971', 'no scholar named')
    """
    return labels.scholars(cites, (c or course()).bibliography)


def series_label(text: str, cites: Iterable[str]) -> str:
    """A legend entry naming the text and the scholar it cites, e.g. 'Hampton (AWL), citing Rigby 1971'."""
    who = scholars(cites)
    return f"{text}, {'citing ' + who if who != NO_SCHOLAR else NO_SCHOLAR}"


def in_words(value: float, said: str) -> str:
    """A figure as a label shows it: the text's own words when it hedges the number, else the number.

    >>> in_words(67, "Nearly two-thirds"), in_words(1429, "")
    ('“Nearly two-thirds”', '1,429')
    """
    return f"“{said}”" if said else f"{value:,.0f}"


def _frame(df: pd.DataFrame | None) -> pd.DataFrame:
    df = figures_frame() if df is None else df.copy()
    df["cites_key"] = df["cites"].map(lambda cs: tuple(cs))
    return df


def select(quantity: str, df: pd.DataFrame | None = None) -> pd.DataFrame:
    """The figures of one quantity, in date order."""
    df = _frame(df)
    return df[df["quantity"] == quantity].sort_values(["year", "source"]).reset_index(drop=True)


def series(quantity: str, df: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """One quantity's figures split into series, one per (text, scholars cited), keyed by legend label."""
    rows = select(quantity, df)
    out: dict[str, pd.DataFrame] = {}
    for (_, text, cites), group in rows.groupby(["source", "text", "cites_key"], sort=False):
        out[series_label(text, cites)] = group
    return out


def _value(v: float, unit: str) -> str:
    number = f"{v:,.0f}" if float(v).is_integer() else f"{v:g}"
    return f"{number}%" if unit.startswith("%") else f"{number} {unit}".strip()


def figures_table(quantity: str | Iterable[str], df: pd.DataFrame | None = None) -> pd.DataFrame:
    """The figures of one or more quantities as a reader's table: what, when, value, text, scholar, words."""
    wanted = [quantity] if isinstance(quantity, str) else list(quantity)
    rows = _frame(df)
    rows = rows[rows["quantity"].isin(wanted)].copy()
    rows["order"] = rows["quantity"].map(wanted.index)
    rows = rows.sort_values(["order", "year", "source"], kind="stable")
    return pd.DataFrame(
        {
            "What": rows["label"],
            "When": rows["when"].map(readable_when),
            # a hedged number keeps the text's words beside it: "67% (“Nearly two-thirds”)"
            "Value": [
                _value(v, u) + (f" (“{s}”)" if s else "")
                for v, u, s in zip(rows["value"], rows["unit"], rows["said"], strict=True)
            ],
            "Text": [f"{t}, ¶{p}" for t, p in zip(rows["text"], rows["paragraph"], strict=True)],
            "Scholar cited": rows["cites"].map(scholars),
            "The text's words": rows["context"],
        }
    ).reset_index(drop=True)


def _finish(fig: Figure, title: str) -> Figure:
    fig.suptitle(title, fontsize=13, x=0.01, ha="left")
    fig.tight_layout()
    plt.close(fig)
    return fig


def _thousands(ax) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))


def membership_chart(df: pd.DataFrame | None = None) -> Figure:
    """Party membership, 1905-1927: the whole span on a logarithmic scale, and 1917 close up.

    Points of one series are joined by dashed lines: the texts give no figures in between.
    """
    styles = source_styles()
    fig, (whole, close) = plt.subplots(2, 1, figsize=(7.2, 8.2), gridspec_kw={"height_ratios": [3, 2]})
    per_text: dict[str, int] = {}
    for label, g in series("party-membership", df).items():
        sid = g["source"].iloc[0]
        st = styles[sid]
        k = per_text[sid] = per_text.get(sid, -1) + 1
        kw = {
            "marker": st.marker,
            "color": st.colour,
            "markersize": 8,
            "linestyle": "--",
            "alpha": 0.9,
            "markerfacecolor": st.colour if k == 0 else "white",
            "markeredgewidth": 1.5,
        }
        whole.plot(g["year"], g["value"], label=label, **kw)
        in_1917 = g[(g["year"] >= 1917) & (g["year"] < 1918)]
        if not in_1917.empty:
            close.plot(in_1917["year"], in_1917["value"], **kw)
        for ax, part in ((whole, g[(g["year"] < 1917) | (g["year"] >= 1918)]), (close, in_1917)):
            for x, y in zip(part["year"], part["value"], strict=True):
                ax.annotate(
                    f"{y:,.0f}",
                    (x, y),
                    textcoords="offset points",
                    xytext=(7, -3),
                    fontsize=9,
                    color=st.colour,
                )
    whole.set_yscale("log")
    _thousands(whole)
    whole.set_xlabel("Year")
    whole.set_ylabel("Members (logarithmic scale)")
    whole.set_xlim(1904, 1930)
    whole.axvspan(1917, 1918, color="#eeeeee", zorder=0)
    whole.grid(True, which="major", alpha=0.3)
    whole.legend(title="Text, and the scholar it cites", loc="upper left", fontsize=9)
    close.set_title("1917 close up (shaded above), ordinary scale", fontsize=10)
    close.set_xlim(1917, 1918.05)
    close.set_xticks([1917.1, 1917.45, 1917.8], ["start of 1917", "mid-1917", "October"])
    close.set_ylabel("Members")
    close.set_ylim(0, 450_000)
    _thousands(close)
    close.grid(True, alpha=0.3)
    return _finish(fig, "Bolshevik (Communist) party membership, as the texts give it")


def membership_dispute_chart(df: pd.DataFrame | None = None) -> Figure:
    """Bolshevik membership at the start and in the autumn of 1917, each text's figure side by side."""
    styles = source_styles()
    rows = select("party-membership", df)
    panels = [
        ("Start of 1917", rows[rows["year"] < 1917.5]),
        ("Autumn 1917, by the seizure of power", rows[(rows["year"] >= 1917.5) & (rows["year"] < 1918)]),
    ]
    fig, axes = plt.subplots(1, 2, figsize=(7.4, 4.4))
    for ax, (title, g) in zip(axes, panels, strict=True):
        g = g[g["year"] >= 1917]
        labels = [
            series_label(t, c).replace(", ", "\n", 1) for t, c in zip(g["text"], g["cites_key"], strict=True)
        ]
        bars = ax.bar(
            range(len(g)),
            g["value"],
            color=[styles[s].colour for s in g["source"]],
            hatch=[styles[s].hatch for s in g["source"]],
            edgecolor="white",
        )
        for bar, (_, r) in zip(bars, g.iterrows(), strict=True):
            ax.annotate(
                f"{r['value']:,.0f}\n{r['label'].split('(')[-1].rstrip(')')}",
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=9,
                textcoords="offset points",
                xytext=(0, 2),
            )
        ax.set_xticks(range(len(g)), labels, fontsize=9)
        ax.set_title(title, fontsize=11)
        ax.set_ylabel("Members")
        ax.set_ylim(0, g["value"].max() * 1.3)
        _thousands(ax)
    return _finish(fig, "Two texts, two figures: Bolshevik membership in 1917")


def soviets_chart(df: pd.DataFrame | None = None) -> Figure:
    """The number of soviets in 1917-18 as the texts count them; peasants' soviets shown within October's."""
    styles = source_styles()
    rows = select("soviets-count", df)
    rows = rows[rows["unit"] == "soviets"]
    peasants = rows[rows["label"].str.contains("peasants")]
    main = rows.drop(peasants.index).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.4, 4.4))
    shown: set[str] = set()
    for i, r in main.iterrows():
        st = styles[r["source"]]
        label = series_label(r["text"], r["cites"])
        ax.barh(
            i,
            r["value"],
            color=st.colour,
            hatch=st.hatch,
            edgecolor="white",
            label=None if label in shown else label,
        )
        shown.add(label)
        inner = peasants[(peasants["when"] == r["when"]) & (peasants["source"] == r["source"])]
        extra = ""
        if not inner.empty:
            ax.barh(i, inner["value"].iloc[0], color="white", alpha=0.45)
            extra = f"\n({inner['value'].iloc[0]:,.0f} of them peasants' soviets: lighter)"
        ax.annotate(
            f"{in_words(r['value'], r['said'])} {r['label']}{extra}",
            (r["value"], i),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            wrap=True,
        )
    ax.set_yticks(
        range(len(main)),
        [readable_when(r["when"]).replace(" to ", " to\n") for _, r in main.iterrows()],
        fontsize=9,
    )
    ax.invert_yaxis()
    ax.set_xlabel("Soviets")
    ax.set_xlim(0, main["value"].max() * 2.4)
    ax.legend(
        title="Text, and the scholar it cites",
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=2,
        fontsize=9,
    )
    return _finish(fig, "How many soviets? The counts the texts give, 1917-1918")


def meetings_chart(df: pd.DataFrame | None = None) -> Figure:
    """Sovnarkom's meetings a year, 1918-1921, beside the CEC's meetings a week (Hampton's figures)."""
    styles = source_styles()
    sov = select("sovnarkom-meetings", df)
    yearly = sov[sov["when"].str.fullmatch(r"\d{4}")]
    cec = select("cec-meetings", df)
    fig, (left, right) = plt.subplots(2, 1, figsize=(7.2, 8.0))
    for label, g in series("sovnarkom-meetings", df).items():
        g = g[g["when"].str.fullmatch(r"\d{4}")]
        if g.empty:
            continue
        st = styles[g["source"].iloc[0]]
        left.bar(g["year"].astype(int).astype(str), g["value"], color=st.colour, label=label)
    for x, v in zip(yearly["year"].astype(int).astype(str), yearly["value"], strict=True):
        left.annotate(f"{v:.0f}", (x, v), ha="center", va="bottom", fontsize=9)
    petro = sov[sov["unit"] == "meetings"].drop(yearly.index)
    days = sov[sov["unit"] == "days"]
    if not petro.empty and not days.empty:
        who = series_label(petro["text"].iloc[0], petro["cites"].iloc[0])
        left.text(
            0.98,
            0.95,
            f"Petrograd, to 10 March 1918:\n{petro['value'].iloc[0]:.0f} meetings in "
            f"{days['value'].iloc[0]:.0f} days\n({who})",
            transform=left.transAxes,
            ha="right",
            va="top",
            fontsize=8.5,
            bbox={"facecolor": "white", "edgecolor": "#999999"},
        )
    left.set_ylabel("Meetings in the year")
    left.set_title("Sovnarkom", fontsize=11)
    left.set_ylim(0, max(yearly["value"].max() * 1.45, 1))
    left.legend(loc="upper right", bbox_to_anchor=(1, 0.8), fontsize=8.5)
    for label, g in series("cec-meetings", df).items():
        st = styles[g["source"].iloc[0]]
        right.step(
            ["to June 1918", "after June 1918", "in 1919"][: len(g)],
            g["value"],
            where="mid",
            marker=st.marker,
            color=st.colour,
            label=label,
        )
    for i, v in enumerate(cec["value"]):
        right.annotate(
            {2: "about two", 0.5: "one a fortnight", 0: "apparently ceased"}.get(v, f"{v:g}"),
            (i, v),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            fontsize=9,
        )
    right.set_ylabel("Meetings a week")
    right.set_ylim(-0.1, 2.6)
    right.set_title("Central Executive Committee (CEC)", fontsize=11)
    right.legend(loc="upper right", fontsize=8.5)
    return _finish(fig, "Fewer meetings: Sovnarkom and the CEC, 1918-1921")


def secretariat_chart(df: pd.DataFrame | None = None) -> Figure:
    """The staff of the party's central committee and its secretariat, 1918-1921."""
    styles = source_styles()
    fig, ax = plt.subplots(figsize=(7.4, 4.2))
    for i, (label, g) in enumerate(series("party-secretariat-staff", df).items()):
        st = styles[g["source"].iloc[0]]
        when = [readable_when(w) for w in g["when"]]
        ax.bar(
            when,
            g["value"],
            color=st.colour,
            hatch=HATCHES[i % len(HATCHES)],
            edgecolor="white",
            label=f"{g['label'].iloc[0]}: {label}",
        )
        for w, v in zip(when, g["value"], strict=True):
            ax.annotate(
                f"{v:.0f}",
                (w, v),
                ha="center",
                va="bottom",
                fontsize=10,
                xytext=(0, 2),
                textcoords="offset points",
            )
    ax.set_ylabel("People")
    ax.legend(loc="upper left", fontsize=9)
    return _finish(fig, "The party's central apparatus: staff, 1918-1921")


def petrograd_membership_chart(df: pd.DataFrame | None = None) -> Figure:
    """Petrograd party membership through 1918 (Hampton, citing Rabinowitch 2007)."""
    styles = source_styles()
    rows = select("petrograd-party-membership", df)
    rows = rows[rows["unit"] == "members"]
    fig, ax = plt.subplots(figsize=(7.4, 4.2))
    for label, g in series("petrograd-party-membership", rows.drop(columns="cites_key")).items():
        st = styles[g["source"].iloc[0]]
        months = [pd.Timestamp(w + "-15") for w in g["when"]]
        ax.plot(months, g["value"], marker=st.marker, color=st.colour, label=label, markersize=8)
        for m, v, said in zip(months, g["value"], g["said"], strict=True):
            ax.annotate(in_words(v, said), (m, v), xytext=(6, 6), textcoords="offset points", fontsize=10)
    ax.set_ylim(0, rows["value"].max() * 1.2)
    _thousands(ax)
    ax.set_ylabel("Party members in Petrograd")
    ax.set_xlabel("1918")
    ax.set_xlim(pd.Timestamp("1918-01-20"), pd.Timestamp("1918-10-20"))
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
    share = select("petrograd-party-membership", df)
    share = share[share["unit"] == "%"]
    if not share.empty:
        r = share.iloc[0]
        ax.text(
            0.98,
            0.62,
            f"September: less than {r['value']:.0f}% of the\ncity's organised factory workers",
            transform=ax.transAxes,
            ha="right",
            fontsize=9,
        )
    ax.legend(loc="upper right", fontsize=9)
    return _finish(fig, "Petrograd's Bolsheviks in 1918")


def moscow_office_chart(df: pd.DataFrame | None = None) -> Figure:
    """Moscow's office workers in August 1918 as a share of the city's population and of its workforce."""
    styles = source_styles()
    rows = select("moscow-office-workers", df)
    count = rows[rows["unit"] == "people"].iloc[0]
    shares = rows[rows["unit"] == "%"]
    st = styles[count["source"]]
    fig, ax = plt.subplots(figsize=(7.4, 3.2))
    names = []
    for i, (_, r) in enumerate(shares.iterrows()):
        whole = "workforce" if "workforce" in r["label"] else "population"
        names.append(f"Moscow's {whole}")
        ax.barh(i, r["value"], color=st.colour, label=series_label(r["text"], r["cites"]) if i == 0 else None)
        ax.barh(i, 100 - r["value"], left=r["value"], color="#dddddd")
        ax.annotate(
            f"{r['value']:.0f}% in offices",
            (r["value"], i),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=10,
        )
    ax.set_yticks(range(len(names)), names)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Per cent")
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize=9)
    return _finish(fig, f"Moscow, August 1918: {count['value']:,.0f} people employed in offices")


def cec_chart(df: pd.DataFrame | None = None) -> Figure:
    """Three sizes of a "Central Executive Committee" side by side: Reed's (quoted by two texts) and
    Hampton's two, stacked by party. The bodies differ; the chart shows why the numbers do."""
    styles = source_styles()
    rows = _frame(df)
    reed = rows[rows["quantity"] == "soviet-executive"].sort_values("source")
    fig, ax = plt.subplots(figsize=(7.6, 5.4))
    names: list[str] = []
    for _, r in reed.iterrows():
        st = styles[r["source"]]
        i = len(names)
        names.append(f"Petrograd Soviet's executive\n{series_label(r['text'], r['cites'])}")
        ax.barh(i, r["value"], color=st.colour, hatch=st.hatch, edgecolor="white")
        ax.annotate(
            f"{r['value']:.0f} members, before co-options",
            (r["value"], i),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    party_colours = {"Bolsheviks": "#5e3c99", "Left SRs": "#e08214"}
    greys = ["#7f7f7f", "#a6a6a6", "#cccccc"]
    for quantity, what in (
        ("cec-composition-1917", "All-Russian CEC, November 1917"),
        ("cec-composition-1918", "All-Russian CEC, January 1918"),
    ):
        parts = rows[rows["quantity"] == quantity]
        if parts.empty:
            continue
        i = len(names)
        names.append(f"{what}\n{series_label(parts['text'].iloc[0], parts['cites'].iloc[0])}")
        left = 0.0
        for k, (_, p) in enumerate(parts.iterrows()):
            party = p["label"].split(": ", 1)[-1]
            colour = party_colours.get(party, greys[(k - 2) % len(greys)])
            ax.barh(
                i,
                p["value"],
                left=left,
                color=colour,
                edgecolor="white",
                label=party if party not in ax.get_legend_handles_labels()[1] else None,
            )
            left += p["value"]
        ax.annotate(
            f"{left:.0f} members (our sum)",
            (left, i),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    ax.set_yticks(range(len(names)), names, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("Members")
    ax.set_xlim(0, 420)
    ax.legend(
        title="Party (Hampton's bars)", loc="upper center", bbox_to_anchor=(0.45, -0.16), ncol=3, fontsize=8
    )
    return _finish(fig, "Which Central Executive Committee? Three bodies, three sizes")


OTHER_TOPIC = "Other"


def topic(quantity: str, c: Course | None = None) -> str:
    """The broad topic a quantity belongs to (data/topics.yml), for the overview table."""
    topics = (c or course()).topics
    return next((t.topic for t in topics if quantity in t.quantities), OTHER_TOPIC)


def coverage_table(df: pd.DataFrame | None = None, c: Course | None = None) -> pd.DataFrame:
    """How many figures each text gives on each broad topic: who counts what (0 where a text gives none)."""
    c = c or course()
    rows = _frame(df)
    rows["topic"] = rows["quantity"].map(lambda q: topic(q, c))
    order = list(c.sources)
    table = pd.crosstab(rows["topic"], rows["source"]).reindex(columns=order, fill_value=0)
    present = [t for t in [*(t.topic for t in c.topics), OTHER_TOPIC] if t in table.index]
    table = table.reindex(present)
    table.columns = [c.sources[s].short for s in table.columns]
    table.index.name = "Topic"
    table.columns.name = None
    table.loc["All figures"] = table.sum()
    return table
