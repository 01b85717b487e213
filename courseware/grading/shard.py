"""Which shard of a class a student belongs to, so a class can be graded on several machines.

A student's shard depends only on their id (a hash of it), never on the order of files or on the
machine, so every file of one student lands in the same shard and each shard's gradebook holds whole
students. Shards are numbered from 1: ``--shard 2/4`` is the second of four.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class ShardError(ValueError):
    """A --shard value that is not I/N with 1 ≤ I ≤ N."""


@dataclass(frozen=True)
class Shard:
    index: int  # 1..count
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, student: str) -> bool:
        return shard_of(student, self.count) == self.index


def parse_shard(text: str) -> Shard:
    """``"2/4"`` → Shard(2, 4).

    >>> parse_shard("2/4")
    Shard(index=2, count=4)
    >>> parse_shard("0/4")
    Traceback (most recent call last):
    ...
    courseware.grading.shard.ShardError: --shard 0/4: the shard number must be from 1 to 4 (e.g. 1/4 … 4/4)
    """
    m = SPEC.match(text)
    if not m:
        raise ShardError(f"--shard {text}: give the shard as I/N, e.g. 2/4 for the second of four shards")
    index, count = int(m[1]), int(m[2])
    if count < 1 or not 1 <= index <= count:
        raise ShardError(
            f"--shard {text}: the shard number must be from 1 to {max(count, 1)} (e.g. 1/{max(count, 1)} … "
            f"{max(count, 1)}/{max(count, 1)})"
        )
    return Shard(index, count)


def shard_of(student: str, count: int) -> int:
    """The shard (1..count) that holds `student`: the first 8 bytes of sha256(id), modulo count.

    >>> shard_of("12345", 4), shard_of("12345", 1)
    (3, 1)
    """
    digest = hashlib.sha256(student.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1
