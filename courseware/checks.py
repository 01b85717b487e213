"""`check("soviets_q3")`: immediate feedback in the student's notebook.

The answer is read from IPython's user namespace (`get_ipython().user_ns`), never from stack frames.
The item's public spec (`exercises/checks/<exercise>.json`, written by `courseware exercises`) says
what shape the answer takes. For a graded item the check says only whether the answer is present and
well-formed: it knows no key. For a practice item it says whether the answer is right, and why.

>>> check("soviets_q1", namespace={}).status
'missing'
"""

from __future__ import annotations

import html
import json
import math
import numbers
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Status = Literal["missing", "malformed", "ready", "right", "wrong", "unknown", "error"]

_ITEM_ID = re.compile(r"^(?P<exercise>[a-z0-9-]+)_q\d+$")
_MISSING = object()
_SYMBOL = {"ready": "✓", "right": "✓", "wrong": "✗", "missing": "…", "malformed": "!",
           "unknown": "?", "error": "!"}
_COLOUR = {"ready": "#1a7f37", "right": "#1a7f37", "wrong": "#b42318", "missing": "#6e5d00",
           "malformed": "#b42318", "unknown": "#b42318", "error": "#b42318"}


@dataclass(frozen=True, repr=False)
class CheckResult:
    """What `check` found. `ok` is True when the answer is well-formed (graded) or right (practice)."""

    item: str
    status: Status
    message: str
    detail: str = ""
    graded: bool = True

    @property
    def ok(self) -> bool:
        return self.status in ("ready", "right")

    def __str__(self) -> str:
        text = f"{_SYMBOL[self.status]} {self.item}: {self.message}"
        return f"{text}\n  {self.detail}" if self.detail else text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = _COLOUR[self.status]
        detail = f"<br><span>{html.escape(self.detail)}</span>" if self.detail else ""
        return (f'<div class="courseware-check courseware-check-{self.status}" '
                f'style="border-left:4px solid {colour};padding:0.3em 0.8em;margin:0.3em 0">'
                f"<strong>{_SYMBOL[self.status]} {html.escape(self.item)}</strong>: "
                f"{html.escape(self.message)}{detail}</div>")


# ---- finding the public specs ---------------------------------------------------------------------


def spec_dirs() -> list[Path]:
    """Where specs are looked for, in order: $COURSEWARE_CHECKS, next to the package (a clone or the
    student edition), then relative to the working directory (a notebook in exercises/)."""
    dirs = []
    if os.environ.get("COURSEWARE_CHECKS"):
        dirs.append(Path(os.environ["COURSEWARE_CHECKS"]))
    dirs.append(Path(__file__).resolve().parent.parent / "exercises" / "checks")
    cwd = Path.cwd()
    dirs += [cwd / "checks", cwd / "exercises" / "checks"]
    return dirs


def load_spec(exercise_id: str) -> dict | None:
    for folder in spec_dirs():
        path = folder / f"{exercise_id}.json"
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    return None


def _known_exercises() -> list[str]:
    return sorted({p.stem for d in spec_dirs() if d.is_dir() for p in d.glob("*.json")})


# ---- judging the shape of an answer ---------------------------------------------------------------


def _ids(values) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _type(value: Any) -> str:
    return type(value).__name__


def _as_str(value: Any) -> str | None:
    return str.__str__(value) if isinstance(value, str) else None


def _option(value: Any, spec: dict) -> tuple[str | None, str]:
    """(answer as plain data, problem); problem is "" when the answer is well-formed."""
    options = spec["options"]
    text = _as_str(value)
    if text is None:
        return None, f"Expected a string, one of the option ids: {_ids(options)}. Got a {_type(value)}."
    if text not in options:
        typed = text.strip().strip("\"'").lower()
        near = [o for o in options if typed and (o.lower() == typed or o.startswith(typed))]
        hint = f' Did you mean "{near[0]}"?' if near else ""
        return None, f'"{text}" is not an option id. Use one of: {_ids(options)}.{hint}'
    return text, ""


def _ordering(value: Any, spec: dict) -> tuple[list[str] | None, str]:
    ids = spec["left"]
    if not isinstance(value, list | tuple):
        return None, f"Expected a list of ids, each once: {_ids(ids)}. Got a {_type(value)}."
    strs = [_as_str(v) for v in value]
    if any(s is None for s in strs):
        return None, "Every entry of the list must be an id in quotes, a string."
    problems = []
    unknown = [s for s in strs if s not in ids]
    if unknown:
        problems.append(f"not ids here: {_ids(unknown)}")
    twice = sorted({s for s in strs if strs.count(s) > 1})
    if twice:
        problems.append(f"listed more than once: {_ids(twice)}")
    missing = [i for i in ids if i not in strs]
    if missing:
        problems.append(f"missing: {_ids(missing)}")
    if problems:
        return None, "Your list must hold every id exactly once; " + "; ".join(problems) + "."
    return strs, ""


def _matching(value: Any, spec: dict) -> tuple[dict[str, str] | None, str]:
    left, options = spec["left"], spec["options"]
    if not isinstance(value, dict):
        return None, (f"Expected a dict mapping each of {_ids(left)} to an option id. "
                      f"Got a {_type(value)}.")
    pairs = {_as_str(k): _as_str(v) for k, v in value.items()}
    problems = []
    missing = [k for k in left if k not in pairs]
    if missing:
        problems.append(f"no match given for {_ids(missing)}")
    extra = [k for k in pairs if k not in left]
    if extra:
        problems.append(f"not left-hand ids: {_ids(str(k) for k in extra)}")
    bad = [f"{k} → {v!r}" for k, v in pairs.items() if k in left and v not in options]
    if bad:
        problems.append(f"not option ids: {', '.join(bad)} (options: {_ids(options)})")
    if problems:
        said = "; ".join(problems)
        return None, said[0].upper() + said[1:] + "."
    return {k: v for k, v in pairs.items() if k is not None and v is not None}, ""


