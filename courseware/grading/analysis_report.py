"""An `Analysis` → a self-contained HTML page with small static SVG charts, and a CSV.

The page needs no JavaScript and loads nothing: every chart is inline SVG with a title and a text
description, and every number a chart shows is also in a table, so it reads in any browser, prints,
and works with a screen reader.
"""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from .analysis import NO_ANSWER, OTHER, Analysis, ItemStats, SkillStats, TextStats

e = html.escape
GREEN, ORANGE, GREY, BLUE = "#1a7f37", "#c2410c", "#9ca3af", "#2563eb"
STYLE = """body{font-family:system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}
.flag{color:#9a3412}.muted{color:#666}figure{margin:0 0 1rem}figcaption{font-size:.9rem;color:#444}
.cards{display:flex;flex-wrap:wrap;gap:1rem}.card{border:1px solid #ddd;padding:.5rem;border-radius:4px}
svg text{font:12px system-ui,sans-serif;fill:#222}"""


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img'>"
        f"<title>{e(title)}</title><desc>{e(desc)}</desc>" + "".join(body) + "</svg>"
    )


def bars(rows: list[tuple[str, float, str]], title: str, maximum: float = 1.0, as_pct: bool = True) -> str:
    """Horizontal bars: (label, value, colour), value in [0, maximum]."""
    label_w, bar_w, h = 170, 260, 20
    body = []
    for n, (label, value, colour) in enumerate(rows):
        y = n * h + 4
        w = 0 if maximum == 0 else max(0.0, value) / maximum * bar_w
        shown = f"{value:.0%}" if as_pct else f"{value:g}"
        body += [
            f"<text x='0' y='{y + 13}'>{e(label[:26])}</text>",
            f"<rect x='{label_w}' y='{y}' width='{bar_w}' height='{h - 6}' fill='#f3f4f6'/>",
            f"<rect x='{label_w}' y='{y}' width='{w:.1f}' height='{h - 6}' fill='{colour}'/>",
            f"<text x='{label_w + bar_w + 6}' y='{y + 13}'>{shown}</text>",
        ]
    desc = "; ".join(f"{label}: {value:.0%}" if as_pct else f"{label}: {value:g}" for label, value, _ in rows)
    return _svg(label_w + bar_w + 50, len(rows) * h + 8, title, desc, body)


def difficulty_chart(items: list[ItemStats]) -> str:
    rows = [
        (i.item, i.difficulty or 0.0, ORANGE if "hard" in i.flags else BLUE)
        for i in items
        if i.difficulty is not None
    ]
    return bars(rows, "Difficulty: share of each item's points the class earned")


def choices_chart(item: ItemStats) -> str:
    total = sum(item.choices.values()) or 1
    rows = []
    for option, n in item.choices.items():
        colour = GREEN if option == item.key else ORANGE if option == item.top_distractor else GREY
        rows.append((option + (" (key)" if option == item.key else ""), n / total, colour))
    return bars(rows, f"{item.item}: which option the class chose")


def skills_chart(skills: list[SkillStats]) -> str:
    rows = [(s.skill, s.share or 0.0, BLUE) for s in skills if s.share is not None]
    return bars(rows, "Share of the points earned, by skill")


def histogram(totals: list[float], possible: float) -> str:
    """Students by total score, in ten bins of the points possible."""
    bins = [0] * 10
    for t in totals:
        bins[min(9, int(10 * t / possible)) if possible else 0] += 1
    top = max(bins) or 1
    w, h, bw = 320, 120, 30
    body = []
    for n, count in enumerate(bins):
        bh = count / top * (h - 30)
        body += [
            f"<rect x='{n * bw + 10}' y='{h - 20 - bh:.1f}' width='{bw - 4}' height='{bh:.1f}' "
            f"fill='{BLUE}'/>",
            f"<text x='{n * bw + 14}' y='{h - 22 - bh:.1f}'>{count or ''}</text>",
        ]
    body.append(f"<text x='10' y='{h - 4}'>0</text><text x='{w - 40}' y='{h - 4}'>{possible:g} points</text>")
    desc = ", ".join(f"{10 * n}-{10 * n + 10}%: {c}" for n, c in enumerate(bins))
    return _svg(w + 20, h, "Students by total score", desc, body)


