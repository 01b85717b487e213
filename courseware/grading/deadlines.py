"""Deadlines, extensions and late policies: the instructor's file → a lateness record per submission.

The file (by default ``instructor/deadlines.yml``) names, per exercise, a deadline, per-student
extensions and a late policy::

    download_utc_offset: "+00:00"   # how to read the times inside an LMS zip (they carry no zone)
    exercises:
      soviets:
        deadline: 2026-10-12T23:59:00+01:00
        extensions: {"12345": 2026-10-15T23:59:00+01:00}
        late: {policy: penalty, per_day: 10, cap: 50, grace_minutes: 15}

Policies: ``none`` (lateness is recorded and shown, nothing is taken off), ``penalty`` (``per_day``
percent of the points possible per started day late, at most ``cap`` percent), ``review`` (a late
submission is left out of the LMS exports until the instructor decides, for example by giving an
extension). The time a submission came in is the time of its file in the LMS download (or the
folder); a Canvas file name's ``LATE`` marker is compared with it, and a disagreement is noted and
sent for review, since Canvas knows due dates set in Canvas that this file may not.
"""

from __future__ import annotations

import html
import math
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..yamltext import parse as parse_yaml
from .gradebook import Gradebook, Lateness, SubmissionRow

DEFAULT_FILE = Path("instructor") / "deadlines.yml"
CANVAS_LATE = re.compile(r"^[^_/]+_(?:LATE|late)_\d+_\d+_")
OFFSET = re.compile(r"^[+-]\d{2}:\d{2}$")


class DeadlinesError(Exception):
    """The deadlines file cannot be used; the message names the file, the field and the fix."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _aware(value: datetime, field: str) -> datetime:
    if value.tzinfo is None:
        raise ValueError(
            f"{field}{value.isoformat()} has no UTC offset; write it as e.g. "
            f"{value.isoformat(timespec='minutes')}+00:00"
        )
    return value


class LatePolicy(_Strict):
    policy: Literal["none", "penalty", "review"] = "none"
    per_day: float = Field(default=0, ge=0, le=100)  # percent of the points possible per started day
    cap: float = Field(default=100, ge=0, le=100)  # percent, at most
    grace_minutes: float = Field(default=0, ge=0)  # this much late counts as on time

    @model_validator(mode="after")
    def _penalty_needs_a_rate(self) -> LatePolicy:
        if self.policy == "penalty" and self.per_day == 0:
            raise ValueError("per_day: a penalty policy needs per_day (percent per day late), e.g. 10")
        return self


class ExerciseDeadline(_Strict):
    deadline: datetime
    extensions: dict[str, datetime] = {}  # student id (as the gradebook has it) → their deadline
    late: LatePolicy = LatePolicy()

    @field_validator("deadline")
    @classmethod
    def _deadline_aware(cls, v: datetime) -> datetime:
        return _aware(v, "")

    @field_validator("extensions", mode="before")
    @classmethod
    def _ids_as_text(cls, v: object) -> object:
        # YAML reads an unquoted Canvas id (12345) as a number; the gradebook's ids are text
        return {str(k): x for k, x in v.items()} if isinstance(v, dict) else v

    @field_validator("extensions")
    @classmethod
    def _extensions_aware(cls, v: dict[str, datetime]) -> dict[str, datetime]:
        return {k: _aware(x, f"student {k}: ") for k, x in v.items()}


class Deadlines(_Strict):
    download_utc_offset: str = "+00:00"
    exercises: dict[str, ExerciseDeadline] = {}

    @field_validator("download_utc_offset")
    @classmethod
    def _offset(cls, v: str) -> str:
        if not OFFSET.match(v):
            raise ValueError(f'download_utc_offset: {v!r} is not an offset like "+01:00" or "-05:00"')
        return v

    @property
    def download_zone(self) -> timezone:
        sign = -1 if self.download_utc_offset[0] == "-" else 1
        hours, minutes = (int(x) for x in self.download_utc_offset[1:].split(":"))
        return timezone(sign * timedelta(hours=hours, minutes=minutes))


def load_deadlines(path: Path) -> Deadlines:
    """Read and validate the deadlines file; every problem is reported with its field and a fix.

    >>> load_deadlines(Path("no-such-file.yml")).exercises
    {}
    """
    if not path.exists():
        return Deadlines()
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise DeadlinesError(f"{path}: not valid YAML ({e}). Fix the file.") from e
    try:
        return Deadlines.model_validate(raw)
    except ValidationError as e:
        lines = []
        for err in e.errors():
            where = ".".join(str(x) for x in err["loc"]) or "(file)"
            msg = str(err["msg"]).removeprefix("Value error, ")
            if err.get("type") == "extra_forbidden":
                msg = "is not a known field; correct the spelling or remove it"
            lines.append(f"  - {where}: {msg}")
        raise DeadlinesError(
            f"{path}: {len(lines)} problem(s); see the guide's section on deadlines:\n" + "\n".join(lines)
        ) from None


# ---------------------------------------------------------------- when a submission came in


def submission_time(row: SubmissionRow, zone: timezone) -> tuple[datetime, str]:
    """The time the submission came in and where it comes from. Times in an LMS zip carry no zone
    (intake records them as UTC wall-clock time); they are read in the download's `zone`."""
    when = datetime.fromisoformat(row.modified)
    if row.lms in ("canvas", "moodle"):
        return when.replace(tzinfo=zone), f"time of the file in the {row.lms.capitalize()} download"
    return when, "time of the file in the folder"


