"""Exercise sources → student notebooks and public checks: `courseware exercises`.

From each `instructor/exercises/<id>.yml` this writes

- `exercises/<id>.ipynb`: the student notebook. Cells, in order: the title and introduction, a setup
  cell, then for every item a prompt, an answer cell with the starter code and a `check("<item id>")`
  cell. Every cell carries `metadata.courseware` (`item` and `role`), so the grader finds answers by
  item id, not by position. No outputs; the same source always gives the same bytes.
- `exercises/checks/<id>.json`: what `check()` may know in the student's notebook: ids, kinds,
  variables, option ids, expected shapes, minimum words, and for practice items only the key and the
  feedback. Never a graded item's key, a hidden test, a rubric or a solution.

`courseware exercises --check` regenerates in memory and names every file that differs.
`solved_notebook(exercise)` is the student notebook with every answer cell replaced by the item's
solution, and a last cell that fails unless every check passes (for tests and the grading benchmark).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode

from .answers import SPEC_FORMAT, PublicItem, PublicSpec
from .command_error import CommandError
from .items import INSTRUCTOR, ROOT, Exercise, ExerciseError, Item, load_exercises

EXERCISES = ROOT / "exercises"  # the generated student notebooks
ITEMS_PER_EXERCISE = (6, 12)
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

# ---- the public spec ------------------------------------------------------------------------------


def public_item(item: Item) -> PublicItem:
    """What a student's `check` may know about one item; keys and feedback for practice items only."""
    return item.public()


def public_spec(exercise: Exercise) -> PublicSpec:
    return exercise.public()


# ---- the notebooks --------------------------------------------------------------------------------


def _meta(role: str, item: str | None = None, exercise: str | None = None, locked: bool = True) -> dict:
    cw: dict = {"role": role}
    if item is not None:
        cw["item"] = item
    if exercise is not None:
        cw["exercise"] = exercise
    meta: dict = {"courseware": cw}
    if locked:  # JupyterLab honours these: the student cannot delete or edit the cell by accident
        meta["deletable"] = False
        meta["editable"] = False
    return meta


def _cell_id(name: str) -> str:
    return name.replace("_", "-")[:64]


def _md(source: str, cell_id: str, meta: dict) -> NotebookNode:
    return nbformat.v4.new_markdown_cell(source.strip() + "\n", id=_cell_id(cell_id), metadata=meta)


def _code(source: str, cell_id: str, meta: dict) -> NotebookNode:
    return nbformat.v4.new_code_cell(source.strip(), id=_cell_id(cell_id), metadata=meta)


def display_order(item: Item) -> list[str]:
    """The order the student sees `left` ids in: sorted by id, never the order of the key."""
    return sorted(item.left)


def how_to_answer(item: Item) -> str:
    """The generated line that says what shape the answer takes, without hinting at the key."""
    v = f"`{item.variable}`"
    if item.kind in ("choice", "attribution"):
        lines = [f'**Answer:** set {v} to one option id, as a string, e.g. `{item.variable} = "<id>"`.']
        lines += [f'- `"{k}"`: {item.options[k]}' for k in sorted(item.options)]
        return "\n".join(lines)
    if item.kind == "ordering":
        lines = [
            f"**Answer:** set {v} to a list of all {len(item.left)} ids below, each once, "
            f'in the order asked, e.g. `{item.variable} = ["<id>", "<id>", ...]`.'
        ]
        lines += [f'- `"{k}"`: {item.left[k]}' for k in display_order(item)]
        return "\n".join(lines)
    if item.kind == "matching":
        lines = [
            f"**Answer:** set {v} to a dict that maps each id on the left to one option id "
            f"(an option may fit more than one, or none), e.g. "
            f'`{item.variable} = {{"<left id>": "<option id>", ...}}`.',
            "",
            "Left:",
        ]
        lines += [f'- `"{k}"`: {item.left[k]}' for k in sorted(item.left)]
        lines += ["", "Options:"]
        lines += [f'- `"{k}"`: {item.options[k]}' for k in sorted(item.options)]
        return "\n".join(lines)
    if item.kind == "number":
        return (
            f"**Answer:** set {v} to a number (an int or a float) that your code computes from "
            "`figures_frame()`, rounded as asked."
        )
    return (
        f"**Answer:** set {v} to a string of at least {item.min_words} words. Use triple quotes "
        f'for several lines: `{item.variable} = """..."""`.'
    )


