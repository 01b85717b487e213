"""Data files → a `Course`. Every problem in every file is collected before one error is raised.

Parsing only: `validate` cross-checks a `Course`, and `courseware.data` is the one place that does
both and keeps the result for the process."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .models import (
    Course,
    DataError,
    Event,
    Figure,
    GlossaryEntry,
    ParagraphCitations,
    Reading,
    Reference,
    Source,
    SourceText,
    Theme,
    Topic,
    TurningPoint,
)
from .paths import PACKAGE, ROOT
from .yamltext import parse as parse_yaml

# A clone or the student edition has data/ beside the package; the course's wheel carries its own
# copy inside the package (`courseware/public/data`), for a notebook downloaded on its own.
_PACKAGED = PACKAGE / "public" / "data"
DATA = ROOT / "data" if (ROOT / "data" / "sources.yml").is_file() else _PACKAGED

M = TypeVar("M", bound=BaseModel)


def _rel(path: Path) -> str:
    """The path as messages show it: from the data folder's parent, e.g. "data/sources.yml"."""
    for parent in path.parents:
        if (parent / "sources.yml").exists():
            return str(path.relative_to(parent.parent))
    return str(path)


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{_rel(path)}: file is missing. Restore it from version control.")
    except UnicodeDecodeError as e:
        problems.append(f"{_rel(path)}: not UTF-8 ({e.reason} at byte {e.start}). Save it as UTF-8.")
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problems.append(f"{_rel(path)}:{where} is not valid YAML ({getattr(e, 'problem', e)}).")
    return None


def _record_name(raw: Any, index: int) -> str:
    if isinstance(raw, dict):
        if "id" not in raw and "source" in raw and "paragraph" in raw:
            return f'"{raw["source"]}" paragraph {raw["paragraph"]}'
        for key in ("id", "source", "term", "question"):
            if key in raw:
                return f'"{raw[key]}"'
    return f"#{index + 1}"


def _parse(model: type[M], raw: Any, where: str, name: str, problems: list[str]) -> M | None:
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        for err in e.errors():
            loc = ".".join(str(x) for x in err["loc"]) or "(record)"
            problems.append(f'{where}: record {name}, field "{loc}": {err["msg"]}.')
    return None


def _parse_list(model: type[M], path: Path, problems: list[str], key: str | None = None) -> list[M]:
    raw = _read_yaml(path, problems)
    if raw is None:
        return []
    if key is not None:
        raw = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(raw, list):
        problems.append(f"{_rel(path)}: expected a list of records{f' under {key!r}' if key else ''}.")
        return []
    out = []
    for i, item in enumerate(raw):
        rec = _parse(model, item, _rel(path), _record_name(item, i), problems)
        if rec is not None:
            out.append(rec)
    return out


def _by_id(records: list[M], path: Path, problems: list[str], attr: str = "id") -> dict[str, M]:
    out: dict[str, M] = {}
    for r in records:
        key = getattr(r, attr)
        if key in out:
            problems.append(f'{_rel(path)}: id "{key}" is used twice. Give each record its own id.')
        out[key] = r
    return out


def load_course(data: Path = DATA) -> Course:
    """Read and parse every data file; raise `DataError` listing every problem found."""
    problems: list[str] = []
    readings = _by_id(_parse_list(Reading, data / "readings.yml", problems), data / "readings.yml", problems)
    sources = _by_id(_parse_list(Source, data / "sources.yml", problems), data / "sources.yml", problems)
    texts: dict[str, SourceText] = {}
    for sid in sources:
        path = data / "texts" / f"{sid}.yml"
        raw = _read_yaml(path, problems)
        if raw is not None:
            text = _parse(SourceText, raw, _rel(path), f'"{sid}"', problems)
            if text is not None:
                texts[sid] = text
    themes: dict[str, Theme] = {}
    for path in sorted((data / "themes").glob("*.yml")):
        raw = _read_yaml(path, problems)
        if raw is not None:
            theme = _parse(Theme, raw, _rel(path), _record_name(raw, 0), problems)
            if theme is not None:
                themes[theme.id] = theme
    course = Course(
        readings=readings,
        sources=sources,
        texts=texts,
        themes=dict(sorted(themes.items(), key=lambda kv: kv[1].number)),
        figures=_parse_list(Figure, data / "figures.yml", problems),
        events=_parse_list(Event, data / "events.yml", problems),
        turning_points=_parse_list(TurningPoint, data / "turning_points.yml", problems),
        glossary=_by_id(
            _parse_list(GlossaryEntry, data / "glossary.yml", problems), data / "glossary.yml", problems
        ),
        bibliography=_by_id(
            _parse_list(Reference, data / "bibliography.yml", problems), data / "bibliography.yml", problems
        ),
        citations=_parse_list(ParagraphCitations, data / "citations.yml", problems),
        topics=_parse_list(Topic, data / "topics.yml", problems),
        root=data,
    )
    if problems:
        raise DataError(problems)
    return course
