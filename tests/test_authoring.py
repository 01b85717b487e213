"""Generating the student notebooks and public checks: no drift, deterministic, nothing secret."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from courseware.authoring import (
    display_order,
    drifted,
    generate_exercises,
    generated_files,
    load_checked,
    public_spec,
    render,
    solved_notebook,
    student_notebook,
)
from courseware.cli import main
from courseware.command_error import CommandError
from courseware.items import ROOT


@pytest.fixture(scope="module")
def exercises():
    return load_checked()


def test_committed_notebooks_and_specs_match_their_sources(exercises):
    """The drift test: regenerate in memory and compare with the committed files, byte for byte."""
    assert drifted(generated_files(exercises), ROOT) == []


def test_generation_is_deterministic(exercises):
    for ex in exercises:
        assert render(ex) == render(ex)


def test_check_flag_names_a_drifted_file_and_exits_1(tmp_path, capsys):
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises")
    nb = tmp_path / "exercises" / "soviets.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("q2 = None", "q2 = 'edited'"), encoding="utf-8")
    (tmp_path / "exercises" / "orphan.ipynb").write_text("{}", encoding="utf-8")
    assert main(["exercises", "--check", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "exercises/soviets.ipynb: differs from its source" in err
    assert "exercises/orphan.ipynb" in err
    assert "factory-committees.ipynb" not in err


def test_a_folder_without_sources_is_an_error_naming_it(tmp_path, capsys):
    with pytest.raises(CommandError) as error:
        generate_exercises(source=tmp_path, root=tmp_path)
    assert (error.value.code, error.value.bare) == (1, False)
    assert main(["exercises", "--source", str(tmp_path), "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"courseware exercises: no sources in {tmp_path}. Add <id>.yml files there.\n"
    )


def test_generating_into_an_empty_folder_then_checking_passes(exercises, tmp_path, capsys):
    assert main(["exercises", "--root", str(tmp_path)]) == 0
    assert main(["exercises", "--check", "--root", str(tmp_path)]) == 0
    assert f"ok: {2 * len(exercises)} generated files" in capsys.readouterr().out


def test_student_notebook_has_the_cells_and_metadata_the_grader_relies_on(exercises):
    for ex in exercises:
        nb = student_notebook(ex)
        assert nb.nbformat == 4 and nb.metadata.kernelspec.name == "python3"
        roles = [(c.metadata.courseware.get("item"), c.metadata.courseware["role"]) for c in nb.cells]
        assert roles[:2] == [(None, "intro"), (None, "setup")]
        expected = [(i.id, r) for i in ex.items for r in ("prompt", "answer", "check")]
        assert roles[2:-3] == expected
        assert roles[-3:] == [(None, "hand-in-note"), (None, "check-all"), (None, "hand-in")]
        for cell in nb.cells:
            assert cell.get("outputs", []) == [] and cell.get("execution_count") is None
        answers = [c.source for c in nb.cells if c.metadata.courseware["role"] == "answer"]
        assert answers == [i.starter_code.strip() for i in ex.items]
        checks = [c.source for c in nb.cells if c.metadata.courseware["role"] == "check"]
        assert checks == [f'check("{i.id}")' for i in ex.items]


def test_solved_notebook_replaces_only_the_answer_cells(exercises):
    ex = exercises[0]
    blank, solved = student_notebook(ex), solved_notebook(ex)
    assert len(solved.cells) == len(blank.cells) + 1
    for b, s in zip(blank.cells, solved.cells, strict=False):
        if b.metadata.courseware["role"] == "answer":
            assert s.source == ex.item(b.metadata.courseware["item"]).solution.strip()
        else:
            assert s.source == b.source
    assert "require_all" in solved.cells[-1].source


def _public_text(ex) -> str:
    return "\n".join(render(ex).values())


def test_public_files_hold_no_graded_key_hidden_test_rubric_or_solution(exercises):
    for ex in exercises:
        spec = json.loads(public_spec(ex).dumps())  # as the student's check reads it
        text = _public_text(ex)
        for item, entry in zip(ex.items, spec["items"], strict=True):
            assert entry["id"] == item.id
            if item.graded:
                assert "key" not in entry and "feedback" not in entry
                if isinstance(item.key, list | dict):
                    assert json.dumps(item.key) not in text
            else:
                assert entry["key"] == item.key and entry["feedback"] == item.feedback
            for test in item.hidden_tests:
                assert test not in text, (item.id, test)
            for criterion in item.rubric:
                assert criterion.text not in text, (item.id, criterion.id)
            assert item.solution.strip() not in text, item.id


def test_ordering_items_are_not_shown_in_the_order_of_their_key(exercises):
    for ex in exercises:
        for item in ex.items:
            if item.kind == "ordering":
                assert display_order(item) != list(item.key), item.id


def test_each_exercise_has_six_to_twelve_items_and_a_practice_item(exercises):
    from courseware.data import loaded

    assert sorted(ex.theme for ex in exercises) == sorted(loaded().themes)  # one exercise per theme
    for ex in exercises:
        assert 6 <= len(ex.items) <= 12
        assert any(not i.graded for i in ex.items)
        kinds = {i.kind for i in ex.items}
        assert "written" in kinds and ({"attribution", "choice"} & kinds)


def _run(code: str, namespace: dict) -> None:
    exec(compile(code, "<solution>", "exec"), namespace)  # noqa: S102 - instructor code, in a test


def test_every_solution_binds_its_key_and_passes_its_hidden_tests(exercises):
    for ex in exercises:
        ns: dict = {}
        _run(ex.setup, ns)
        for item in ex.items:
            _run(item.solution, ns)
            answer = ns[item.variable]
            if item.kind == "number":
                assert abs(answer - item.key) <= item.tolerance + 1e-9, (item.id, answer)
            elif item.kind == "written":
                assert len(answer.split()) >= item.min_words, item.id
            else:
                assert answer == item.key, item.id
            for test in item.hidden_tests:
                assert eval(test, {"answer": answer}), (item.id, test)  # noqa: S307


def test_generated_files_are_the_ones_committed(exercises):
    names = sorted(Path(p).name for p in generated_files(exercises))
    on_disk = sorted(
        [
            *(p.name for p in (ROOT / "exercises").glob("*.ipynb")),
            *(p.name for p in (ROOT / "exercises" / "checks").glob("*.json")),
        ]
    )
    assert names == on_disk