def prompt_markdown(item: Item, number: int) -> str:
    points = f"{item.points:g} point{'s' if item.points != 1 else ''}"
    status = points if item.graded else "practice, not graded: the check tells you if you are right"
    head = f'<a id="{item.id}"></a>\n### Question {number} · {item.skill} · {status}'
    return f"{head}\n\nItem `{item.id}` ({item.kind}).\n\n{item.prompt.strip()}\n\n{how_to_answer(item)}"


def intro_markdown(exercise: Exercise) -> str:
    graded = [i for i in exercise.items if i.graded]
    practice = len(exercise.items) - len(graded)
    return (
        f"# Exercise: {exercise.title}\n\n{exercise.intro.strip()}\n\n"
        f"**How this works.** Run the setup cell first. Each question has an answer cell: bind the "
        f"named variable to your answer and run the cell, then run the `check(...)` cell below it. "
        f"For the {practice} practice question{'s' if practice != 1 else ''} the check tells you "
        f"whether you are right and why. For the {len(graded)} graded questions "
        f"({exercise.total:g} points) it only tells you whether your answer has the right form: they "
        f"are graded after you hand the notebook in. Keep the variable names as they are. If you "
        f"change an answer, run its cell again: a check after an answer cell that failed, or that "
        f"you changed without running, says so instead of judging the old answer. `check_all()` "
        f"lists what is answered, what is missing, and the points ready of the points possible.\n\n"
        f"**Save and hand in.** Save often (Ctrl+S, or File → Save Notebook). On Binder your work "
        f"lives only as long as the session, which ends after about ten minutes without activity: "
        f"before you leave, download the notebook (File → Download). To hand in, save, put your "
        f'name in the last cell, `hand_in("Your Name")`, and run it. It runs the notebook again '
        f"from the top in a fresh kernel, tells you what is missing or raises an error, and writes "
        f"one file, `hand-in/{exercise.id}-your-name.ipynb`, with a link to download it. Upload "
        f"that file where your instructor asks."
    )


def setup_source(exercise: Exercise) -> str:
    """The setup cell: the checking functions, the start of run recording, then the exercise's own
    setup."""
    return (
        "try:\n"
        "    from courseware.checks import check, check_all, hand_in, start\n"
        "except ModuleNotFoundError:  # a notebook downloaded on its own\n"
        "    raise ModuleNotFoundError(\n"
        '        "This notebook needs the course package: pip install the wheel in the course\'s "\n'
        '        "dist/ folder (pip install courseware-*.whl), then restart the kernel."\n'
        "    ) from None\n\n"
        f'start("{exercise.id}")  # lets check() notice an answer cell that failed or was not re-run\n'
        f"{exercise.setup.strip()}"
    )


HAND_IN = (
    "### Hand in\n\n"
    "Save the notebook first (Ctrl+S), put your name between the quotes, then run the cell.\n"
    "It runs the saved notebook again in a fresh kernel, lists what is missing or raises an error,\n"
    "and writes one file to upload, with a link to download it."
)


