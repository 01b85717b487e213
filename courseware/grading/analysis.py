"""Item analysis from the gradebook: which items were hard, which discriminate, which wrong answer
drew whom, which skill the class is weak in, and which texts students confuse.

The statistics, for each item, over the submissions that count (graded or accepted; those under
review are left out, since their scores are provisional):

- difficulty: the mean share of the item's points earned (for an all-or-nothing item, the share of
  students who got it right);
- discrimination, two ways (flagged when the upper–lower index is under 0.2, and as "weaker students
  did better" from -0.1 down): the point-biserial (Pearson) correlation between the item's share and
  the rest score (the total without that item), and the upper–lower index: the item's mean share in
  the top 27 % of students by total score minus that in the bottom 27 % (ties broken by student id);
- for choice and attribution items, how many students chose each option, and the most chosen wrong
  option (the strongest distractor);
- per skill: points earned over points possible on the skill's items;
- per text: for attribution items (practice ones included), how often each text's sentences were
  attributed to each text: the confusions between readings.

Written items count once marked; an answer still waiting for the rubric is left out of every statistic.
Everything here is pure: records in, records out; `analysis_report` draws and writes them.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from ..items import Exercise, Item
from .gradebook import Gradebook, SubmissionRow
from .judge import ItemScore

UPPER_LOWER = 0.27
NO_ANSWER = "(no answer)"
OTHER = "(not an option)"


@dataclass
class ItemStats:
    item: str
    kind: str
    skill: str
    points: float
    graded: bool
    n: int  # students counted (answers judged, written answers marked)
    difficulty: float | None  # mean share of the points (share correct); None when n == 0
    point_biserial: float | None  # None when the item or the rest score does not vary
    upper_lower: float | None  # upper 27 % minus lower 27 %
    choices: dict[str, int] = field(default_factory=dict)  # option id → students (choice, attribution)
    option_text: dict[str, str] = field(default_factory=dict)  # option id → its text
    key: str | None = None
    top_distractor: str | None = None  # the most chosen wrong option
    pending: int = 0  # written answers not marked yet

    @property
    def flags(self) -> list[str]:
        """What a teacher should look at, in words."""
        out = []
        if self.difficulty is not None and self.n:
            if self.difficulty < 0.3:
                out.append("hard")
            elif self.difficulty > 0.9:
                out.append("easy")
        d = self.upper_lower
        if d is not None and d <= -0.1:
            out.append("weaker students did better: check the key and the wording")
        elif d is not None and d < 0.2:
            out.append("discriminates little")
        if self.top_distractor and self.choices.get(self.top_distractor, 0) > self.choices.get(
            self.key or "", 0
        ):
            out.append(f"more students chose {self.top_distractor} than the key")
        return out


@dataclass
class SkillStats:
    skill: str
    items: list[str]
    earned: float
    possible: float

    @property
    def share(self) -> float | None:
        return self.earned / self.possible if self.possible else None


@dataclass
class TextStats:
    text: str  # the source id the sentences come from
    label: str
    answered: int
    correct: int
    chosen: dict[str, int]  # source id chosen → count (NO_ANSWER, OTHER too)

    @property
    def share(self) -> float | None:
        return self.correct / self.answered if self.answered else None


@dataclass
class Analysis:
    exercise: str
    title: str
    students: int  # submissions counted
    left_out: list[str]  # students under review, not counted
    items: list[ItemStats]
    skills: list[SkillStats]
    texts: list[TextStats]
    text_labels: dict[str, str]
    totals: list[float]  # each counted student's total on the counted items, for the histogram
    possible: float

    def headlines(self) -> list[str]:
        """A few lines for the terminal: the hardest item, the weakest skill, the main confusion."""
        out = []
        rated = [i for i in self.items if i.difficulty is not None and i.graded]
        if rated:
            hard = min(rated, key=lambda i: i.difficulty or 0)
            out.append(f"hardest item: {hard.item} ({hard.difficulty:.0%} of the points earned)")
        for i in self.items:
            if i.upper_lower is not None and i.upper_lower <= -0.1:
                out.append(f"{i.item}: weaker students did better than stronger ones; check its key")
        skills = [s for s in self.skills if s.share is not None]
        if skills:
            weak = min(skills, key=lambda s: s.share or 0)
            out.append(f"weakest skill: {weak.skill} ({weak.share:.0%})")
        confusions = [
            (n, t.text, chosen)
            for t in self.texts
            for chosen, n in t.chosen.items()
            if chosen not in (t.text, NO_ANSWER, OTHER)
        ]
        if confusions:
            n, text, chosen = max(confusions)
            out.append(f"most common confusion: {text} read as {chosen} ({n} answer(s))")
        if self.left_out:
            out.append(f"left out (under review): {len(self.left_out)}")
        return out


# ---------------------------------------------------------------- statistics


def mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r; None when either side does not vary.

    >>> pearson([0, 0, 1, 1], [1, 2, 3, 4])
    0.894427191
    """
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return round(sxy / math.sqrt(sxx * syy), 9)


