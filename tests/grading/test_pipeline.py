"""What the sandbox preloads is what the exercise source declares (`preload`), and nothing else; an
undeclared value stops the exercise from loading, with the file and the allowed values named."""

from __future__ import annotations

from pathlib import Path

import kit
import pytest
import yaml

from courseware.grading.pipeline import fingerprint, load_exercise, sandbox_for
from courseware.grading.sandbox import Job, Limits
from courseware.items import INSTRUCTOR, PRELOADS, Exercise, ExerciseError


def with_preload(tmp_path: Path, preload: object) -> Path:
    """The grading fixture's source with `preload` set, saved under its own id."""
    doc = yaml.safe_load(kit.FIXTURE.read_text(encoding="utf-8"))
    doc["preload"] = preload
    path = tmp_path / kit.FIXTURE.name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def sent_to_worker(exercise: Exercise) -> tuple[bool, bool]:
    """(preload_heavy, preload_course) as the sandbox would send them in the worker's first line."""
    box = sandbox_for(exercise, None, 1)
    try:
        config = box._config()
    finally:
        box.close()
    return config["preload_heavy"], config["preload_course"]


@pytest.mark.parametrize(
    "declared, sent",
    [([], (False, False)), (["libraries"], (True, False)), (["libraries", "course"], (True, True))],
)
def test_the_worker_receives_the_declared_preload(tmp_path, declared, sent):
    exercise = load_exercise(str(with_preload(tmp_path, declared)))
    assert exercise.preload == declared
    assert sent_to_worker(exercise) == sent


def test_nothing_is_preloaded_unless_declared():
    exercise = kit.fixture_exercise()  # declares nothing; its code never reads the course data
    assert exercise.preload == [] and sent_to_worker(exercise) == (False, False)


def test_the_shipped_exercises_declare_what_their_set_up_reads():
    for path in sorted(INSTRUCTOR.glob("*.yml")):
        exercise = load_exercise(str(path))
        reads_course = "courseware.frames" in exercise.setup
        assert exercise.preload == (["libraries", "course"] if reads_course else []), path.name


@pytest.mark.parametrize("value", [["pandas"], ["course", "numpy"]])
def test_an_unknown_preload_fails_loading_naming_the_file_and_the_allowed_values(tmp_path, value):
    path = with_preload(tmp_path, value)
    with pytest.raises(ExerciseError) as caught:
        load_exercise(str(path))
    [problem] = caught.value.problems
    assert problem.startswith(f'{path.name}: exercise, field "preload": ')
    assert f"{value[-1]!r} is not something the grader can preload" in problem
    assert all(f"{name} (" in problem for name in PRELOADS)


@pytest.mark.parametrize("value, says", [("course", "give a list"), (["course", "course"], "twice")])
def test_a_malformed_preload_fails_loading(tmp_path, value, says):
    with pytest.raises(ExerciseError, match=f'{kit.FIXTURE.name}: exercise, field "preload": .*{says}'):
        load_exercise(str(with_preload(tmp_path, value)))


def test_the_preload_leaves_the_fingerprint_alone(tmp_path):
    # gradebooks made before the field existed keep matching, so nothing is re-graded for it
    assert fingerprint(load_exercise(str(with_preload(tmp_path, ["libraries"])))) == fingerprint(
        kit.fixture_exercise()
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "declared, seen", [([], [False, 0]), (["libraries"], [True, 0]), (["libraries", "course"], [True, 1])]
)
def test_the_worker_preloads_what_is_declared(tmp_path, declared, seen):
    exercise = load_exercise(str(with_preload(tmp_path, declared)))
    probe = (
        "import sys\n"
        "a = 'pandas' in sys.modules\n"  # nothing in a cell imported it: the worker did, or no one
        "data = sys.modules.get('courseware.data')\n"
        # 1 once the course data is read (`loaded`, not `course`: a quotation being corrected in
        # another file may fail the cross-check, which the worker's preload forgives)
        "b = data.loaded.cache_info().currsize if data else 0\n"
    )
    with sandbox_for(exercise, Limits(cell_timeout=20, notebook_timeout=30), 1) as box:
        [(_, result)] = list(box.run([Job("x", [(1, probe)], ["a", "b"])]))
    assert result.status == "finished", result
    assert [result.answers["a"], result.answers["b"]] == seen