def student_notebook(exercise: Exercise) -> NotebookNode:
    """The blank notebook a student opens: prompts, starters and checks, no outputs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        "courseware": {"exercise": exercise.id, "format": SPEC_FORMAT},
    }
    cells = [
        _md(intro_markdown(exercise), "intro", _meta("intro", exercise=exercise.id)),
        _code(setup_source(exercise), "setup", _meta("setup", exercise=exercise.id)),
    ]
    for n, item in enumerate(exercise.items, start=1):
        cells.append(_md(prompt_markdown(item, n), f"{item.id}-prompt", _meta("prompt", item.id)))
        cells.append(_code(item.starter_code, f"{item.id}-answer", _meta("answer", item.id, locked=False)))
        cells.append(_code(f'check("{item.id}")', f"{item.id}-check", _meta("check", item.id)))
    cells.append(_md(HAND_IN, "hand-in-note", _meta("hand-in-note", exercise=exercise.id)))
    cells.append(_code("check_all()", "check-all", _meta("check-all", exercise=exercise.id)))
    cells.append(_code('hand_in("")', "hand-in", _meta("hand-in", exercise=exercise.id, locked=False)))
    nb.cells = cells
    return nb


def solved_notebook(exercise: Exercise) -> NotebookNode:
    """The student notebook with each answer cell replaced by the item's solution, and a last cell
    that raises unless every check reports well-formed (graded) or right (practice)."""
    nb = student_notebook(exercise)
    solutions = {i.id: i.solution for i in exercise.items}
    for cell in nb.cells:
        cw = cell.metadata.get("courseware", {})
        if cw.get("role") == "answer":
            cell.source = solutions[cw["item"]].strip()
    nb.cells.append(
        _code(
            "from courseware.checks import require_all\n\n"
            f'results = require_all("{exercise.id}")  # raises unless every check passes\n'
            'print(f"all {len(results)} checks pass")',
            "all-checks",
            _meta("all-checks", exercise=exercise.id),
        )
    )
    return nb


def dumps_notebook(nb: NotebookNode) -> str:
    nbformat.validate(nb)
    return nbformat.writes(nb, version=4) + "\n"


def dumps_spec(spec: PublicSpec) -> str:
    return spec.dumps()


def render(exercise: Exercise) -> dict[str, str]:
    """The generated files of one exercise: path relative to the repository → text."""
    return {
        f"exercises/{exercise.id}.ipynb": dumps_notebook(student_notebook(exercise)),
        f"exercises/checks/{exercise.id}.json": dumps_spec(public_spec(exercise)),
    }


# ---- course-aware checks of the sources -----------------------------------------------------------


def _contains(haystack: str, needle: str) -> bool:
    from .text import compact

    return all(compact(p) in compact(haystack) for p in _parts(needle))


def _parts(quote: str) -> list[str]:
    from .text import quote_parts

    return quote_parts(quote)


def _lint_item(exercise: Exercise, item: Item, course, where: str) -> list[str]:
    from . import labels
    from .validate import check_quote

    out: list[str] = []
    at = f'{where}: item "{item.id}"'
    if not item.id.startswith(f"{exercise.id}_q"):
        out.append(f'{at}, field "id": must start with "{exercise.id}_q" (the exercise id).')
    if not item.graded:
        wanted = sorted(item.options) if item.kind in ("choice", "attribution") else ["right", "wrong"]
        missing = [k for k in wanted if k not in item.feedback]
        if missing:
            out.append(f'{at}, field "feedback": a practice item needs feedback for {missing}.')
        if item.kind == "written":
            out.append(f'{at}, field "graded": a written item cannot be a practice item.')
    if item.kind == "written" and item.min_words <= 0:
        out.append(f'{at}, field "min_words": give the least number of words a written answer needs.')
    if item.kind == "ordering" and display_order(item) == list(item.key):
        out.append(
            f'{at}, field "left": sorted by id the entries already give the answer. '
            "Rename the ids so that alphabetical order is not the order asked."
        )
    prompt = "\n".join(line.lstrip("> ") for line in item.prompt.splitlines())  # unquote blockquotes
    shown = "\n".join([prompt, *item.left.values(), *item.options.values()])
    for k, q in enumerate(item.quotes):
        problem = check_quote(course, q, f'{at}, field "quotes.{k}"')
        if problem:
            out.append(problem)
        if not _contains(shown, q.text):
            out.append(
                f'{at}, field "quotes.{k}": the quotation is not in the prompt, `left` or `options`. '
                "Quote the same words the student sees."
            )
        if item.kind == "attribution" and labels.is_comment(course, q.source, q.paragraph):
            out.append(
                f'{at}, field "quotes.{k}": paragraph {q.paragraph} of "{q.source}" is a '
                "reader's comment, not the text: do not ask students to attribute it."
            )
    if item.kind == "attribution" and set(item.options) <= set(course.sources):
        if not item.quotes:
            out.append(f'{at}, field "quotes": an attribution item gives the quotation it asks about.')
        for k, q in enumerate(item.quotes):
            if q.source != item.key:
                out.append(f'{at}, field "key": "{item.key}" but quotes.{k} comes from "{q.source}".')
    return out


def lint_exercise(exercise: Exercise, course, where: str) -> list[str]:
    """Problems a schema cannot see: quotes verbatim in their paragraph, practice feedback complete,
    item ids prefixed by the exercise id, an ordering's display order not giving the answer..."""
    out: list[str] = []
    low, high = ITEMS_PER_EXERCISE
    if not low <= len(exercise.items) <= high:
        out.append(
            f'{where}: exercise, field "items": has {len(exercise.items)} items; '
            f"an exercise has {low} to {high}."
        )
    if all(i.graded for i in exercise.items):
        out.append(f'{where}: exercise, field "items": add at least one practice item (graded: false).')
    for item in exercise.items:
        out.extend(_lint_item(exercise, item, course, where))
    return out


