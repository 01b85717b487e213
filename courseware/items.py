"""Exercises and their items: the one source of truth each exercise is written in.

An exercise is a YAML file in `instructor/exercises/<id>.yml`. It holds everything: prompts, starter
code, solutions, keys, hidden tests and rubrics. Student notebooks, the public checks and the
answer key are all generated from it (`courseware.authoring`); only the public parts leave the
instructor's side.

Every answer is a plain value bound to a named variable in the student's notebook (`variable`), so
that it can be carried out of a sandbox as JSON and judged as data.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Skill = Literal["sourcing", "contextualisation", "corroboration", "close-reading"]
Kind = Literal["choice", "attribution", "ordering", "matching", "number", "written"]


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
    feedback: dict[str, str] = {}  # practice items: option id (or "wrong") → feedback text
    rubric: list[RubricCriterion] = []  # written items
    min_words: int = 0  # written items: the public check asks for at least this many words
    hidden_tests: list[str] = []  # Python expressions over `answer`, judged in the grader only

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        if self.kind == "written":
            if not self.rubric:
                raise ValueError("a written item needs a rubric")
            if abs(sum(c.points for c in self.rubric) - self.points) > 1e-9:
                raise ValueError("a written item's rubric points must add up to its points")
        elif self.key is None:
            raise ValueError(f"a {self.kind} item needs a key")
        if self.kind in ("choice", "attribution") and self.key not in self.options:
            raise ValueError(f"key {self.key!r} is not one of the options {sorted(self.options)}")
        if self.kind == "ordering" and sorted(self.key) != sorted(self.left):
            raise ValueError("an ordering key must list every id in `left` once")
        if self.kind == "matching" and set(self.key) != set(self.left):
            raise ValueError("a matching key must map every id in `left`")
        return self


class Exercise(Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    theme: str  # the theme id in data/themes/
    intro: str  # Markdown at the top of the notebook
    setup: str = "from courseware import check"  # first code cell
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Exercise:
        ids = [i.id for i in self.items]
        names = [i.variable for i in self.items]
        if len(set(ids)) != len(ids) or len(set(names)) != len(names):
            raise ValueError("item ids and variables must be unique within an exercise")
        return self

    @property
    def total(self) -> float:
        return sum(i.points for i in self.items if i.graded)
