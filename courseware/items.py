"""Exercises and their items: the one source of truth each exercise is written in.

An exercise is a YAML file in `instructor/exercises/<id>.yml`. It holds everything: prompts, starter
code, solutions, keys, hidden tests and rubrics. Student notebooks, the public checks and the
answer key are all generated from it (`courseware.authoring`); only the public parts leave the
instructor's side.

Every answer is a plain value bound to a named variable in the student's notebook (`variable`), so
that it can be carried out of a sandbox as JSON and judged as data. The shape of an answer, by kind:

- ``choice``, ``attribution``: a string, one of the ids in ``options``;
- ``ordering``: a list of every id in ``left``, each once, in the asked order;
- ``matching``: a dict mapping every id in ``left`` to an id in ``options`` (options may repeat);
- ``number``: an int or float (a numpy number is accepted; a bool is not);
- ``written``: a string of at least ``min_words`` words, graded by ``rubric``.

>>> Item(id="demo_q1", kind="choice", skill="sourcing", points=1, prompt="?", variable="q1",
...      options={"a": "A", "b": "B"}, solution="q1 = 'a'  # demo", key="a").public_kind
'option'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .answers import PublicItem, PublicSpec
from .models import Quote
from .paths import ROOT
from .yamltext import parse as parse_yaml

INSTRUCTOR = ROOT / "instructor" / "exercises"  # the sources of truth, one YAML file per exercise

Skill = Literal["sourcing", "contextualisation", "corroboration", "close-reading"]
Kind = Literal["choice", "attribution", "ordering", "matching", "number", "written"]
Preload = Literal["libraries", "course"]
# what the grading sandbox may prepare once, before it forks a child per notebook, so no child pays
PRELOADS: dict[str, str] = {
    "libraries": "import numpy, pandas and matplotlib",
    "course": "read the course data, with the libraries that needs",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RubricCriterion(Strict):
    id: str
    points: float = Field(gt=0)
    text: str  # what earns the points, as the grader reads it


class Item(Strict):
    """One question. Its `id` (e.g. "soviets_q3") is its MyST label, `check` key, key entry,
    gradebook row and CSV column."""

    id: str = Field(pattern=r"^[a-z0-9-]+_q\d+$")
    kind: Kind
    skill: Skill
    points: float = Field(ge=0)
    graded: bool = True  # False: a practice item, whose check gives full feedback
    prompt: str  # Markdown shown to the student
    variable: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")  # the answer's name in the notebook
    options: dict[str, str] = {}  # choice/attribution: option id → text; matching: right-hand side
    left: dict[str, str] = {}  # matching: left-hand keys → text; ordering: item id → text
    starter: str = ""  # code the student starts from; default "<variable> = None"
    solution: str  # code that binds `variable` to a full-marks answer (instructor side only)
    key: Any = None  # the right answer as data; None for written items
    tolerance: float = 0.0  # number: absolute tolerance
    feedback: dict[str, str] = {}  # practice items: option id (or "right"/"wrong") → feedback text
    rubric: list[RubricCriterion] = []  # written items
    min_words: int = 0  # written items: the public check asks for at least this many words
    hidden_tests: list[str] = []  # Python expressions over `answer`, judged in the grader only
    quotes: list[Quote] = []  # verbatim passages the prompt (or `left`) quotes, with their paragraph
    explanation: str = ""  # instructor side: why the key is right, with paragraph references

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        if self.kind == "written":
            if not self.rubric:
                raise ValueError("rubric: a written item needs a rubric")
            if abs(sum(c.points for c in self.rubric) - self.points) > 1e-9:
                raise ValueError("rubric: a written item's rubric points must add up to its points")
        elif self.key is None:
            raise ValueError(f"key: a {self.kind} item needs a key")
        if self.kind in ("choice", "attribution") and self.key not in self.options:
            raise ValueError(f"key: {self.key!r} is not one of the options {sorted(self.options)}")
        if self.kind == "ordering" and (
            not isinstance(self.key, list) or sorted(self.key) != sorted(self.left)
        ):
            raise ValueError("key: an ordering key must list every id in `left` once")
        if self.kind == "matching":
            if not isinstance(self.key, dict) or set(self.key) != set(self.left):
                raise ValueError("key: a matching key must map every id in `left`")
            stray = sorted(str(v) for v in self.key.values() if v not in self.options)
            if stray:
                raise ValueError(f"key: {stray} are not ids in `options` {sorted(self.options)}")
        if self.kind == "number" and (isinstance(self.key, bool) or not isinstance(self.key, int | float)):
            raise ValueError(f"key: a number item's key must be a number, not {self.key!r}")
        return self

    @property
    def public_kind(self) -> str:
        """The answer's shape as the public check names it: option, ordering, matching, number, text."""
        return {"choice": "option", "attribution": "option", "written": "text"}.get(self.kind, self.kind)

    @property
    def starter_code(self) -> str:
        return self.starter or f"{self.variable} = None"

    def public(self) -> PublicItem:
        """What a student's `check` may know about this item: shape, ids and, for a practice item
        only, its key and feedback."""
        practice = not self.graded
        return PublicItem(
            id=self.id,
            kind=self.kind,
            shape=self.public_kind,  # type: ignore[arg-type]
            variable=self.variable,
            graded=self.graded,
            points=self.points,
            skill=self.skill,
            options=sorted(self.options) if self.kind in ("choice", "attribution", "matching") else None,
            left=sorted(self.left) if self.kind in ("ordering", "matching") else None,
            min_words=self.min_words if self.kind == "written" else None,
            key=self.key if practice else None,
            feedback=dict(self.feedback) if practice else None,
            tolerance=self.tolerance if practice and self.kind == "number" else None,
        )


