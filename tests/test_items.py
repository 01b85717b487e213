"""The exercise schema: the real sources load, and a broken source is reported by file, item and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from courseware.items import INSTRUCTOR, ExerciseError, load_exercise, load_exercises

SOVIETS = INSTRUCTOR / "soviets.yml"


def write_variant(tmp_path: Path, change, name: str = "soviets") -> Path:
    """A copy of the soviets source, changed by `change(doc)`, saved as <name>.yml."""
    doc = yaml.safe_load(SOVIETS.read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / f"{name}.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def item(doc: dict, item_id: str) -> dict:
    return next(i for i in doc["items"] if i["id"] == item_id)


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ExerciseError) as caught:
        load_exercise(path)
    return caught.value.problems


def test_every_exercise_source_loads():
    exercises = load_exercises()
    assert [e.id for e in exercises] == sorted(p.stem for p in INSTRUCTOR.glob("*.yml"))
    assert len(exercises) >= 10


def test_written_item_without_rubric_names_file_item_and_field(tmp_path):
    path = write_variant(tmp_path, lambda d: item(d, "soviets_q8").pop("rubric"))
    [problem] = problems_of(path)
    assert problem.startswith("soviets.yml: ")
    assert 'item "soviets_q8", field "rubric"' in problem
    assert "needs a rubric" in problem


def test_key_that_is_not_an_option_is_reported_on_the_key_field(tmp_path):
    path = write_variant(tmp_path, lambda d: item(d, "soviets_q2").update(key="lenin-1917"))
    [problem] = problems_of(path)
    assert 'item "soviets_q2", field "key"' in problem
    assert "'lenin-1917' is not one of the options" in problem


def test_misspelt_field_is_named_with_its_item(tmp_path):
    path = write_variant(tmp_path, lambda d: item(d, "soviets_q4").update(pionts=2))
    [problem] = problems_of(path)
    assert 'item "soviets_q4", field "pionts": is not a known field' in problem


def test_ordering_key_missing_an_id_is_reported(tmp_path):
    path = write_variant(tmp_path, lambda d: item(d, "soviets_q5")["key"].pop())
    [problem] = problems_of(path)
    assert 'item "soviets_q5", field "key": an ordering key must list every id' in problem


def test_matching_key_to_an_unknown_option_is_reported(tmp_path):
    path = write_variant(tmp_path, lambda d: item(d, "soviets_q6")["key"].update({"p2": "zz"}))
    [problem] = problems_of(path)
    assert 'item "soviets_q6", field "key"' in problem and "'zz'" in problem


def test_bad_item_id_names_the_field(tmp_path):
    path = write_variant(tmp_path, lambda d: item(d, "soviets_q3").update(id="Soviets-3"))
    [problem] = problems_of(path)
    assert 'item "Soviets-3", field "id"' in problem


def test_file_name_must_match_the_exercise_id(tmp_path):
    path = write_variant(tmp_path, lambda d: None, name="sovietz")
    [problem] = problems_of(path)
    assert problem.startswith('sovietz.yml: exercise, field "id"') and "Rename the file" in problem


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "soviets.yml"
    path.write_text("id: soviets\ntitle: [unclosed\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert problem.startswith("soviets.yml: line") and "not valid YAML" in problem


def test_every_problem_in_every_file_is_reported_at_once(tmp_path):
    write_variant(tmp_path, lambda d: item(d, "soviets_q8").pop("rubric"))
    other = yaml.safe_load(SOVIETS.read_text(encoding="utf-8"))
    other["id"] = "other"
    item(other, "soviets_q2")["key"] = "nobody"
    (tmp_path / "other.yml").write_text(yaml.safe_dump(other, sort_keys=False), encoding="utf-8")
    with pytest.raises(ExerciseError) as caught:
        load_exercises(tmp_path)
    text = str(caught.value)
    assert "2 problem(s)" in text and "other.yml" in text and "soviets.yml" in text