def canvas_says_late(filename: str) -> bool:
    """Whether a Canvas download's file name carries Canvas's LATE marker.

    >>> canvas_says_late("smithjane_LATE_12345_67890_soviets.ipynb"), canvas_says_late("a_1_2_x.ipynb")
    (True, False)
    """
    return bool(CANVAS_LATE.match(PurePosixPath(filename).name))


def lateness_of(row: SubmissionRow, rule: ExerciseDeadline, zone: timezone) -> Lateness:
    """One submission against its deadline (its extension if any) and the late policy."""
    submitted, source = submission_time(row, zone)
    extended = row.student in rule.extensions
    deadline = rule.extensions.get(row.student, rule.deadline)
    late_seconds = max(0, math.ceil((submitted - deadline).total_seconds()))
    counted = late_seconds if late_seconds > rule.late.grace_minutes * 60 else 0
    days = math.ceil(counted / 86400)
    policy = rule.late.policy
    penalty = round(min(rule.late.cap, rule.late.per_day * days) / 100, 4) if policy == "penalty" else 0.0
    review = policy == "review" and days > 0
    note = ""
    if row.lms == "canvas":
        marked = canvas_says_late(row.filename)
        if marked and not days:
            note = "Canvas marks this submission LATE, but its file time is on time; check its time in Canvas"
        elif days and not marked:
            note = "Canvas does not mark this submission late (an extension set in Canvas?); check in Canvas"
        review = review or (bool(note) and policy != "none")
    return Lateness(
        exercise=row.exercise,
        student=row.student,
        submitted=submitted.astimezone(UTC).isoformat(),
        source=source,
        deadline=deadline.astimezone(UTC).isoformat(),
        extended=int(extended),
        late_seconds=late_seconds,
        days_late=days,
        policy=policy,
        penalty=penalty,
        review=int(review),
        note=note,
    )


def apply_deadlines(gb: Gradebook, exercise_id: str, deadlines: Deadlines) -> list[Lateness]:
    """Record every submission's lateness for the exercise; with no deadline for it, remove any."""
    rule = deadlines.exercises.get(exercise_id)
    rows = gb.find_submissions(exercise_id)
    if rule is None:
        for student in gb.find_lateness(exercise_id):
            gb.remove_lateness(exercise_id, student)
        return []
    out = [lateness_of(row, rule, deadlines.download_zone) for row in rows]
    known = gb.find_lateness(exercise_id)
    for late in out:
        if known.get(late.student) != late:
            gb.update_or_create_lateness(late)
    return out


def summarise(records: list[Lateness]) -> list[str]:
    """Lines for the grading summary."""
    late = [r for r in records if r.days_late]
    lines = [f"  Deadlines: {len(late)} of {len(records)} submission(s) late."] if records else []
    for r in late:
        what = f"{r.days_late} day(s) late" + (f", penalty {r.penalty:.0%}" if r.penalty else "")
        lines.append(f"    {r.student}: {what}" + (" — for review" if r.review else ""))
    lines += [f"    {r.student}: {r.note}" for r in records if r.note and not r.days_late]
    return lines


def describe(late: Lateness) -> str:
    """One plain sentence for the student: on time, or how late and what it cost.

    >>> describe(Lateness("x", "1", "2026-10-13T10:00:00+00:00", "", "2026-10-12T23:59:00+00:00", 0,
    ...                   36060, 1, "penalty", 0.1, 0, ""))
    'Submitted 2026-10-13 10:00 UTC, 1 day after the deadline (2026-10-12 23:59 UTC): 10% of the points were taken off.'
    """  # noqa: E501
    when = datetime.fromisoformat(late.submitted).strftime("%Y-%m-%d %H:%M UTC")
    due = datetime.fromisoformat(late.deadline).strftime("%Y-%m-%d %H:%M UTC")
    kind = "extended deadline" if late.extended else "deadline"
    if not late.days_late:
        return f"Submitted {when}, on time (the {kind} was {due})."
    days = f"{late.days_late} day{'s' if late.days_late != 1 else ''}"
    text = f"Submitted {when}, {days} after the {kind} ({due})"
    if late.penalty:
        return f"{text}: {late.penalty:.0%} of the points were taken off."
    if late.review:
        return f"{text}: your instructor will decide how this counts."
    return f"{text}."


def lateness_html(late: Lateness | None) -> str:
    """The feedback page's paragraph about lateness ("" when the exercise has no deadline)."""
    if late is None:
        return ""
    cls = "late" if late.days_late else "ontime"
    return f"<p class='{cls}'>{html.escape(describe(late))}</p>"
