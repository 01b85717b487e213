"""The one rule set for the shape of an answer, shared by the student's `check` and the grader's `judge`.

An answer is first made plain data by `plain` (the same conversion the grading sandbox applies before
an answer leaves the student's notebook), then `shape_answer` normalises and validates it against
the item's public spec. `check` and `judge` both call these two functions, so an answer the check
calls well-formed is never judged malformed, and the reverse.

Rules, by shape:

- ``option``: a string; spaces around it and case are ignored (``" B "`` is option ``"b"``).
- ``ordering``: a list (or tuple) of strings, every id once; each id read as an option is.
- ``matching``: a dict from left-hand ids to option ids, both strings read as an option is. A value
  that is not an option id is malformed. Left-hand ids left out (they score nothing) and keys that
  are not left-hand ids (ignored) are allowed and named in a note, so partial answers keep partial
  credit and the check still points at a mistyped key.
- ``number``: an int or a float, finite, not a bool and not text; a numpy number counts.
- ``text``: a string of at least ``min_words`` words.

A blank answer (unset, ``None``, or a string of spaces) is missing, not malformed.

>>> item = PublicItem(id="demo_q1", kind="choice", shape="option", variable="q1", graded=True,
...                   points=1, skill="sourcing", options=["a", "b"])
>>> shape_answer(item, " B ").value, shape_answer(item, "c").ok
('b', False)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Shape = Literal["option", "ordering", "matching", "number", "text"]
SPEC_FORMAT = 1
MALFORMED = "Not in the expected form: "  # how the judge's detail starts for a malformed answer


# ---- the public spec: what a student's check may know -----------------------------------------------


class PublicItem(BaseModel):
    """One item as the student's check sees it. `key`, `feedback` and `tolerance` are set for
    practice items only: a graded item's key never leaves the instructor's side."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: str
    shape: Shape
    variable: str
    graded: bool
    points: float
    skill: str
    options: list[str] | None = None
    left: list[str] | None = None
    min_words: int | None = None
    key: Any = None
    feedback: dict[str, str] | None = None
    tolerance: float | None = None


class PublicSpec(BaseModel):
    """`exercises/checks/<exercise>.json`: every item of one exercise, as its check sees it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: int = SPEC_FORMAT
    exercise: str
    title: str
    items: list[PublicItem]

    def item(self, item_id: str) -> PublicItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def dumps(self) -> str:
        """The spec as the JSON file holds it (stable bytes: same spec, same text)."""
        import json

        return json.dumps(self.model_dump(exclude_none=True), indent=1, ensure_ascii=False) + "\n"


# ---- plain data --------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A value from the notebook → the plain data the grader receives for it (see the sandbox's
    `to_plain`): exact built-in types pass, numpy and pandas values become their data, anything else a
    marker saying what it was."""
    from .grading.worker import to_plain

    return to_plain(value)


def is_blank(value: Any) -> bool:
    """No answer yet: unset (None) or a string of nothing but spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def unreadable(value: Any) -> str | None:
    """Why plain data holds something that is not an answer at all (an object the sandbox could not
    carry, or one too large); None when it is readable."""
    if isinstance(value, dict):
        if "__unsupported__" in value:
            return f"it is a `{value['__unsupported__']}` object, not text, a number, a list or a dict"
        if "__too_large__" in value:
            return f"it is too large ({value['__too_large__']})"
        found = (unreadable(v) for v in value.values())
    elif isinstance(value, list):
        found = (unreadable(v) for v in value)
    else:
        return None
    return next((r for r in found if r), None)


# ---- the rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shaped:
    """The result of `shape_answer`: the normalised answer, or why it is malformed. `note` says what a
    well-formed answer leaves out (a matching answer without every left-hand id)."""

    value: Any = None
    problem: str = ""
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def _ids(values: Any) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _type(value: Any) -> str:
    if isinstance(value, dict) and "__series__" in value:
        return "pandas Series"
    if isinstance(value, dict) and "__dataframe__" in value:
        return "pandas DataFrame"
    return {"str": "string", "bool": "bool", "NoneType": "None"}.get(
        type(value).__name__, type(value).__name__
    )


def _a_type(value: Any) -> str:
    """The type's name with its article: "an int", "a string", "None"."""
    name = _type(value)
    if name == "None":
        return name
    return ("an " if name[0].lower() in "aeiou" else "a ") + name


def _near(typed: str, options: list[str]) -> str | None:
    """The option `typed` was probably meant to be: a prefix of at least three letters, or a close
    spelling (difflib ratio 0.8 or more). One letter or a short fragment suggests nothing."""
    import difflib

    if len(typed) < 3:
        return None
    prefixed = [o for o in options if o.lower().startswith(typed)]
    if len(prefixed) == 1:
        return prefixed[0]
    close = difflib.get_close_matches(typed, [o.lower() for o in options], n=1, cutoff=0.8)
    return next((o for o in options if close and o.lower() == close[0]), None)


