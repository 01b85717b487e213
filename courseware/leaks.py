"""The leak scan: which graded points could a student score by look-up instead of by reading?

It works like a determined student with a script and the student edition only. For every graded item
it tries the mechanical look-ups such a student could write, against everything the edition shows:

- **quotation search**: the item's quotation searched in the five texts (`data/texts/`), in the
  chapters' quotations with their source (claim cards, `{q}` roles, disagreements), and in the
  attribution quizzes. When the source found is the key (of the item, or of a matching pair), the
  look-up answers those points.
- **option wording**: each option of a choice or matching item compared, word by word, with the
  passages that talk about the same thing (a choice item) or name the same text (a matching pair).
  When the key's option is clearly the closest, the look-up answers those points. The passages are
  those the edition gives with answers: practice feedback (the public check specs), the chapters'
  "Check your understanding" answers and the quizzes ("direct" look-ups); and, for the second measure
  ("overlap"), the chapters' prose and summaries (claims, comparison tables, disagreements,
  `sources.yml`'s notes).

`scan(root, exercises)` returns a `Report`: every finding with where it was found, per exercise and in
total. `courseware release` refuses an edition whose direct look-ups answer more graded points than
an exercise allows (`lookup_allowance` in its source, default 0); a look-up that only finds a
close-reading item's quotation in its own text is reported but allowed, since reading the passage in
context is what such an item asks for. `python -m courseware.leaks` prints the report for this course.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .items import ROOT, Exercise, Item
from .text import compact, quote_parts
from .yamltext import parse as parse_yaml

Channel = Literal["texts", "chapter", "quiz", "feedback", "self-check", "prose", "summary"]
DIRECT: frozenset[str] = frozenset({"texts", "chapter", "quiz", "feedback", "self-check"})
WORDING_DIRECT: frozenset[str] = frozenset({"feedback", "self-check", "quiz"})
WORDING_OVERLAP: frozenset[str] = frozenset({"prose", "summary"})
BEST = 0.34  # share of an option's (weighted) words a passage must hold for the option to be found
MARGIN = 0.15  # by how much the key's option must beat every other option

_STOP = set(
    """a about above after again against all also an and any are as at be because been before being
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just more most no nor not now of
    off on once only or other our out over own same she should so some such than that the their theirs
    them then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your one two three four five text texts says
    say said reading readings read paragraph paragraphs words word our its it's 1917 which whose""".split()
)
_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|\d+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“‘\"'(])")


def words(text: str) -> list[str]:
    """The content words of `text`, lower-cased, with typography folded."""
    out = []
    for w in _WORD.findall(text.lower().replace("’", "'")):
        w = w.strip("'-")
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) > 2 and w not in _STOP:
            out.append(w)
    return out


