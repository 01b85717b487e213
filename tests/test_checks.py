"""`check(item_id)`: missing, malformed and well-formed answers of every kind; practice feedback."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

from courseware.authoring import dumps_spec, public_spec
from courseware.checks import check, check_all, require_all
from courseware.items import Exercise

TEXTS = {"callinicos-1977": "Callinicos", "hampton-awl": "Hampton", "ict-aurora-2017": "ICT"}


def _item(n: int, kind: str, graded: bool = True, **fields) -> dict:
    return {
        "id": f"demo_q{n}",
        "kind": kind,
        "skill": "close-reading",
        "points": 1 if graded else 0,
        "graded": graded,
        "prompt": "?",
        "variable": f"q{n}",
        "solution": f"q{n} = ...",
        **fields,
    }


DEMO = Exercise.model_validate(
    {
        "id": "demo",
        "title": "Demo",
        "theme": "soviets",
        "intro": "A test exercise.",
        "items": [
            _item(1, "attribution", options=TEXTS, key="hampton-awl"),
            _item(2, "ordering", left={"b": "B", "a": "A", "c": "C"}, key=["a", "b", "c"]),
            _item(
                3,
                "matching",
                left={"x": "X", "y": "Y"},
                options={"p": "P", "q": "Q"},
                key={"x": "p", "y": "q"},
            ),
            _item(4, "number", key=31.8, tolerance=0.1, hidden_tests=["0 < answer < 100"]),
            _item(
                5,
                "written",
                points=2,
                min_words=5,
                rubric=[{"id": "r", "points": 2, "text": "Cites the texts, secret rubric words."}],
            ),
            _item(
                6,
                "choice",
                graded=False,
                options={"a": "A", "b": "B"},
                key="a",
                feedback={"a": "Yes: paragraph 5 says so.", "b": "No: that is paragraph 7."},
            ),
            _item(
                7,
                "number",
                graded=False,
                key=2.95,
                tolerance=0.005,
                feedback={"right": "Right: 23,600 / 8,000.", "wrong": "Divide Hampton's by the ICT's."},
            ),
            _item(
                8,
                "ordering",
                graded=False,
                left={"m": "M", "n": "N"},
                key=["n", "m"],
                feedback={"right": "Yes.", "wrong": "N came first."},
            ),
            _item(
                9,
                "matching",
                graded=False,
                left={"x": "X", "y": "Y"},
                options={"p": "P", "q": "Q"},
                key={"x": "p", "y": "q"},
                feedback={"right": "Yes.", "wrong": "Look again.", "y": "Y is in paragraph 3."},
            ),
        ],
    }
)


@pytest.fixture(autouse=True)
def demo_spec(tmp_path, monkeypatch):
    (tmp_path / "demo.json").write_text(dumps_spec(public_spec(DEMO)), encoding="utf-8")
    monkeypatch.setenv("COURSEWARE_CHECKS", str(tmp_path))


@pytest.mark.parametrize("n", range(1, 10))
def test_missing_answer_says_what_to_do(n):
    for namespace in ({}, {f"q{n}": None}):
        result = check(f"demo_q{n}", namespace=namespace)
        assert result.status == "missing" and not result.ok
        assert f"Set `q{n}` in the cell above" in result.message


@pytest.mark.parametrize(
    ("n", "answer", "expected"),
    [
        (1, 3, "Expected a string, one of the option ids"),
        (1, "Hampton", 'Did you mean "hampton-awl"?'),
        (2, "a, b, c", "Expected a list of ids"),
        (2, ["a", "a", "c"], 'listed more than once: "a"; missing: "b"'),
        (2, ["a", "b", "z"], 'not ids here: "z"'),
        (3, ["p", "q"], "Expected a dict"),
        (3, {"x": "p", "y": "r"}, "Not an option id: y → 'r'"),
        (3, {"z": "p"}, "No match given"),
        (4, "31.8", "Expected a number"),
        (4, True, "Expected a number"),
        (4, float("nan"), "not finite"),
        (4, pd.Series([31.8]), "`.item()`"),
        (4, pd.Series([31.8, 2.0]), "with 2 values"),
        (5, "Too short.", "Your answer has 2 words; write at least 5."),
        (5, ["a", "list"], "Expected a string of at least 5 words"),
    ],
)
def test_malformed_answer_says_what_is_expected(n, answer, expected):
    result = check(f"demo_q{n}", namespace={f"q{n}": answer})
    assert result.status == "malformed", result
    assert expected in result.detail


@pytest.mark.parametrize(
    ("n", "answer"),
    [
        (1, "hampton-awl"),
        (1, "callinicos-1977"),  # right and wrong: both only "well-formed"
        (2, ["c", "b", "a"]),
        (2, ("a", "b", "c")),
        (3, {"x": "q", "y": "q"}),
        (3, {" X ": "P", "y": "q"}),
        (4, 31.8),
        (4, 7),
        (4, np.float64(99.0)),
        (5, "one two three four five six"),
    ],
)
def test_graded_answer_is_only_well_formed_never_right_or_wrong(n, answer):
    result = check(f"demo_q{n}", namespace={f"q{n}": answer})
    assert result.status == "ready" and result.ok
    assert str(result) == f"✓ demo_q{n}: Well-formed; it will be graded later."


@pytest.mark.parametrize(
    ("n", "answer", "status", "why"),
    [
        (6, "a", "right", "Yes: paragraph 5 says so."),
        (6, "b", "wrong", "No: that is paragraph 7."),
        (7, 2.95, "right", "Right: 23,600 / 8,000."),
        (7, 2.9533, "right", "Right: 23,600 / 8,000."),
        (7, 0.34, "wrong", "Divide Hampton's by the ICT's."),
        (8, ["n", "m"], "right", "Yes."),
        (8, ["m", "n"], "wrong", "N came first."),
        (9, {"x": "p", "y": "q"}, "right", "Yes."),
        (
            9,
            {"x": "p", "y": "p"},
            "wrong",
            "1 of 2 matches are not right. y: Y is in paragraph 3. Look again.",
        ),
    ],
)
def test_practice_answer_is_right_or_wrong_with_feedback(n, answer, status, why):
    result = check(f"demo_q{n}", namespace={f"q{n}": answer})
    assert (result.status, result.detail) == (status, why)
    assert result.ok == (status == "right") and not result.graded


def test_unknown_item_lists_the_valid_ids():
    result = check("demo_q99", namespace={})
    assert result.status == "unknown"
    assert result.detail == "Valid ids: " + ", ".join(f"demo_q{n}" for n in range(1, 10)) + "."


def test_unknown_exercise_and_malformed_id_are_explained():
    assert check("nosuch_q1", namespace={}).message == 'There is no exercise "nosuch".'
    assert "looks like" in check("q3", namespace={}).message


def test_check_reads_the_notebook_namespace_from_ipython():
    shell = InteractiveShell.instance()
    try:
        shell.run_cell('q1 = "ict-aurora-2017"')
        assert check("demo_q1").status == "ready"
        shell.run_cell("del q1")
        assert check("demo_q1").status == "missing"
    finally:
        InteractiveShell.clear_instance()


def test_outside_ipython_check_says_to_run_it_in_jupyter():
    result = check("demo_q1")
    assert result.status == "error" and "run it in Jupyter" in result.message


def test_html_repr_escapes_the_answer_and_names_the_status():
    result = check("demo_q1", namespace={"q1": "<script>"})
    page = result._repr_html_()
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert 'class="courseware-check courseware-check-malformed"' in page


def test_require_all_passes_only_when_every_check_passes():
    good = {
        "q1": "hampton-awl",
        "q2": ["a", "b", "c"],
        "q3": {"x": "p", "y": "p"},
        "q4": 1.0,
        "q5": "five words in this answer",
        "q6": "a",
        "q7": 2.95,
        "q8": ["n", "m"],
        "q9": {"x": "p", "y": "q"},
    }
    assert all(r.ok for r in require_all("demo", namespace=good))
    with pytest.raises(AssertionError, match="1 of 9 checks did not pass"):
        require_all("demo", namespace={**good, "q6": "b"})
    assert [r.status for r in check_all("demo", namespace={})] == ["missing"] * 9


def test_the_public_spec_a_check_reads_has_no_graded_key_or_rubric(tmp_path):
    spec = json.loads((tmp_path / "demo.json").read_text(encoding="utf-8"))
    text = json.dumps(spec)
    assert "secret rubric words" not in text and "0 < answer < 100" not in text
    assert [("key" in i) for i in spec["items"]] == [False] * 5 + [True] * 4


def test_an_incomplete_matching_is_well_formed_and_says_what_it_leaves_out():
    result = check("demo_q3", namespace={"q3": {"x": "p", "w": "q"}})
    assert result.status == "ready"
    assert 'No match given for "y"' in result.detail and 'ignored: "w"' in result.detail


def test_type_names_take_the_right_article():
    assert "Got an int." in check("demo_q1", namespace={"q1": 3}).detail
    assert "Got a string." in check("demo_q4", namespace={"q4": "31.8"}).detail


@pytest.mark.parametrize("typed", ["a", "h", "ha", "  c "])
def test_a_letter_or_two_suggests_no_option(typed):
    assert "Did you mean" not in check("demo_q1", namespace={"q1": typed}).detail


def test_a_real_near_miss_is_suggested():
    assert 'Did you mean "hampton-awl"?' in check("demo_q1", namespace={"q1": "hampton"}).detail
    assert 'Did you mean "hampton-awl"?' in check("demo_q1", namespace={"q1": "hamptn-awl"}).detail


def test_check_all_sums_up_answered_missing_and_points_ready():
    summary = check_all("demo", namespace={"q1": "hampton-awl", "q4": "many", "q6": "a"})
    assert summary.missing == [f"demo_q{n}" for n in (2, 3, 5, 7, 8, 9)]
    assert summary.answered == ["demo_q1", "demo_q4", "demo_q6"]
    assert (summary.points_ready, summary.points_possible) == (1, 6)
    assert str(summary).startswith("demo: 3 of 9 questions answered; 1 of 6 points ready to hand in.")
    assert "To fix: demo_q4 (not the expected form)." in str(summary)


def test_a_check_after_a_failed_answer_cell_says_so_instead_of_judging_the_old_value():
    shell = InteractiveShell.instance()
    try:
        shell.run_cell("from courseware.checks import check, start\nstart('demo')")
        shell.run_cell('q1 = "hampton-awl"')
        assert check("demo_q1").status == "ready"
        shell.run_cell("q1 = hampton-awl")  # NameError: q1 keeps its earlier value
        stale = check("demo_q1")
        assert stale.status == "stale" and "NameError" in stale.detail
        shell.run_cell("q1 = 'hampton-awl'  # fixed")
        assert check("demo_q1").status == "ready"
        shell.run_cell('q1 = "ict-aurora-2017\n')  # a SyntaxError
        assert check("demo_q1").status == "stale"
    finally:
        shell.user_ns.pop("q1", None)
        InteractiveShell.clear_instance()


def test_a_check_after_an_answer_cell_edited_and_saved_but_not_run_says_so(tmp_path, monkeypatch):
    notebook = tmp_path / "demo.ipynb"
    cell = {
        "cell_type": "code",
        "id": "demo-q1-answer",
        "source": 'q1 = "ict-aurora-2017"',
        "outputs": [],
        "execution_count": None,
        "metadata": {"courseware": {"item": "demo_q1", "role": "answer"}},
    }
    notebook.write_text(
        json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8"
    )
    monkeypatch.setenv("JPY_SESSION_NAME", str(notebook))  # what Jupyter Server tells the kernel
    shell = InteractiveShell.instance()
    try:
        shell.run_cell("from courseware.checks import check, start\nstart('demo')")
        shell.run_cell('q1 = "hampton-awl"', cell_id="demo-q1-answer")  # then edited and saved, not run
        stale = check("demo_q1")
        assert stale.status == "stale" and "changed (and saved) but not run" in stale.message
        shell.run_cell('q1 = "ict-aurora-2017"', cell_id="demo-q1-answer")
        assert check("demo_q1").status == "ready"
    finally:
        shell.user_ns.pop("q1", None)
        shell.user_ns.pop("__session__", None)
        InteractiveShell.clear_instance()
