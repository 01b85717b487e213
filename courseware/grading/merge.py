"""Shard gradebooks → one class gradebook, refusing anything that would mix up two classes.

Each input must have graded every exercise it shares with the others from the same definition
(the exercise fingerprint), no student may appear in two inputs, and inputs made with ``--shard``
must be distinct shards of one split (all N of them, unless a partial merge is asked for). Any of
these problems stops the merge with a message naming the files, and nothing is written: the output
is built in a temporary file and moved into place only when complete.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .gradebook import Gradebook
from .shard import Shard, parse_shard

# tables copied as they are; `runs` (a log with ids) is copied without its ids
COPIED = ("archive", "submissions", "superseded", "scores", "marks", "lateness", "grade_times")


class MergeError(Exception):
    """The inputs cannot be merged; the message says which files disagree and how to fix it."""


@dataclass
class MergeSummary:
    output: Path
    inputs: list[Path]
    exercises: dict[str, int] = field(default_factory=dict)  # exercise → students merged
    shards: list[str] = field(default_factory=list)


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA main.table_info({table})")]


def check_inputs(paths: list[Path], allow_partial: bool = False) -> list[str]:
    """Every reason the inputs cannot be merged (empty when they can)."""
    problems: list[str] = []
    fingerprints: dict[str, dict[str, list[Path]]] = {}
    owners: dict[tuple[str, str], list[Path]] = {}
    shards: dict[Path, Shard | None] = {}
    for path in paths:
        with Gradebook(path) as gb:
            for ex, fp in gb.db.execute("SELECT id, fingerprint FROM exercises"):
                fingerprints.setdefault(ex, {}).setdefault(fp, []).append(path)
            for ex, student in gb.db.execute("SELECT exercise, student FROM submissions"):
                owners.setdefault((ex, student), []).append(path)
            label = gb.find_meta("shard")
            shards[path] = parse_shard(label) if label else None
    for ex, by_fp in sorted(fingerprints.items()):
        if len(by_fp) > 1:
            versions = "; ".join(
                f"{fp[:12]} in {', '.join(str(p) for p in files)}" for fp, files in by_fp.items()
            )
            problems.append(
                f"exercise {ex!r} was graded from different definitions ({versions}). Grade every shard "
                f"with the same instructor/exercises/{ex}.yml (or re-grade the odd ones), then merge again."
            )
    clashes = sorted((k, v) for k, v in owners.items() if len(v) > 1)
    if clashes:
        shown = "; ".join(
            f"{ex} student {student} in {', '.join(str(p) for p in files)}"
            for (ex, student), files in clashes[:10]
        )
        more = f" (and {len(clashes) - 10} more)" if len(clashes) > 10 else ""
        problems.append(
            f"{len(clashes)} student(s) are in more than one input: {shown}{more}. Each student must be "
            "graded in exactly one shard: use the same N in every --shard I/N, and do not merge a shard "
            "with a full-class gradebook."
        )
    labelled = {p: s for p, s in shards.items() if s is not None}
    if labelled:
        counts = {s.count for s in labelled.values()}
        if len(counts) > 1 or len(labelled) != len(paths):
            listing = ", ".join(f"{p} ({s or 'not a shard'})" for p, s in shards.items())
            problems.append(
                f"the inputs do not come from one split into shards: {listing}. Merge the shards of one "
                "`--shard I/N` run (same N)."
            )
        else:
            count = counts.pop()
            seen: dict[int, list[Path]] = {}
            for p, s in labelled.items():
                seen.setdefault(s.index, []).append(p)
            for index, files in sorted(seen.items()):
                if len(files) > 1:
                    problems.append(
                        f"shard {index}/{count} is given twice: {', '.join(str(p) for p in files)}."
                    )
            missing = [f"{i}/{count}" for i in range(1, count + 1) if i not in seen]
            if missing and not allow_partial:
                problems.append(
                    f"shard(s) {', '.join(missing)} are missing. Grade them and merge all {count}, or "
                    "pass --partial to merge what is here."
                )
    return problems


def merge(
    paths: list[Path], output: Path, *, allow_partial: bool = False, force: bool = False
) -> MergeSummary:
    """Merge shard gradebooks into `output` (which must not exist unless `force`)."""
    if not paths:
        raise MergeError("no gradebooks to merge: give the shard files, e.g. shard-1.db shard-2.db …")
    for p in paths:
        if not p.exists():
            raise MergeError(f"{p}: no such gradebook. Check the path.")
        if output.exists() and p.resolve() == output.resolve():
            raise MergeError(f"{p} is both an input and the output; give another -o.")
    if output.exists() and not force:
        raise MergeError(f"{output} already exists. Give another -o, or --force to replace it.")
    problems = check_inputs(paths, allow_partial)
    if problems:
        raise MergeError(
            f"cannot merge {len(paths)} gradebook(s); nothing was written:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )
    tmp = output.with_name(f".{output.name}.merging")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    summary = MergeSummary(output, list(paths))
    with Gradebook(tmp) as out:
        db = out.db
        for path in paths:
            db.execute("ATTACH DATABASE ? AS src", (str(path),))
            try:
                with out.transaction():
                    db.execute("INSERT OR IGNORE INTO main.exercises SELECT * FROM src.exercises")
                    for table in COPIED:
                        cols = ", ".join(_columns(db, table))
                        verb = "INSERT OR IGNORE" if table == "archive" else "INSERT"  # shared bytes
                        db.execute(f"{verb} INTO main.{table} ({cols}) SELECT {cols} FROM src.{table}")
                    db.execute(
                        "INSERT INTO main.runs (exercise, command, started, finished) "
                        "SELECT exercise, command, started, finished FROM src.runs ORDER BY id"
                    )
                label = db.execute("SELECT value FROM src.meta WHERE key='shard'").fetchone()
                if label:
                    summary.shards.append(label[0])
            except sqlite3.IntegrityError as e:  # check_inputs should have caught it; never half-merge
                db.execute("DETACH DATABASE src")
                out.close()
                tmp.unlink(missing_ok=True)
                raise MergeError(
                    f"{path}: a row clashes with another input ({e}); nothing was written."
                ) from e
            db.execute("DETACH DATABASE src")
        if summary.shards:
            out.update_or_create_meta("merged_shards", ",".join(sorted(summary.shards)))
        for ex, n in db.execute("SELECT exercise, count(*) FROM submissions GROUP BY exercise"):
            summary.exercises[ex] = n
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for stale in (Path(f"{output}-wal"), Path(f"{output}-shm")):  # never replay an old log on it
        stale.unlink(missing_ok=True)
    os.replace(tmp, output)
    for side in (Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        side.unlink(missing_ok=True)
    return summary