# ---- what the edition shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """A stretch of public text a student can search. `source` is the text the edition attributes
    it to (a quotation's source, a claim's text), when it says so."""

    channel: Channel
    where: str
    text: str
    source: str | None = None


def _yaml(path: Path) -> object:
    return parse_yaml(path.read_text(encoding="utf-8"))


_Q_ROLE = re.compile(r"\{q\}`([a-z0-9-]+)\s+(\d+):\s*([^`]+)`")
_DROPDOWN = re.compile(r"^```\{dropdown\}\s*(.*?)\n(.*?)^```", re.S | re.M)


def _chapter_passages(root: Path) -> list[Passage]:
    out: list[Passage] = []
    for page in sorted((root / "book").rglob("*.md")):
        rel = str(page.relative_to(root))
        text = page.read_text(encoding="utf-8")
        for m in _Q_ROLE.finditer(text):
            out.append(Passage("chapter", f"{rel} ({{q}} role, {m[1]} ¶{m[2]})", m[3], m[1]))
        checks = re.search(r"^## Check your understanding\n(.*?)(?=^## )", text, re.S | re.M)
        if checks:
            for m in _DROPDOWN.finditer(checks.group(1)):
                out.append(
                    Passage(
                        "self-check", f"{rel} (check your understanding: {m[1][:60]!r})", m[1] + "\n" + m[2]
                    )
                )
            text = text.replace(checks.group(1), "")
        for k, para in enumerate(re.split(r"\n\s*\n", text)):
            if para.strip():
                out.append(Passage("prose", f"{rel} (paragraph {k + 1})", para))
    return out


def _data_passages(root: Path) -> list[Passage]:
    data = root / "data"
    out: list[Passage] = []
    for path in sorted((data / "texts").glob("*.yml")):
        raw = _yaml(path)
        if not isinstance(raw, dict):
            continue
        for block in raw.get("blocks", []):
            if "n" in block:  # a paragraph, not a heading
                out.append(
                    Passage(
                        "texts",
                        f"data/texts/{path.name} ¶{block['n']}",
                        str(block["text"]),
                        str(raw["source"]),
                    )
                )
    for path in sorted((data / "themes").glob("*.yml")):
        raw = _yaml(path)
        if not isinstance(raw, dict):
            continue
        rel = f"data/themes/{path.name}"
        for claim in raw.get("claims", []):
            src = claim["source"]
            where = f"{rel} (claim of {src} on {claim['question']})"
            out.append(Passage("summary", where, f"{claim['position']}\n{claim['short']}", src))
            out += [Passage("chapter", where, q["text"], q["source"]) for q in claim.get("quotes", [])]
        for dis in raw.get("disagreements", []):
            where = f"{rel} (disagreement {dis['id']})"
            for side in dis.get("sides", []):
                out.append(Passage("summary", where, side["says"], side["source"]))
                q = side["quote"]
                out.append(Passage("chapter", where, q["text"], q["source"]))
            out.append(Passage("summary", where, dis["why"]))
        for s in raw.get("silent", []):
            out.append(Passage("summary", f"{rel} (silence of {s['source']})", s["note"], s["source"]))
    sources = _yaml(data / "sources.yml")
    for src in sources if isinstance(sources, list) else []:
        for key in ("current", "tradition", "audience", "notes"):
            if isinstance(src.get(key), str):
                out.append(Passage("summary", f"data/sources.yml ({src['id']}, {key})", src[key], src["id"]))
    return out


def _quiz_passages(root: Path) -> list[Passage]:
    """The quotations each chapter's attribution quiz shows, with the source its feedback names."""
    from .load import load_course
    from .views import quiz_quotes

    course = load_course(root / "data")
    out = []
    for theme in course.themes.values():
        for q in quiz_quotes(course, theme):
            out.append(
                Passage(
                    "quiz", f"attribution quiz of {theme.page} ({q.source} ¶{q.paragraph})", q.text, q.source
                )
            )
    return out