def texts_only():
    """A `Course` holding only the sources and their texts: all that quotations are checked against,
    so that a problem in another data file does not stop the exercises from being generated."""
    from .load import DATA
    from .models import Course, Source, SourceText
    from .yamltext import parse as parse_yaml

    problems: list[str] = []
    sources: dict = {}
    texts: dict = {}
    try:
        for raw in parse_yaml((DATA / "sources.yml").read_text(encoding="utf-8")) or []:
            src = Source.model_validate(raw)
            sources[src.id] = src
            path = DATA / "texts" / f"{src.id}.yml"
            texts[src.id] = SourceText.model_validate(parse_yaml(path.read_text(encoding="utf-8")))
    except Exception as e:  # any unreadable text is reported with its cause
        problems.append(f"the texts cannot be read, so quotations cannot be checked: {e}")
    if problems:
        raise ExerciseError(problems)
    return Course(
        readings={},
        sources=sources,
        texts=texts,
        themes={},
        figures=[],
        events=[],
        turning_points=[],
        glossary={},
        bibliography={},
        root=DATA,
    )


def load_checked(source: Path = INSTRUCTOR) -> list[Exercise]:
    """Load every source and run `lint_exercise` on it; raise `ExerciseError` listing every problem."""
    exercises = load_exercises(source)
    course = texts_only()
    problems: list[str] = []
    for ex in exercises:
        problems.extend(lint_exercise(ex, course, f"instructor/exercises/{ex.id}.yml"))
    if problems:
        raise ExerciseError(problems)
    return exercises


# ---- the command ----------------------------------------------------------------------------------


def generated_files(exercises: list[Exercise]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ex in exercises:
        out.update(render(ex))
    return out


def drifted(expected: dict[str, str], root: Path) -> list[str]:
    """Relative paths under `root` that differ from `expected`, are missing, or have no source."""
    bad = []
    for rel, text in expected.items():
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            bad.append(rel)
    present = [*(root / "exercises").glob("*.ipynb"), *(root / "exercises" / "checks").glob("*.json")]
    bad += sorted(str(p.relative_to(root)) for p in present if str(p.relative_to(root)) not in expected)
    return bad


def generate_exercises(*, check: bool = False, source: Path = INSTRUCTOR, root: Path = ROOT) -> None:
    """`courseware exercises`: write every notebook and check spec under `root` from the sources in
    `source`, and remove those without a source; with `check`, write nothing and raise naming every
    file that differs. Raises `CommandError` on invalid or missing sources."""
    try:
        exercises = load_checked(source)
    except ExerciseError as e:
        raise CommandError(str(e), bare=True) from None
    if not exercises:
        raise CommandError(f"no sources in {source}. Add <id>.yml files there.")
    expected = generated_files(exercises)
    if check:
        bad = drifted(expected, root)
        if bad:
            raise CommandError(
                "\n".join(
                    f"{rel}: differs from its source in instructor/exercises (or has none). "
                    "Run `courseware exercises` to regenerate."
                    for rel in bad
                ),
                bare=True,
            )
        print(f"ok: {len(expected)} generated files match their {len(exercises)} sources.")
        return
    for rel, text in expected.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    stale = [p for p in drifted(expected, root) if p not in expected]
    for rel in stale:
        (root / rel).unlink()
    items = sum(len(e.items) for e in exercises)
    print(
        f"wrote {len(exercises)} notebooks and {len(exercises)} check specs ({items} items) "
        f"into exercises/{'; removed ' + ', '.join(stale) if stale else ''}."
    )
