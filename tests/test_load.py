"""Loading the data files: an invalid file fails with the file, the record and the field named."""

from __future__ import annotations

import shutil

import pytest

from courseware.load import load_course
from courseware.models import DataError
from tests.helpers import FIXTURES, copy_data, edit_yaml


def test_the_course_data_loads():
    course = load_course()
    assert set(course.sources) == {
        "callinicos-1977",
        "icf-98-2017",
        "ict-aurora-2017",
        "anarchist-essay",
        "hampton-awl",
    }
    assert {s.reading for s in course.sources.values()} == set(course.readings)


def test_missing_field_names_file_record_and_field(tmp_path):
    data = copy_data(tmp_path)
    edit_yaml(data / "sources.yml", lambda doc: doc[4].pop("author"))
    with pytest.raises(DataError) as e:
        load_course(data)
    assert 'sources.yml: record "hampton-awl", field "author": Field required.' in str(e.value)


def test_misspelt_field_is_an_error_not_ignored(tmp_path):
    data = copy_data(tmp_path)
    edit_yaml(data / "readings.yml", lambda doc: doc[0].update(summry="typo"))
    with pytest.raises(DataError) as e:
        load_course(data)
    assert 'readings.yml: record "trotskyist", field "summry": Extra inputs are not permitted' in str(e.value)


def test_every_problem_is_reported_in_one_pass(tmp_path):
    data = copy_data(tmp_path)
    edit_yaml(data / "sources.yml", lambda doc: [doc[0].pop("title"), doc[1].pop("date")])
    (data / "glossary.yml").write_text("- {id: x}\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_course(data)
    text = str(e.value)
    assert '"callinicos-1977", field "title"' in text
    assert '"icf-98-2017", field "date"' in text
    assert 'glossary.yml: record "x", field "term"' in text


def test_broken_yaml_names_the_line(tmp_path):
    data = copy_data(tmp_path)
    (data / "events.yml").write_text("- id: a\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_course(data)
    assert "data/events.yml" in str(e.value) or "events.yml" in str(e.value)
    assert "is not valid YAML" in str(e.value)


def test_non_utf8_file_says_so(tmp_path):
    data = copy_data(tmp_path)
    (data / "glossary.yml").write_bytes(b"- id: caf\xe9\n")
    with pytest.raises(DataError, match="glossary.yml: not UTF-8"):
        load_course(data)


def test_missing_file_says_restore_it(tmp_path):
    data = copy_data(tmp_path)
    (data / "figures.yml").unlink()
    with pytest.raises(DataError, match="figures.yml: file is missing"):
        load_course(data)


def test_duplicate_ids_are_caught(tmp_path):
    data = copy_data(tmp_path)
    edit_yaml(data / "readings.yml", lambda doc: doc.append(dict(doc[0])))
    with pytest.raises(DataError, match='id "trotskyist" is used twice'):
        load_course(data)


def test_a_theme_file_loads(tmp_path):
    data = copy_data(tmp_path)
    shutil.copy(FIXTURES / "themes" / "valid_theme.yml", data / "themes")
    course = load_course(data)
    assert list(course.themes) == ["fixture-theme"]