def _feedback_passages(root: Path) -> list[Passage]:
    out = []
    for path in sorted((root / "exercises" / "checks").glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        for item in spec.get("items", []):
            for k, text in (item.get("feedback") or {}).items():
                out.append(
                    Passage(
                        "feedback", f"exercises/checks/{path.name} (feedback of {item['id']}, {k!r})", text
                    )
                )
    return out


def public_passages(root: Path) -> list[Passage]:
    """Everything the edition at `root` (or this repository) lets a student search."""
    return [*_data_passages(root), *_quiz_passages(root), *_chapter_passages(root), *_feedback_passages(root)]


# ---- the look-ups --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    exercise: str
    item: str
    points: float  # graded points this look-up answers
    channel: Channel
    where: str
    how: str  # what the look-up did
    part: str = "item"  # what it answers: the whole item, or one pair of a matching item
    exempt: bool = False  # reported, but allowed: a close-reading item's quotation in its own text

    @property
    def direct(self) -> bool:
        return self.channel in DIRECT


@dataclass
class Index:
    passages: list[Passage]
    compacted: list[str] = field(default_factory=list)
    bags: list[set[str]] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.compacted = [compact(p.text).lower() for p in self.passages]
        self.bags = [set(words(p.text)) for p in self.passages]
        df = Counter(w for bag in self.bags for w in bag)
        n = len(self.passages) or 1
        self.idf = {w: math.log(n / c) for w, c in df.items()}

    def weight(self, w: str) -> float:
        return self.idf.get(w, math.log(len(self.passages) or 1))


def _found_in(quote: str, hay: str) -> bool:
    pos = 0
    for part in quote_parts(quote):
        needle = compact(part).lower()
        found = hay.find(needle, pos)
        if not needle or found < 0:
            return False
        pos = found + len(needle)
    return True


def _quotation_lookups(ex: Exercise, item: Item, index: Index, sources: set[str]) -> list[Finding]:
    """Quotations searched for their source: an attribution key, or a matching pair's option."""
    targets: list[tuple[str, str, float, str]] = []  # (quotation, expected source, points, label)
    if item.kind in ("attribution", "choice") and str(item.key) in sources:
        targets += [(q.text, str(item.key), item.points, "the quotation") for q in item.quotes]
    if item.kind == "matching" and isinstance(item.key, dict):
        share = item.points / len(item.key)
        for left, answer in item.key.items():
            if str(answer) in sources:
                label = item.left.get(left, "")
                targets += [
                    (q.text, str(answer), share, f"pair {left!r}")
                    for q in item.quotes
                    if compact(q.text) in compact(label)
                ]
    out = []
    for text, expected, points, label in targets:
        for passage, hay in zip(index.passages, index.compacted, strict=True):
            if passage.source == expected and _found_in(text, hay):
                # finding a close-reading item's quotation in its own text is allowed by default
                exempt = passage.channel == "texts" and item.skill == "close-reading"
                part = label if label.startswith("pair ") else "item"
                out.append(
                    Finding(
                        ex.id,
                        item.id,
                        points,
                        passage.channel,
                        passage.where,
                        f"{label} found with its source {expected!r}",
                        part,
                        exempt,
                    )
                )
    return out


def _names(label: str, source: str | None, course_names: dict[str, set[str]]) -> set[str]:
    """The words that name a left-hand entry in a passage: its text's names, or its label's rarer words."""
    if source and source in course_names:
        return course_names[source]
    return {w for w in words(label) if w not in {"essay", "article", "pamphlet", "text"}}


def _best_option(options: dict[str, str], bag: set[str], index: Index) -> tuple[str | None, float, float]:
    """The option whose (weighted) words the passage holds most of: (id, its share, the runner-up's)."""
    scores = []
    for oid, text in options.items():
        ws = set(words(text))
        total = sum(index.weight(w) for w in ws) or 1.0
        scores.append((sum(index.weight(w) for w in ws & bag) / total, oid))
    scores.sort(reverse=True)
    if not scores:
        return None, 0.0, 0.0
    second = scores[1][0] if len(scores) > 1 else 0.0
    return scores[0][1], scores[0][0], second


def _clear(best: float, second: float) -> bool:
    return best >= BEST and best - second >= MARGIN


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(" ".join(text.split())) if s]


def _wording_lookups(
    ex: Exercise, item: Item, index: Index, channels: frozenset[str], course_names: dict[str, set[str]]
) -> list[Finding]:
    out: list[Finding] = []
    if item.kind == "choice":
        prompt = set(words(item.prompt))
        rare = {w for w in prompt if index.weight(w) > math.log(20)}  # in fewer than 1 passage in 20
        for passage, bag in zip(index.passages, index.bags, strict=True):
            if passage.channel not in channels or len(rare & bag) < 2:
                continue
            oid, best, second = _best_option(item.options, bag, index)
            if oid == item.key and _clear(best, second):
                out.append(
                    Finding(
                        ex.id,
                        item.id,
                        item.points,
                        passage.channel,
                        passage.where,
                        f"the key's option wording ({best:.0%} of its words; next {second:.0%})",
                    )
                )
    if item.kind == "matching" and isinstance(item.key, dict):
        share = item.points / len(item.key)
        for left, answer in item.key.items():
            names = _names(item.left.get(left, left), left, course_names)
            if not names:
                continue
            for passage in index.passages:
                if passage.channel not in channels:
                    continue
                if passage.source is not None:
                    windows = [passage.text] if passage.source == left else []
                else:
                    windows = [s for s in _sentences(passage.text) if names & set(words(s))]
                for window in windows:
                    oid, best, second = _best_option(item.options, set(words(window)), index)
                    if oid == answer and _clear(best, second):
                        out.append(
                            Finding(
                                ex.id,
                                item.id,
                                share,
                                passage.channel,
                                passage.where,
                                f"pair {left!r} → {answer!r} by option wording "
                                f"({best:.0%}; next {second:.0%})",
                                f"pair {left!r}",
                            )
                        )
                        break
    return out


def _course_names(root: Path) -> dict[str, set[str]]:
    """Source id → the words a passage names that text by (author's surname, organisation, short name)."""
    raw = _yaml(root / "data" / "sources.yml")
    names: dict[str, set[str]] = {}
    for src in raw if isinstance(raw, list) else []:
        found = set()
        for key in ("short", "author"):
            value = src.get(key)
            if isinstance(value, str):
                found |= {w for w in words(value) if w[0].isalpha()}
        found |= {p for p in src["id"].split("-") if p.isalpha() and len(p) > 2}
        names[src["id"]] = found - {
            "unknown",
            "author",
            "essay",
            "the",
            "revolution",
            "russian",
            "workers",
            "communist",
            "international",
            "socialist",
            "tendency",
        }
    return names