def _number(value: Any, spec: dict) -> tuple[float | None, str]:
    if not isinstance(value, numbers.Real) and hasattr(value, "shape") and hasattr(value, "item"):
        # a pandas or numpy container, not a numpy scalar
        size = getattr(value, "size", None)
        if size == 1:
            return None, ("Your answer is a table or array holding one value: take the number out "
                          "of it with `.item()`.")
        return None, (f"Expected one number; got a {_type(value)} with {size} values. "
                      "Check your filter: it should select what the question asks for.")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None, f"Expected a number (an int or a float). Got a {_type(value)}."
    number = float(value)
    if not math.isfinite(number):
        return None, ("Your number is not finite (NaN or infinity): perhaps your filter selected "
                      "no rows, or you divided by zero.")
    return number, ""


def _text(value: Any, spec: dict) -> tuple[str | None, str]:
    text = _as_str(value)
    if text is None:
        return None, f"Expected a string of at least {spec['min_words']} words. Got a {_type(value)}."
    words = len(text.split())
    if words < spec["min_words"]:
        return None, (f"Your answer has {words} word{'s' if words != 1 else ''}; write at least "
                      f"{spec['min_words']}.")
    return text, ""


_SHAPES = {"option": _option, "ordering": _ordering, "matching": _matching, "number": _number,
           "text": _text}


# ---- practice items: right or wrong, and why ------------------------------------------------------


def _practice(item_id: str, answer: Any, spec: dict) -> CheckResult:
    key, feedback, shape = spec["key"], spec.get("feedback", {}), spec["shape"]
    if shape == "number":
        right = abs(answer - float(key)) <= float(spec.get("tolerance", 0.0)) + 1e-9
    else:
        right = answer == key
    if right:
        why = feedback.get(answer) if shape == "option" else None
        return CheckResult(item_id, "right", "Right.", why or feedback.get("right", ""), graded=False)
    if shape == "option":
        why = feedback.get(answer) or feedback.get("wrong", "")
    elif shape == "matching":
        wrong = [k for k in spec["left"] if answer.get(k) != key.get(k)]
        notes = [f"{k}: {feedback[k]}" for k in wrong if k in feedback]
        why = " ".join([f"{len(wrong)} of {len(key)} matches are not right.", *notes,
                        feedback.get("wrong", "")]).strip()
    else:
        why = feedback.get("wrong", "")
    return CheckResult(item_id, "wrong", "Not right yet: try again.", why, graded=False)


# ---- the entry point ------------------------------------------------------------------------------


def _user_namespace() -> dict | None:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return None if shell is None else shell.user_ns


def check(item_id: str, namespace: dict | None = None) -> CheckResult:
    """Check the answer to `item_id` in the notebook, e.g. `check("soviets_q3")`.

    `namespace` replaces the notebook's namespace (for scripts and tests)."""
    m = _ITEM_ID.match(item_id) if isinstance(item_id, str) else None
    if m is None:
        return CheckResult(str(item_id), "unknown",
                           'An item id looks like "soviets_q3": the exercise, "_q" and a number. '
                           "Copy it from the question's heading.")
    exercise = m["exercise"]
    spec = load_spec(exercise)
    if spec is None:
        known = _known_exercises()
        return CheckResult(item_id, "unknown", f'There is no exercise "{exercise}".',
                           f"Known exercises: {', '.join(known)}." if known else
                           "No check specs were found: open this notebook from the course's "
                           "exercises/ folder.")
    items = {i["id"]: i for i in spec["items"]}
    if item_id not in items:
        return CheckResult(item_id, "unknown", f'Exercise "{exercise}" has no item "{item_id}".',
                           f"Valid ids: {', '.join(items)}.")
    item = items[item_id]
    ns = namespace if namespace is not None else _user_namespace()
    if ns is None:
        return CheckResult(item_id, "error", "check() reads your answers from the notebook: run it "
                           "in Jupyter, after the answer cell.", graded=item["graded"])
    value = ns.get(item["variable"], _MISSING)
    if value is _MISSING or value is None or (isinstance(value, str) and not value.strip()):
        return CheckResult(item_id, "missing", f"No answer yet. Set `{item['variable']}` in the cell "
                           "above, run that cell, then run this check again.", graded=item["graded"])
    answer, problem = _SHAPES[item["shape"]](value, item)
    if problem:
        return CheckResult(item_id, "malformed", "Your answer does not have the expected form.",
                           problem, graded=item["graded"])
    if item["graded"]:
        return CheckResult(item_id, "ready", "Well-formed; it will be graded later.")
    return _practice(item_id, answer, item)


def check_all(exercise_id: str, namespace: dict | None = None) -> list[CheckResult]:
    """`check` every item of an exercise, in order."""
    spec = load_spec(exercise_id)
    if spec is None:
        return [check(f"{exercise_id}_q0", namespace)]
    return [check(i["id"], namespace) for i in spec["items"]]


def require_all(exercise_id: str, namespace: dict | None = None) -> list[CheckResult]:
    """Raise AssertionError unless every item is well-formed (graded) or right (practice)."""
    results = check_all(exercise_id, namespace)
    failed = [r for r in results if not r.ok]
    if failed:
        raise AssertionError(f"{len(failed)} of {len(results)} checks did not pass:\n"
                             + "\n".join(str(r) for r in failed))
    return results
