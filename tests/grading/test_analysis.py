"""Item analysis on a synthetic class whose answers were designed so that every statistic has a value
known in advance (see synthetic.py): difficulty, discrimination both ways, the most chosen wrong
option, skills and confusions between texts; and the report and CSV `courseware analyse` writes."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pytest
from synthetic import N, answers_for, soviets, synthetic_class

from courseware.cli import main
from courseware.grading.analysis import Analysis, analyse, pearson, upper_lower
from courseware.grading.gradebook import Gradebook


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory) -> Path:
    return synthetic_class(tmp_path_factory.mktemp("synthetic") / "class.db")


@pytest.fixture(scope="module")
def result(gradebook: Path) -> Analysis:
    with Gradebook(gradebook) as gb:
        return analyse(gb, "soviets")


def items(result: Analysis) -> dict:
    return {i.item: i for i in result.items}


def test_the_unreadable_files_are_left_out_and_the_class_counted(result):
    assert result.students == N
    assert result.left_out == ["zz-broken-1", "zz-broken-2"]


def test_difficulty_is_the_designed_share(result):
    got = {k: v.difficulty for k, v in items(result).items()}
    assert got == {
        "soviets_q1": 0.5,
        "soviets_q2": 0.8,
        "soviets_q3": 0.3,
        "soviets_q4": 0.4,
        "soviets_q5": 0.7,
        "soviets_q6": 0.5,  # (0 + 1 + 2 + 3 + 4) × 20 pairs of 400
        "soviets_q7": 0.5,
        "soviets_q8": None,  # no written answer is marked yet
    }
    assert items(result)["soviets_q8"].pending == N


def test_upper_lower_index_matches_the_design(result):
    # top 27 = k 73..99, bottom 27 = k 0..26
    got = {k: v.upper_lower for k, v in items(result).items()}
    assert got["soviets_q2"] == pytest.approx(1 - 7 / 27)  # bottom: k 20..26 right
    assert got["soviets_q3"] == 1.0
    assert got["soviets_q4"] == -1.0  # every weak student right, every strong one wrong
    assert got["soviets_q5"] == 1.0
    assert got["soviets_q6"] == pytest.approx((7 * 0.75 + 20) / 27 - 7 * 0.25 / 27)
    assert got["soviets_q7"] == 1.0
    assert got["soviets_q1"] == pytest.approx(13 / 27 - 14 / 27)  # even k: 13 on top, 14 below


def test_point_biserial_is_the_correlation_with_the_rest_score(result):
    ex = soviets()
    # the designed per-student shares, straight from the design rather than from the gradebook
    share = {
        "soviets_q2": [float(k >= 20) for k in range(N)],
        "soviets_q3": [float(k >= 70) for k in range(N)],
        "soviets_q4": [float(k < 40) for k in range(N)],
        "soviets_q5": [float(k >= 30) for k in range(N)],
        "soviets_q6": [(k // 20) / 4 for k in range(N)],
        "soviets_q7": [float(k >= 50) for k in range(N)],
    }
    points = {i.id: i.points for i in ex.items}
    total = np.sum([np.array(v) * points[i] for i, v in share.items()], axis=0)
    for item, values in share.items():
        rest = total - np.array(values) * points[item]
        expected = np.corrcoef(values, rest)[0, 1]
        assert items(result)[item].point_biserial == pytest.approx(expected, abs=1e-8), item
    assert items(result)["soviets_q4"].point_biserial < -0.8
    assert "weaker students did better" in " ".join(items(result)["soviets_q4"].flags)


def test_the_most_chosen_wrong_option_is_the_designed_one(result):
    it = items(result)
    assert it["soviets_q2"].choices == {
        "callinicos-1977": 80,
        "icf-98-2017": 0,
        "ict-aurora-2017": 15,
        "anarchist-essay": 0,
        "hampton-awl": 5,
    }
    assert it["soviets_q2"].top_distractor == "ict-aurora-2017"
    assert it["soviets_q3"].top_distractor == "callinicos-1977"
    assert "more students chose callinicos-1977 than the key" in it["soviets_q3"].flags
    assert it["soviets_q4"].choices == {"a": 40, "b": 40, "c": 20, "d": 0}
    assert it["soviets_q4"].top_distractor == "b"


def test_skills_add_the_points_of_their_items(result):
    got = {s.skill: (s.earned, s.possible) for s in result.skills}
    assert got == {
        "close-reading": (80 * 1 + 200 + 50 * 2, N * (1 + 4 + 2)),  # q2, q6, q7
        "sourcing": (30, N),
        "corroboration": (40, N),  # q4; the unmarked q8 is left out
        "contextualisation": (70 * 2, N * 2),
    }
    assert min(result.skills, key=lambda s: s.share or 0).skill == "sourcing"


def test_confusions_between_texts(result):
    texts = {t.text: t for t in result.texts}
    assert texts["hampton-awl"].chosen == {"callinicos-1977": 50, "icf-98-2017": 20, "hampton-awl": 30}
    assert texts["ict-aurora-2017"].chosen == {
        "ict-aurora-2017": 50,
        "hampton-awl": 25,
        "callinicos-1977": 25,
    }
    assert texts["callinicos-1977"].share == 0.8
    assert "most common confusion: hampton-awl read as callinicos-1977 (50 answer(s))" in result.headlines()


def test_the_statistics_helpers_on_small_cases():
    assert pearson([1, 1, 1], [1, 2, 3]) is None  # an item everyone got right cannot discriminate
    assert upper_lower({"a": 1, "b": 0}, {"a": 1, "b": 2}, 0.5) == -1.0


def test_analyse_writes_a_static_report_and_a_csv(gradebook, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["analyse", "soviets", "--gradebook", str(gradebook), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"Analysed {N} submission(s) of soviets" in printed
    assert "hardest item: soviets_q3 (30% of the points earned)" in printed
    page = (out / "report.html").read_text()
    assert "<script" not in page and "http" not in page.replace("http://www.w3.org/2000/svg", "")
    assert page.count("<svg") >= 6 and page.count("<title>") >= 7  # each chart has its own title
    assert re.search(r"<td>soviets_q3</td>.*?<td class='n'>30%</td>", page)
    rows = list(csv.DictReader(io.StringIO((out / "items.csv").read_text())))
    q3 = next(r for r in rows if r["row"] == "item" and r["id"] == "soviets_q3")
    assert (q3["difficulty"], q3["upper_lower"], q3["top_distractor"]) == (
        "0.3000",
        "1.0000",
        "callinicos-1977",
    )
    assert {r["id"] for r in rows if r["row"] == "skill"} == {
        "close-reading",
        "sourcing",
        "corroboration",
        "contextualisation",
    }


def test_analyse_without_the_exercise(gradebook, capsys):
    assert main(["analyse", "kronstadt", "--gradebook", str(gradebook)]) == 1
    assert "no exercise 'kronstadt' has been graded here (known: soviets)" in capsys.readouterr().err


def test_answers_for_matches_the_documented_totals():
    ex = soviets()
    from courseware.grading.judge import judge_submission

    totals = [judge_submission(ex, answers_for(k, ex)).total for k in (0, 20, 30, 40, 50, 60, 70, 80)]
    assert totals == [1, 3, 5, 5, 7, 8, 9, 10]


def test_the_doctests_of_the_new_grading_modules_pass():
    import doctest

    from courseware.grading import analysis, deadlines, export, shard, written

    for module in (analysis, deadlines, export, shard, written):
        assert doctest.testmod(module).failed == 0, module.__name__
