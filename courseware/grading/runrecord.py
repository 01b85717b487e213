"""What the gradebook keeps of a sandbox run: one `RunRecord` per submission, stored as JSON in the
`submissions.run` column.

The JSON is the one the grader wrote before this record existed (the same keys, sorted), so a
gradebook written then reads back unchanged and a re-judged row stays byte for byte the same. A
submission that never ran (unreadable, empty, too large) keeps only `problem`, `intake_notes` and
`answer_cells`; one that ran adds the run's fields. No timings are kept, so re-runs give identical rows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .sandbox import STATUSES, CellError, Status


class RunRecordError(ValueError):
    """A `run` column that is not a run record."""


@dataclass(frozen=True)
class RunRecord:
    problem: str | None = None  # why the notebook could not be used as submitted; None when it could
    intake_notes: tuple[str, ...] = ()  # what reading the file noticed (worth knowing, no review)
    answer_cells: Mapping[str, bool] = field(default_factory=dict)  # item id → its answer cell ran
    status: Status | None = None  # how the run ended; None when the notebook was never run
    errors: tuple[CellError, ...] = ()
    attempts: tuple[str, ...] = ()  # what the sandbox refused
    last_cell: int | None = None
    output_bytes: int = 0
    confined: bool | None = None  # True when Landlock applied
    walls: Mapping[str, bool] | None = None  # which walls stood: landlock, seccomp, namespaces
    present: tuple[str, ...] = ()  # answer variables the notebook bound

    @property
    def ran(self) -> bool:
        return self.status is not None

    def to_json(self) -> str:
        """The `run` column's text (sorted keys, as the grader has always written it)."""
        out: dict[str, object] = {
            "problem": self.problem,
            "intake_notes": list(self.intake_notes),
            "answer_cells": dict(self.answer_cells),
        }
        if self.ran:
            out.update(
                status=self.status,
                errors=[{"cell": e.cell, "message": e.message} for e in self.errors],
                attempts=list(self.attempts),
                last_cell=self.last_cell,
                output_bytes=self.output_bytes,
                confined=self.confined,
                walls=None if self.walls is None else dict(self.walls),
                present=list(self.present),
            )
        return json.dumps(out, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> RunRecord:
        """A `run` column's text → the record. Keys an older grader did not write take their defaults."""
        try:
            d: Any = json.loads(text)
            if not isinstance(d, dict):
                raise TypeError(f"a JSON {type(d).__name__}, not an object")
            status = d.get("status")
            if status is not None and status not in STATUSES:
                raise ValueError(f"unknown status {status!r}")
            walls = d.get("walls")
            return cls(
                problem=None if d.get("problem") is None else str(d["problem"]),
                intake_notes=tuple(str(n) for n in d.get("intake_notes") or ()),
                answer_cells={str(k): bool(v) for k, v in (d.get("answer_cells") or {}).items()},
                status=status,
                errors=tuple(CellError(int(e["cell"]), str(e["message"])) for e in d.get("errors") or ()),
                attempts=tuple(str(a) for a in d.get("attempts") or ()),
                last_cell=None if d.get("last_cell") is None else int(d["last_cell"]),
                output_bytes=int(d.get("output_bytes") or 0),
                confined=None if d.get("confined") is None else bool(d["confined"]),
                walls=None if walls is None else {str(k): bool(v) for k, v in walls.items()},
                present=tuple(str(p) for p in d.get("present") or ()),
            )
        except (ValueError, TypeError, KeyError, AttributeError) as e:
            raise RunRecordError(f"not a run record ({e}): {str(text)[:200]}") from e