def upper_lower(
    shares: dict[str, float], totals: dict[str, float], fraction: float = UPPER_LOWER
) -> float | None:
    """Mean share in the top `fraction` of students by total minus that in the bottom `fraction`.

    >>> upper_lower({"a": 0, "b": 0, "c": 1, "d": 1}, {"a": 1, "b": 2, "c": 3, "d": 4}, 0.5)
    1.0
    """
    ranked = sorted((s for s in shares if s in totals), key=lambda s: (totals[s], s))
    k = max(1, round(fraction * len(ranked)))
    if len(ranked) < 2 * k:
        return None
    lower, upper = ranked[:k], ranked[-k:]
    return round(sum(shares[s] for s in upper) / k - sum(shares[s] for s in lower) / k, 9)


def _share(item: Item, score: ItemScore) -> float:
    if score.max_points:
        return score.points / score.max_points
    return 1.0 if score.status == "correct" else 0.0


def _option(item: Item, value: object) -> str:
    if value is None:
        return NO_ANSWER
    if isinstance(value, str):
        chosen = value.strip().lower()
        for option in item.options:
            if option.lower() == chosen:
                return option
    return OTHER


def analyse_rows(
    exercise: Exercise,
    rows: list[SubmissionRow],
    scores: dict[str, list[ItemScore]],
    text_labels: dict[str, str],
) -> Analysis:
    """The statistics for one exercise from its gradebook rows and item scores (no I/O)."""
    counted = [r for r in rows if r.status == "graded"]
    left_out = [r.student for r in rows if r.status != "graded"]
    by_student = {r.student: {s.item: s for s in scores.get(r.student, [])} for r in counted}
    shares: dict[str, dict[str, float]] = {i.id: {} for i in exercise.items}
    pending: Counter[str] = Counter()
    for r in counted:
        for item in exercise.items:
            s = by_student[r.student].get(item.id)
            if s is None:
                continue
            if s.status == "pending":
                pending[item.id] += 1
                continue
            shares[item.id][r.student] = _share(item, s)
    graded = [i for i in exercise.items if i.graded and i.points > 0]
    points = {
        st: sum(shares[i.id].get(st, 0.0) * i.points for i in graded) for st in by_student
    }  # total on the items that count
    possible = sum(i.points for i in graded if shares[i.id])
    items = []
    for item in exercise.items:
        sh = shares[item.id]
        rest = {st: points[st] - (sh[st] * item.points if item.graded else 0.0) for st in sh}
        students = sorted(sh)
        stats = ItemStats(
            item=item.id,
            kind=item.kind,
            skill=item.skill,
            points=item.points,
            graded=item.graded,
            n=len(sh),
            difficulty=round(mean(list(sh.values())) or 0.0, 9) if sh else None,
            point_biserial=pearson([sh[s] for s in students], [rest[s] for s in students]),
            upper_lower=upper_lower(sh, points),
            pending=pending[item.id],
        )
        if item.kind in ("choice", "attribution"):
            chosen = Counter(_option(item, (r.answers or {}).get(item.variable)) for r in counted)
            stats.choices = {
                o: chosen.get(o, 0)
                for o in [*item.options, NO_ANSWER, OTHER]
                if o in item.options or chosen.get(o)
            }
            stats.key = str(item.key)
            stats.option_text = dict(item.options)
            wrong = [(n, o) for o, n in stats.choices.items() if o != item.key and o in item.options and n]
            # ties go to the option listed first
            stats.top_distractor = max(wrong, key=lambda t: t[0])[1] if wrong else None
        items.append(stats)
    skills = []
    for skill in dict.fromkeys(i.skill for i in graded):
        its = [i for i in graded if i.skill == skill and shares[i.id]]
        earned = sum(sum(shares[i.id].values()) * i.points for i in its)
        possible_skill = sum(len(shares[i.id]) * i.points for i in its)
        skills.append(SkillStats(skill, [i.id for i in its], round(earned, 9), round(possible_skill, 9)))
    texts: dict[str, TextStats] = {}
    for item in exercise.items:
        if item.kind != "attribution":
            continue
        key = str(item.key)
        t = texts.setdefault(key, TextStats(key, text_labels.get(key, key), 0, 0, {}))
        for r in counted:
            choice = _option(item, (r.answers or {}).get(item.variable))
            t.answered += 1
            t.correct += choice == key
            t.chosen[choice] = t.chosen.get(choice, 0) + 1
    labels = dict(text_labels)
    for item in exercise.items:
        if item.kind == "attribution":
            for o, text in item.options.items():
                labels.setdefault(o, text)
    for t in texts.values():
        t.label = labels.get(t.text, t.text)
    return Analysis(
        exercise=exercise.id,
        title=exercise.title,
        students=len(counted),
        left_out=left_out,
        items=items,
        skills=skills,
        texts=sorted(texts.values(), key=lambda t: t.text),
        text_labels=labels,
        totals=[round(points[s], 2) for s in sorted(points)],
        possible=possible,
    )


def analyse(gb: Gradebook, exercise_id: str) -> Analysis:
    """The analysis of one exercise as graded in `gb`."""
    exercise = Exercise.model_validate(gb.find_exercise(exercise_id))
    rows = gb.find_submissions(exercise_id)
    scores = {r.student: gb.find_scores(exercise_id, r.student) for r in rows}
    return analyse_rows(exercise, rows, scores, {})