class Exercise(Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    theme: str  # the theme id in data/themes/
    intro: str  # Markdown at the top of the notebook
    setup: str = "from courseware import check"  # first code cell
    items: list[Item] = Field(min_length=1)
    # graded points that mechanical look-ups in the student edition may answer (`courseware.leaks`);
    # the release refuses an edition whose look-ups answer more
    lookup_allowance: float = Field(default=0.0, ge=0)
    # what the grader's sandbox prepares before running any notebook (`PRELOADS`); grading only:
    # it reaches neither the student notebook nor the public check
    preload: list[Preload] = []

    @field_validator("preload", mode="before")
    @classmethod
    def _known_preloads(cls, value: Any) -> Any:
        allowed = "; ".join(f"{k} ({v})" for k, v in PRELOADS.items())
        if not isinstance(value, list):
            raise ValueError(f"give a list of what to preload, e.g. [libraries, course]; allowed: {allowed}")
        unknown = [v for v in value if v not in PRELOADS]
        if unknown:
            raise ValueError(
                f"{', '.join(repr(v) for v in unknown)} is not something the grader can preload; "
                f"allowed: {allowed}. Correct it or remove it"
            )
        if len(set(value)) != len(value):
            raise ValueError("lists a value twice. Remove the repeat")
        return value

    @model_validator(mode="after")
    def _unique(self) -> Exercise:
        ids = [i.id for i in self.items]
        names = [i.variable for i in self.items]
        if len(set(ids)) != len(ids) or len(set(names)) != len(names):
            raise ValueError("items: item ids and variables must be unique within an exercise")
        return self

    @property
    def total(self) -> float:
        return sum(i.points for i in self.items if i.graded)

    def public(self) -> PublicSpec:
        """The public spec written to `exercises/checks/<id>.json`."""
        return PublicSpec(exercise=self.id, title=self.title, items=[i.public() for i in self.items])

    def item(self, item_id: str) -> Item:
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(item_id)


# ---- reading the sources ------------------------------------------------------------------------


@dataclass
class ExerciseError(Exception):
    """One or more exercise sources are invalid. `problems` holds one line per problem, each naming
    the file, the item and the field."""

    problems: list[str]

    def __str__(self) -> str:
        return f"{len(self.problems)} problem(s) in the exercises:\n" + "\n".join(
            f"  - {p}" for p in self.problems
        )


_FIELDS = set(Item.model_fields) | set(Exercise.model_fields)


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return path.name


def _describe(err: dict, raw: Any, where: str) -> str:
    """One pydantic error → 'file: item "id", field "name": message'."""
    loc = list(err["loc"])
    msg = str(err["msg"]).removeprefix("Value error, ")
    record = "exercise"
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
        items = raw.get("items") if isinstance(raw, dict) else None
        one = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        name = one.get("id") if isinstance(one, dict) else None
        record = f'item "{name}"' if name else f"item #{loc[1] + 1}"
        loc = loc[2:]
    field = ".".join(str(x) for x in loc)
    head, sep, rest = msg.partition(": ")
    if not field and sep and head in _FIELDS:  # a cross-field rule names its field first
        field, msg = head, rest
    if err.get("type") == "extra_forbidden":
        msg = "is not a known field. Correct the spelling or remove it"
    return f'{where}: {record}, field "{field or "(record)"}": {msg}.'


def parse_exercise(raw: Any, where: str) -> Exercise:
    """A parsed YAML document → `Exercise`, or `ExerciseError` naming `where`, item and field."""
    if not isinstance(raw, dict):
        raise ExerciseError([f"{where}: expected a mapping with id, title, theme, intro and items."])
    try:
        return Exercise.model_validate(raw)
    except ValidationError as e:
        raise ExerciseError([_describe(err, raw, where) for err in e.errors()]) from None


def load_exercise(path: Path) -> Exercise:
    """Read one exercise source, `instructor/exercises/<id>.yml`."""
    where = _rel(path)
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExerciseError([f"{where}: file is missing."]) from None
    except UnicodeDecodeError:
        raise ExerciseError([f"{where}: is not UTF-8 text. Save it as UTF-8."]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise ExerciseError([f"{where}:{line} is not valid YAML ({getattr(e, 'problem', e)})."]) from None
    exercise = parse_exercise(raw, where)
    if exercise.id != path.stem:
        raise ExerciseError(
            [
                f'{where}: exercise, field "id": "{exercise.id}" differs from the file '
                f"name. Rename the file to {exercise.id}.yml or correct the id."
            ]
        )
    return exercise


def load_exercises(folder: Path = INSTRUCTOR) -> list[Exercise]:
    """Every exercise source in `folder`, sorted by file name; every problem reported at once."""
    problems: list[str] = []
    out: list[Exercise] = []
    for path in sorted(folder.glob("*.yml")):
        try:
            out.append(load_exercise(path))
        except ExerciseError as e:
            problems.extend(e.problems)
    if problems:
        raise ExerciseError(problems)
    return out