def confusion_chart(texts: list[TextStats], labels: dict[str, str]) -> str:
    """A grid: rows are the text a sentence came from, columns the text students named."""
    columns = sorted(
        {c for t in texts for c in t.chosen if c not in (NO_ANSWER, OTHER)} | {t.text for t in texts}
    )
    columns += [c for c in (NO_ANSWER, OTHER) if any(c in t.chosen for t in texts)]
    cell, left, top = 54, 150, 90
    body = []
    for j, c in enumerate(columns):
        x = left + j * cell + cell / 2
        body.append(f"<text transform='translate({x:.0f},{top - 6}) rotate(-40)'>{e(c[:18])}</text>")
    for i, t in enumerate(texts):
        y = top + i * cell
        body.append(f"<text x='0' y='{y + cell / 2 + 4:.0f}'>{e(t.text[:22])}</text>")
        for j, c in enumerate(columns):
            n = t.chosen.get(c, 0)
            share = n / t.answered if t.answered else 0
            hue = GREEN if c == t.text else ORANGE
            body.append(
                f"<rect x='{left + j * cell}' y='{y}' width='{cell - 2}' height='{cell - 2}' fill='{hue}' "
                f"fill-opacity='{0.08 + 0.8 * share:.2f}'/>"
                f"<text x='{left + j * cell + 8}' y='{y + cell / 2 + 4:.0f}'>{n}</text>"
            )
    desc = "; ".join(
        f"sentences from {t.text}: " + ", ".join(f"{c} {n}" for c, n in t.chosen.items()) for t in texts
    )
    return _svg(
        left + len(columns) * cell + 110, top + len(texts) * cell + 4, "Which text students named", desc, body
    )