def _canon(text: str, ids: list[str]) -> str | None:
    """`text` read as one of `ids`: spaces around it and case do not count."""
    t = text.strip().lower()
    return next((i for i in ids if i.lower() == t), None)


def _option(value: Any, item: PublicItem) -> Shaped:
    options = item.options or []
    if not isinstance(value, str):
        return Shaped(
            problem=f"Expected a string, one of the option ids: {_ids(options)}. Got {_a_type(value)}."
        )
    found = _canon(value, options)
    if found is None:
        typed = value.strip().strip("\"'").lower()
        near = _near(typed, options)
        hint = f' Did you mean "{near}"?' if near else ""
        return Shaped(problem=f'"{value}" is not an option id. Use one of: {_ids(options)}.{hint}')
    return Shaped(found)


def _ordering(value: Any, item: PublicItem) -> Shaped:
    ids = item.left or []
    if not isinstance(value, list):  # a tuple arrives as a list
        return Shaped(problem=f"Expected a list of ids, each once: {_ids(ids)}. Got {_a_type(value)}.")
    if not all(isinstance(v, str) for v in value):
        return Shaped(problem="Every entry of the list must be an id in quotes, a string.")
    read = [_canon(v, ids) for v in value]
    problems = []
    unknown = [v for v, r in zip(value, read, strict=True) if r is None]
    if unknown:
        problems.append(f"not ids here: {_ids(unknown)}")
    known = [r for r in read if r is not None]
    twice = sorted({r for r in known if known.count(r) > 1})
    if twice:
        problems.append(f"listed more than once: {_ids(twice)}")
    missing = [i for i in ids if i not in known]
    if missing:
        problems.append(f"missing: {_ids(missing)}")
    if problems:
        return Shaped(problem="Your list must hold every id exactly once; " + "; ".join(problems) + ".")
    return Shaped(known)


def _matching(value: Any, item: PublicItem) -> Shaped:
    left, options = item.left or [], item.options or []
    if not isinstance(value, dict) or "__series__" in value or "__dataframe__" in value:
        return Shaped(
            problem=f"Expected a dict mapping each of {_ids(left)} to an option id. Got {_a_type(value)}."
        )
    problems = []
    out: dict[str, str] = {}
    ignored = []
    for k, v in value.items():
        key = _canon(k, left) if isinstance(k, str) else None
        if key is None:
            ignored.append(str(k))
            continue
        chosen = _canon(v, options) if isinstance(v, str) else None
        if chosen is None:
            problems.append(f"not an option id: {key} → {v!r}")
        elif key in out:
            problems.append(f"given twice: {key}")
        else:
            out[key] = chosen
    if not out and not problems:  # nothing usable at all
        problems.append(f"no match given; map each of {_ids(left)} to an option id")
    if problems:
        said = "; ".join(problems) + f" (left: {_ids(left)}; options: {_ids(options)})."
        return Shaped(problem=said[0].upper() + said[1:])
    missing = [k for k in left if k not in out]
    notes = [
        f"No match given for {_ids(missing)}: a left-hand id left out scores nothing." if missing else "",
        f"Not left-hand ids, so ignored: {_ids(ignored)}." if ignored else "",
    ]
    return Shaped(out, note=" ".join(n for n in notes if n))


def _number(value: Any, item: PublicItem) -> Shaped:
    if isinstance(value, dict) and ("__series__" in value or "__dataframe__" in value):
        data = value.get("__series__", value.get("__dataframe__", {})).get("data", [])
        size = len(data) if isinstance(data, list) else 0
        if size == 1:
            return Shaped(
                problem="Your answer is a table holding one value: take the number out of it with `.item()`."
            )
        return Shaped(
            problem=f"Expected one number; got a {_type(value)} with {size} values. Check "
            "your filter: it should select what the question asks for."
        )
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], int | float):
        return Shaped(
            problem="Your answer is a list or array holding one value: take the number out "
            "of it (`[0]` or `.item()`)."
        )
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Shaped(problem=f"Expected a number (an int or a float). Got {_a_type(value)}.")
    number = float(value)
    if not math.isfinite(number):
        return Shaped(
            problem="Your number is not finite (NaN or infinity): perhaps your filter "
            "selected no rows, or you divided by zero."
        )
    return Shaped(number)


def _text(value: Any, item: PublicItem) -> Shaped:
    least = item.min_words or 0
    if not isinstance(value, str):
        return Shaped(problem=f"Expected a string of at least {least} words. Got {_a_type(value)}.")
    words = len(value.split())
    if words < least:
        return Shaped(
            problem=f"Your answer has {words} word{'s' if words != 1 else ''}; write at least {least}."
        )
    return Shaped(value)


_RULES = {"option": _option, "ordering": _ordering, "matching": _matching, "number": _number, "text": _text}


def shape_answer(item: PublicItem, value: Any) -> Shaped:
    """Normalise and validate one answer, already plain data (`plain`) and not blank (`is_blank`)."""
    bad = unreadable(value)
    if bad:
        return Shaped(problem=f"The answer could not be read as plain data: {bad}.")
    return _RULES[item.shape](value, item)
