"""The gradebook: one SQLite file (no server), written in transactions, with idempotent upserts.

Each submission is recorded in one transaction (its archived bytes, its row, its item scores), so a
run stopped at any point — even by ``kill -9`` — leaves only whole submissions behind, and the next
run fills in the rest: an interrupted run followed by a re-run gives the same gradebook as one
uninterrupted run. Grading the same file against the same exercise again changes nothing.

Rubric marks for written answers live in their own table and are never touched by grading, so
re-grading never loses the instructor's marking. Lateness (when a submission came in against its
deadline, and the penalty the late policy gives) has its own table too. The `runs` table is a log
(with times), `grade_times` records when each student's grade last changed (what Moodle's "Last
modified (grade)" needs) and `meta` holds the file's own facts (schema, shard); all three are left
out of `dump`, which is what "the same gradebook" means.

The file is created readable by its owner only (mode 0600). Verbs follow one pattern:
``find_`` (read), ``add_`` (insert once), ``update_or_create_`` (upsert), ``remove_``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .judge import ItemScore, Outcome, RubricMark
from .runrecord import RunRecord, RunRecordError

SCHEMA_VERSION = 2  # 2: lateness, grade_times, shard in meta
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- every exercise graded into this gradebook, as it was when last graded
CREATE TABLE IF NOT EXISTS exercises (
  id          TEXT PRIMARY KEY,   -- the exercise id, e.g. "soviets"
  title       TEXT NOT NULL,
  fingerprint TEXT NOT NULL,      -- sha256 of the definition below
  definition  TEXT NOT NULL       -- the exercise as JSON (instructor side: holds the keys)
);
-- every file received, byte for byte, whether it could be read or not
CREATE TABLE IF NOT EXISTS archive (
  sha256 TEXT PRIMARY KEY,
  data   BLOB NOT NULL
);
-- one row per student per exercise: the file graded and the outcome
CREATE TABLE IF NOT EXISTS submissions (
  exercise    TEXT NOT NULL REFERENCES exercises(id),
  student     TEXT NOT NULL,      -- the LMS's id: Canvas user id, Moodle participant number, or file stem
  name        TEXT NOT NULL,      -- display name from the file name
  lms         TEXT NOT NULL,      -- canvas | moodle | folder
  filename    TEXT NOT NULL,      -- path inside the zip or folder
  sha256      TEXT NOT NULL REFERENCES archive(sha256),
  modified    TEXT NOT NULL,      -- time of the file in the zip or folder
  status      TEXT NOT NULL CHECK (status IN ('graded', 'review')),
  total       REAL NOT NULL,      -- the score that counts (provisional while status = review)
  max_total   REAL NOT NULL,
  computed    REAL NOT NULL,      -- what the answers earn, before any provisional zero
  reasons     TEXT NOT NULL,      -- JSON list: why it needs review
  notes       TEXT NOT NULL,      -- JSON list: worth knowing, no review needed
  run         TEXT NOT NULL,      -- JSON: how the sandbox run went (status, cell errors, attempts)
  answers     TEXT NOT NULL,      -- JSON: variable -> plain data; null if the notebook never finished
  judged_from TEXT NOT NULL,      -- exercise fingerprint + file sha256: what this row was judged from
  accepted    INTEGER NOT NULL DEFAULT 0,  -- 1 once the instructor accepted a reviewed submission
  PRIMARY KEY (exercise, student)
);
-- other files from the same student (older uploads, extra files): archived, not graded
CREATE TABLE IF NOT EXISTS superseded (
  exercise TEXT NOT NULL,
  student  TEXT NOT NULL,
  filename TEXT NOT NULL,
  sha256   TEXT NOT NULL REFERENCES archive(sha256),
  modified TEXT NOT NULL,
  PRIMARY KEY (exercise, student, filename, sha256)
);
-- one row per item per submission
CREATE TABLE IF NOT EXISTS scores (
  exercise   TEXT NOT NULL,
  student    TEXT NOT NULL,
  item       TEXT NOT NULL,       -- the item id, e.g. "soviets_q3"
  status     TEXT NOT NULL,       -- correct | partial | wrong | unanswered | invalid | pending | marked
  points     REAL NOT NULL,
  max_points REAL NOT NULL,
  detail     TEXT NOT NULL,       -- safe for the student
  note       TEXT NOT NULL,       -- for the instructor only
  PRIMARY KEY (exercise, student, item)
);
-- the instructor's rubric marking of written answers; grading never overwrites it
CREATE TABLE IF NOT EXISTS marks (
  exercise TEXT NOT NULL,
  student  TEXT NOT NULL,
  item     TEXT NOT NULL,
  criteria TEXT NOT NULL,         -- JSON list of the criterion ids met
  points   REAL,                  -- an override of the criteria's sum, or NULL
  comment  TEXT NOT NULL,
  PRIMARY KEY (exercise, student, item)
);
-- when a submission came in against its deadline, and what the late policy does about it
CREATE TABLE IF NOT EXISTS lateness (
  exercise     TEXT NOT NULL,
  student      TEXT NOT NULL,
  submitted    TEXT NOT NULL,     -- ISO time the submission is taken to have come in
  source       TEXT NOT NULL,     -- where that time comes from (file time in the zip, folder, ...)
  deadline     TEXT NOT NULL,     -- the student's deadline, any extension applied
  extended     INTEGER NOT NULL,  -- 1 when the deadline is a per-student extension
  late_seconds INTEGER NOT NULL,  -- 0 when on time
  days_late    INTEGER NOT NULL,  -- started days late (1 second late is 1 day)
  policy       TEXT NOT NULL,     -- none | penalty | review
  penalty      REAL NOT NULL,     -- share of the points possible taken off (0.2 = 20 %)
  review       INTEGER NOT NULL,  -- 1 when the policy asks the instructor to decide
  note         TEXT NOT NULL,     -- e.g. the LMS marked it late although the file time is on time
  PRIMARY KEY (exercise, student)
);
-- when each student's grade (score, status or late penalty) last changed (left out of `dump`)
CREATE TABLE IF NOT EXISTS grade_times (
  exercise  TEXT NOT NULL,
  student   TEXT NOT NULL,
  signature TEXT NOT NULL,        -- what the grade was: status, total, penalty
  changed   TEXT NOT NULL,        -- ISO time (UTC) the signature last changed
  PRIMARY KEY (exercise, student)
);
-- a log of grading runs (left out of `dump`)
CREATE TABLE IF NOT EXISTS runs (
  id       INTEGER PRIMARY KEY,
  exercise TEXT NOT NULL,
  command  TEXT NOT NULL,
  started  TEXT NOT NULL,
  finished TEXT
);
"""