def render(a: Analysis) -> str:
    parts = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Item analysis: {e(a.title)}"
        f"</title><style>{STYLE}</style></head><body>",
        f"<h1>Item analysis: {e(a.title)}</h1>",
        f"<p>{a.students} submission(s) counted"
        + (f"; {len(a.left_out)} under review left out ({e(', '.join(a.left_out))})" if a.left_out else "")
        + f". Points possible on the items counted: {a.possible:g}.</p>",
        "<ul>" + "".join(f"<li>{e(h)}</li>" for h in a.headlines()) + "</ul>",
        "<h2>Items</h2>",
        "<p class='muted'>Difficulty is the share of the item's points the class earned (for a right/wrong "
        "item, the share who got it right). Discrimination compares strong and weak students: the "
        "point-biserial correlation of the item with the rest of the score, and the upper–lower index (top "
        "27 % minus bottom 27 %). Near 0 or negative: the item does not separate students who know the "
        "material from those who do not; check the key and the wording.</p>",
        "<table><tr><th>item</th><th>kind</th><th>skill</th><th>points</th><th>counted</th>"
        "<th>difficulty</th><th>point-biserial</th><th>upper–lower</th><th>look at</th></tr>",
    ]
    for i in a.items:
        kind = i.kind + ("" if i.graded else " (practice)")
        counted = f"{i.n}" + (f" ({i.pending} not marked)" if i.pending else "")
        parts.append(
            f"<tr><td>{e(i.item)}</td><td>{e(kind)}</td><td>{e(i.skill)}</td><td class='n'>{i.points:g}</td>"
            f"<td class='n'>{counted}</td><td class='n'>{_pct(i.difficulty)}</td>"
            f"<td class='n'>{_num(i.point_biserial)}</td><td class='n'>{_num(i.upper_lower)}</td>"
            f"<td class='flag'>{e('; '.join(i.flags))}</td></tr>"
        )
    parts.append("</table>")
    parts.append(
        f"<div class='cards'><figure class='card'>{difficulty_chart(a.items)}<figcaption>Difficulty "
        "by item (orange: hard, under 30 %).</figcaption></figure>"
    )
    parts.append(
        f"<figure class='card'>{histogram(a.totals, a.possible)}<figcaption>Students by total "
        "score.</figcaption></figure></div>"
    )
    parts.append("<h2>Which wrong answer drew whom</h2><div class='cards'>")
    for i in a.items:
        if not i.choices:
            continue
        table = "".join(
            f"<tr><td>{e(o)}{' (key)' if o == i.key else ''}</td><td class='n'>{n}</td>"
            f"<td class='muted'>{e(_short(i.option_text.get(o, '')))}</td></tr>"
            for o, n in i.choices.items()
        )
        parts.append(
            f"<figure class='card'><h3>{e(i.item)}</h3>{choices_chart(i)}<figcaption>Green: the key; orange: "
            f"the most chosen wrong option ({e(i.top_distractor or 'none')}).</figcaption>"
            f"<table><tr><th>option</th><th>students</th><th>text</th></tr>{table}</table></figure>"
        )
    parts.append("</div><h2>By skill</h2>")
    parts.append(
        f"<figure>{skills_chart(a.skills)}</figure><table><tr><th>skill</th><th>items</th>"
        "<th>earned</th><th>possible</th><th>share</th></tr>"
    )
    for s in a.skills:
        parts.append(
            f"<tr><td>{e(s.skill)}</td><td>{e(', '.join(s.items))}</td><td class='n'>{s.earned:g}</td>"
            f"<td class='n'>{s.possible:g}</td><td class='n'>{_pct(s.share)}</td></tr>"
        )
    parts.append("</table>")
    if a.texts:
        parts.append(
            "<h2>By text: which readings students confuse</h2><p class='muted'>Attribution items (practice "
            "ones included): each row is the text a sentence comes from, each column the text students "
            "named. The diagonal (green) is right; orange cells are confusions.</p>"
        )
        parts.append(f"<figure>{confusion_chart(a.texts, a.text_labels)}</figure>")
        parts.append("<table><tr><th>text</th><th>answers</th><th>right</th><th>named instead</th></tr>")
        for t in a.texts:
            others = ", ".join(
                f"{c}: {n}" for c, n in sorted(t.chosen.items(), key=lambda x: -x[1]) if c != t.text
            )
            parts.append(
                f"<tr><td>{e(t.label)}</td><td class='n'>{t.answered}</td><td class='n'>{_pct(t.share)}</td>"
                f"<td>{e(others)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


CSV_COLUMNS = [
    "row",
    "id",
    "kind",
    "skill",
    "points",
    "graded",
    "n",
    "pending",
    "difficulty",
    "point_biserial",
    "upper_lower",
    "key",
    "top_distractor",
    "choices",
    "flags",
]


def _r(x: float | None) -> str:
    return "" if x is None else f"{x:.4f}"


def to_csv(a: Analysis) -> str:
    """One row per item, then per skill, then per text (`row` says which); shares in [0, 1]."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for i in a.items:
        w.writerow(
            [
                "item",
                i.item,
                i.kind,
                i.skill,
                f"{i.points:g}",
                int(i.graded),
                i.n,
                i.pending,
                _r(i.difficulty),
            ]
            + [_r(i.point_biserial), _r(i.upper_lower), i.key or "", i.top_distractor or ""]
            + ["; ".join(f"{o}={n}" for o, n in i.choices.items()), "; ".join(i.flags)]
        )
    for s in a.skills:
        w.writerow(
            ["skill", s.skill, "", s.skill, f"{s.possible:g}", 1, len(s.items), 0, _r(s.share)] + [""] * 6
        )
    for t in a.texts:
        chosen = "; ".join(f"{c}={n}" for c, n in t.chosen.items())
        w.writerow(
            [
                "text",
                t.text,
                "attribution",
                "",
                "",
                "",
                t.answered,
                0,
                _r(t.share),
                "",
                "",
                t.text,
                "",
                chosen,
                "",
            ]
        )
    return buf.getvalue()


def write_report(a: Analysis, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    page, table = folder / "report.html", folder / "items.csv"
    page.write_text(render(a), encoding="utf-8")
    table.write_text(to_csv(a), encoding="utf-8")
    return page, table
