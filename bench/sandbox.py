"""Benchmark: what one submission costs in the sandbox beyond its own cells, with and without the
exercise's setup run once in the worker before forking.

Runs the same solved notebook N times through `Sandbox` (one child at a time, so each figure is a
latency, not a throughput), in rounds that alternate the two settings so that both see the same
machine; and runs the same cells in one warm IPython shell in this process, for the cost of the cells
themselves. Prints per-submission milliseconds and the overhead (sandbox minus warm cells) of each,
and the cost of a notebook with no cells at all: forking, the walls and the exit, without the first
run of the cells in a fresh child (whose memory is copied on first write).

    python bench/sandbox.py [--exercise soviets] [--runs 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from courseware.authoring import setup_source, student_notebook  # noqa: E402
from courseware.grading.pipeline import load_exercise  # noqa: E402
from courseware.grading.sandbox import Job, Limits, Sandbox  # noqa: E402
from courseware.grading.worker import is_check_only, make_shell  # noqa: E402


def cells_of(exercise_id: str) -> tuple[list[tuple[int, str]], list[str], str]:
    """The student notebook's code cells with every answer cell holding the item's solution."""
    exercise = load_exercise(exercise_id)
    solutions = {i.id: i.solution for i in exercise.items}
    cells = []
    for n, c in enumerate(student_notebook(exercise).cells, start=1):
        if c.cell_type != "code":
            continue
        meta = c.metadata.get("courseware", {})
        cells.append((n, solutions[meta["item"]] if meta.get("role") == "answer" else c.source))
    return cells, [i.variable for i in exercise.items], setup_source(exercise)


def sandbox_ms(exercise_id: str, runs: int, preload_setup: bool, empty: bool = False) -> float:
    """Per submission; `empty`: a notebook with no cells, the sandbox's own cost alone (fork, walls,
    exit)."""
    exercise = load_exercise(exercise_id)
    cells, variables, setup = cells_of(exercise_id)
    if empty:
        cells, variables = [], []
    box = Sandbox(
        Limits(),
        jobs=1,
        preload_course="course" in exercise.preload,  # as the exercise declares, like the grader
        preload_heavy="libraries" in exercise.preload,
        setup=setup if preload_setup else "",
    )
    with box:
        list(box.run([Job("warm-up", cells, variables)]))
        started = time.perf_counter()
        results = list(box.run([Job(f"s{n}", cells, variables) for n in range(runs)]))
        elapsed = time.perf_counter() - started
    assert all(r.status == "finished" for _, r in results), [r for _, r in results if r.status != "finished"]
    return 1000 * elapsed / runs


def warm_cells_ms(exercise_id: str, runs: int) -> float:
    """The notebook's cells (setup excluded) in one warm shell: their own cost, without a sandbox."""
    cells, _, setup = cells_of(exercise_id)
    shell = make_shell()
    shell.run_cell(setup, store_history=False)
    body = [src for _, src in cells if not is_check_only(src) and src.strip() != setup.strip()]
    for src in body:
        shell.run_cell(src, store_history=False)
    started = time.perf_counter()
    for _ in range(runs):
        for src in body:
            shell.run_cell(src, store_history=False)
    return 1000 * (time.perf_counter() - started) / runs


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--exercise", default="soviets")
    p.add_argument("--runs", type=int, default=100)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    plain, preloaded, empty = [], [], []
    for _ in range(args.rounds):
        plain.append(sandbox_ms(args.exercise, args.runs, preload_setup=False))
        preloaded.append(sandbox_ms(args.exercise, args.runs, preload_setup=True))
        empty.append(sandbox_ms(args.exercise, args.runs, preload_setup=True, empty=True))
    cells = warm_cells_ms(args.exercise, args.runs)
    a, b, e = statistics.median(plain), statistics.median(preloaded), statistics.median(empty)
    print(f"{args.exercise}: {args.runs} solved notebooks, one at a time, median of {args.rounds} rounds")
    print(f"  cells in a warm shell          : {cells:7.1f} ms per notebook")
    print(f"  sandbox, setup in each child   : {a:7.1f} ms per submission (overhead {a - cells:6.1f} ms)")
    print(f"  sandbox, setup once before fork: {b:7.1f} ms per submission (overhead {b - cells:6.1f} ms)")
    print(f"  sandbox, a notebook of no cells: {e:7.1f} ms per submission (fork, walls, exit)")
    print(f"  overhead ratio (setup in each child / setup once): {(a - cells) / max(b - cells, 1e-9):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