class GradebookError(Exception):
    """The gradebook file cannot be used."""


class MissingEntry(GradebookError):
    """No such exercise, student or item in the gradebook."""


@dataclass
class SubmissionRow:
    exercise: str
    student: str
    name: str
    lms: str
    filename: str
    sha256: str
    modified: str
    status: str
    total: float
    max_total: float
    computed: float
    reasons: list[str]
    notes: list[str]
    run: RunRecord
    answers: dict[str, Any] | None
    judged_from: str
    accepted: bool


@dataclass
class Lateness:
    """One row of the `lateness` table (see the schema for what each field means)."""

    exercise: str
    student: str
    submitted: str
    source: str
    deadline: str
    extended: int
    late_seconds: int
    days_late: int
    policy: str
    penalty: float
    review: int
    note: str


LATENESS_COLUMNS = tuple(Lateness.__dataclass_fields__)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Gradebook:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")  # safe against a killed process
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as e:
            raise GradebookError(
                f"{self.path}: not a gradebook ({e}). Give another --gradebook file, or move this one away."
            ) from e
        version = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if version is None:
            self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif int(version[0]) > SCHEMA_VERSION:
            raise GradebookError(
                f"{self.path}: made by a newer courseware (schema {version[0]}). "
                "Upgrade courseware to use it."
            )
        elif int(version[0]) < SCHEMA_VERSION:  # the new tables were created above
            self.db.execute("UPDATE meta SET value=? WHERE key='schema'", (str(SCHEMA_VERSION),))

    # ---------------------------------------------------------------- the file's own facts
    def find_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def update_or_create_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta VALUES (?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, value),
            )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ---------------------------------------------------------------- exercises
    def update_or_create_exercise(
        self, exercise_id: str, title: str, fingerprint: str, definition: str
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO exercises VALUES (?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
                "title=excluded.title, fingerprint=excluded.fingerprint, definition=excluded.definition",
                (exercise_id, title, fingerprint, definition),
            )

    def find_exercise(self, exercise_id: str) -> dict[str, Any]:
        row = self.db.execute("SELECT definition FROM exercises WHERE id=?", (exercise_id,)).fetchone()
        if row is None:
            known = [r[0] for r in self.db.execute("SELECT id FROM exercises ORDER BY id")]
            raise MissingEntry(
                f"{self.path}: no exercise {exercise_id!r} has been graded here "
                f"(known: {', '.join(known) or 'none'}). Run `courseware grade` first."
            )
        return json.loads(row[0])

    def find_exercise_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM exercises ORDER BY id")]

    # ---------------------------------------------------------------- runs log
    def add_run(self, exercise_id: str, command: str) -> int:
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO runs (exercise, command, started) VALUES (?,?,?)", (exercise_id, command, _now())
            )
            return int(cur.lastrowid or 0)

    def update_run_finished(self, run_id: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE runs SET finished=? WHERE id=?", (_now(), run_id))

    # ---------------------------------------------------------------- submissions
    def update_or_create_submission(
        self,
        exercise_id: str,
        sub: Any,
        outcome: Outcome,
        run: RunRecord,
        answers: dict[str, Any] | None,
        judged_from: str,
        accepted: bool = False,
    ) -> None:
        """Record one submission (archive, row, item scores) in one transaction. `sub` is an
        `intake.Submission` (or anything with its fields)."""
        status = "graded" if accepted else outcome.status
        total = outcome.computed if accepted else outcome.total
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO archive VALUES (?,?)", (sub.sha256, sub.data))
            for old in sub.superseded:
                db.execute("INSERT OR IGNORE INTO archive VALUES (?,?)", (old.sha256, old.data))
                db.execute(
                    "INSERT OR IGNORE INTO superseded VALUES (?,?,?,?,?)",
                    (exercise_id, sub.student, old.filename, old.sha256, old.modified),
                )
            db.execute(
                "INSERT INTO submissions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(exercise, student) DO UPDATE SET name=excluded.name, lms=excluded.lms, "
                "filename=excluded.filename, sha256=excluded.sha256, modified=excluded.modified, "
                "status=excluded.status, total=excluded.total, max_total=excluded.max_total, "
                "computed=excluded.computed, reasons=excluded.reasons, notes=excluded.notes, "
                "run=excluded.run, answers=excluded.answers, judged_from=excluded.judged_from, "
                "accepted=excluded.accepted",
                (
                    exercise_id,
                    sub.student,
                    sub.name,
                    sub.lms,
                    sub.filename,
                    sub.sha256,
                    sub.modified,
                    status,
                    total,
                    outcome.max_total,
                    outcome.computed,
                    json.dumps(outcome.reasons),
                    json.dumps(outcome.notes),
                    run.to_json(),
                    json.dumps(answers, sort_keys=True),
                    judged_from,
                    int(accepted),
                ),
            )
            self._write_scores(db, exercise_id, sub.student, outcome.scores)
            self._touch(db, exercise_id, sub.student)

    def _touch(self, db: sqlite3.Connection, exercise_id: str, student: str) -> None:
        """Note the time when the student's grade (status, total, late penalty) changed."""
        row = db.execute(
            "SELECT s.status, s.total, l.penalty FROM submissions s LEFT JOIN lateness l "
            "ON l.exercise=s.exercise AND l.student=s.student WHERE s.exercise=? AND s.student=?",
            (exercise_id, student),
        ).fetchone()
        if row is None:
            return
        signature = json.dumps(list(row))
        db.execute(
            "INSERT INTO grade_times VALUES (?,?,?,?) ON CONFLICT(exercise, student) DO UPDATE SET "
            "signature=excluded.signature, changed=excluded.changed "
            "WHERE grade_times.signature != excluded.signature",
            (exercise_id, student, signature, _now()),
        )

    def find_grade_times(self, exercise_id: str) -> dict[str, str]:
        """Student → ISO time (UTC) their grade last changed in this gradebook."""
        return dict(
            self.db.execute("SELECT student, changed FROM grade_times WHERE exercise=?", (exercise_id,))
        )

    def _write_scores(
        self, db: sqlite3.Connection, exercise_id: str, student: str, scores: list[ItemScore]
    ) -> None:
        db.execute("DELETE FROM scores WHERE exercise=? AND student=?", (exercise_id, student))
        db.executemany(
            "INSERT INTO scores VALUES (?,?,?,?,?,?,?,?)",
            [
                (exercise_id, student, s.item, s.status, s.points, s.max_points, s.detail, s.note)
                for s in scores
            ],
        )

    def find_submission(self, exercise_id: str, student: str) -> SubmissionRow:
        row = (
            self._named()
            .execute("SELECT * FROM submissions WHERE exercise=? AND student=?", (exercise_id, student))
            .fetchone()
        )
        if row is None:
            raise MissingEntry(
                f"{self.path}: no submission of {exercise_id!r} by student {student!r}. "
                "Check the id with `courseware export --format csv`."
            )
        return self._row(row)

    def find_submissions(self, exercise_id: str) -> list[SubmissionRow]:
        rows = self._named().execute(
            "SELECT * FROM submissions WHERE exercise=? ORDER BY student", (exercise_id,)
        )
        return [self._row(r) for r in rows]

    def _row(self, r: sqlite3.Row) -> SubmissionRow:
        """A `submissions` row (read by column name) as a record; the JSON columns decoded."""
        values: dict[str, Any] = {}
        for name in SubmissionRow.__dataclass_fields__:
            value = r[name]
            values[name] = json.loads(value) if name in JSON_COLUMNS else value
        values["accepted"] = bool(values["accepted"])
        try:
            values["run"] = RunRecord.from_json(r["run"])
        except RunRecordError as e:
            raise GradebookError(
                f"{self.path}: the submission of {r['exercise']!r} by student {r['student']!r} has a "
                f"damaged run column: {e}. Restore the gradebook from a copy, or grade the file again "
                "with --force."
            ) from e
        return SubmissionRow(**values)

    def _named(self) -> sqlite3.Cursor:
        """A cursor whose rows are read by column name, so a column added later moves nothing."""
        cur = self.db.cursor()
        cur.row_factory = sqlite3.Row
        return cur

    def find_judged_from(self, exercise_id: str) -> dict[str, str]:
        return dict(
            self.db.execute("SELECT student, judged_from FROM submissions WHERE exercise=?", (exercise_id,))
        )

    def find_scores(self, exercise_id: str, student: str) -> list[ItemScore]:
        rows = self.db.execute(
            "SELECT item, status, points, max_points, detail, note FROM scores "
            "WHERE exercise=? AND student=? ORDER BY rowid",
            (exercise_id, student),
        )
        return [ItemScore(*r) for r in rows]

    def find_archived(self, sha256: str) -> bytes:
        row = self.db.execute("SELECT data FROM archive WHERE sha256=?", (sha256,)).fetchone()
        if row is None:
            raise MissingEntry(f"{self.path}: no archived file {sha256[:12]}")
        return bytes(row[0])

    # ---------------------------------------------------------------- rubric marks
    def update_or_create_mark(self, exercise_id: str, student: str, item: str, mark: RubricMark) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO marks VALUES (?,?,?,?,?,?) ON CONFLICT(exercise, student, item) DO UPDATE "
                "SET criteria=excluded.criteria, points=excluded.points, comment=excluded.comment",
                (exercise_id, student, item, json.dumps(sorted(mark.criteria)), mark.points, mark.comment),
            )

    def remove_mark(self, exercise_id: str, student: str, item: str) -> None:
        with self.transaction() as db:
            db.execute(
                "DELETE FROM marks WHERE exercise=? AND student=? AND item=?", (exercise_id, student, item)
            )

    def find_marks(self, exercise_id: str, student: str | None = None) -> dict[tuple[str, str], RubricMark]:
        """(student, item) → mark."""
        sql, args = (
            "SELECT student, item, criteria, points, comment FROM marks WHERE exercise=?",
            [exercise_id],
        )
        if student is not None:
            sql, args = sql + " AND student=?", [exercise_id, student]
        return {(s, i): RubricMark(json.loads(c), p, m) for s, i, c, p, m in self.db.execute(sql, args)}

    # ---------------------------------------------------------------- lateness
    def update_or_create_lateness(self, late: Lateness) -> None:
        with self.transaction() as db:
            db.execute(
                f"INSERT INTO lateness ({', '.join(LATENESS_COLUMNS)}) VALUES "
                f"({', '.join('?' * len(LATENESS_COLUMNS))}) ON CONFLICT(exercise, student) DO UPDATE SET "
                + ", ".join(f"{c}=excluded.{c}" for c in LATENESS_COLUMNS[2:]),
                [getattr(late, c) for c in LATENESS_COLUMNS],
            )
            self._touch(db, late.exercise, late.student)

    def remove_lateness(self, exercise_id: str, student: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM lateness WHERE exercise=? AND student=?", (exercise_id, student))
            self._touch(db, exercise_id, student)

    def find_lateness(self, exercise_id: str) -> dict[str, Lateness]:
        """Student → their lateness record (only students with one: no deadline, no record)."""
        rows = self._named().execute("SELECT * FROM lateness WHERE exercise=?", (exercise_id,))
        return {r["student"]: Lateness(**{c: r[c] for c in LATENESS_COLUMNS}) for r in rows}

    # ---------------------------------------------------------------- comparison
    TABLES = ("exercises", "archive", "submissions", "superseded", "scores", "marks", "lateness")

    def dump(self) -> list[tuple]:
        """Every row of every table but the logs and meta, in a fixed order: what "the same gradebook"
        means."""
        out: list[tuple] = []
        for table in self.TABLES:
            out += sorted(((table, *r) for r in self.db.execute(f"SELECT * FROM {table}")), key=repr)
        return out


JSON_COLUMNS = ("reasons", "notes", "answers")  # plain JSON; `run` is a `RunRecord`