# ---- the report ------------------------------------------------------------------------------------


@dataclass
class ItemLeak:
    exercise: str
    item: str
    points: float
    skill: str
    findings: list[Finding]

    def answered(self, channels: frozenset[str], allowed: bool = False) -> float:
        """Graded points of this item that look-ups in `channels` answer (`allowed`: exempt ones too).
        Pairs of a matching item add up; other look-ups answer the whole item at most once."""
        hits = [f for f in self.findings if f.channel in channels and (allowed or not f.exempt)]
        if not hits:
            return 0.0
        pairs: dict[str, float] = {}
        for f in hits:
            pairs[f.part] = max(pairs.get(f.part, 0.0), f.points)
        return min(self.points, sum(pairs.values()))


@dataclass
class Report:
    items: list[ItemLeak]
    allowance: dict[str, float]  # exercise id → graded points look-ups may answer

    @property
    def total_points(self) -> float:
        return sum(i.points for i in self.items)

    def answered(self, channels: frozenset[str], exercise: str | None = None) -> float:
        return sum(
            i.answered(channels, allowed=True)
            for i in self.items
            if exercise is None or i.exercise == exercise
        )

    def direct(self, exercise: str | None = None) -> float:
        return self.answered(DIRECT, exercise)

    def overlap(self, exercise: str | None = None) -> float:
        return self.answered(DIRECT | WORDING_OVERLAP, exercise)

    def over_allowance(self) -> list[str]:
        """One line per exercise whose direct look-ups answer more than it allows (exempt ones aside)."""
        out = []
        for ex, allowed in self.allowance.items():
            got = sum(i.answered(DIRECT) for i in self.items if i.exercise == ex)
            if got > allowed + 1e-9:
                out.append(
                    f"{ex}: look-ups answer {got:g} graded points; the exercise allows "
                    f"{allowed:g} (lookup_allowance in instructor/exercises/{ex}.yml)"
                )
        return out

    def format(self, detail: bool = True, only: set[str] | None = None) -> str:
        """The table per exercise and in total; with `detail`, every finding (of `only` these
        exercises, when given), with where it was found."""
        total = self.total_points or 1.0
        lines = [f"{'exercise':<20} {'graded':>7} {'direct':>7} {'+overlap':>9}"]
        for ex in self.allowance:
            pts = sum(i.points for i in self.items if i.exercise == ex)
            lines.append(f"{ex:<20} {pts:>7g} {self.direct(ex):>7.3g} {self.overlap(ex):>9.3g}")
        d, o = self.direct(), self.overlap()
        lines.append(f"{'total':<20} {self.total_points:>7g} {d:>7.3g} {o:>9.3g}")
        lines.append(
            f"answerable by look-up: {d / total:.1%} from feedback, quizzes, self-checks and text "
            f"search; {o / total:.1%} counting word overlap with the chapters' prose"
        )
        if detail:
            for i in self.items:
                if only is not None and i.exercise not in only:
                    continue
                for f in i.findings:
                    mark = " (allowed: close reading of the quotation)" if f.exempt else ""
                    lines.append(f"  {f.item} [{f.channel}] {f.points:g} pt: {f.how}; {f.where}{mark}")
        return "\n".join(lines)


def scan(root: Path, exercises: list[Exercise]) -> Report:
    """Every graded point of `exercises` that a mechanical look-up in the edition at `root` answers."""
    index = Index(public_passages(root))
    names = _course_names(root)
    sources = set(names)
    items = []
    for ex in exercises:
        for item in ex.items:
            if not item.graded or item.points <= 0:
                continue
            found = _quotation_lookups(ex, item, index, sources)
            found += _wording_lookups(ex, item, index, WORDING_DIRECT, names)
            found += _wording_lookups(ex, item, index, WORDING_OVERLAP, names)
            items.append(ItemLeak(ex.id, item.id, item.points, item.skill, found))
    return Report(items, {ex.id: ex.lookup_allowance for ex in exercises})


def main(argv: list[str] | None = None) -> int:
    from .items import load_exercises

    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else ROOT
    report = scan(root, load_exercises())
    print(report.format(detail="--summary" not in args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
