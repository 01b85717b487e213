"""The package's import graph, counting imports inside functions and under TYPE_CHECKING too: no
module reaches back into one that imports it (no circles), and the records at the bottom (`models`,
`text`) import nothing of the package.

`python tests/test_imports.py` prints the graph's size and any circles, for a before-and-after.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "courseware"
BOTTOM = ("courseware.models", "courseware.text")


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (the wheel's copy of the data left out)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "public" in path.relative_to(PACKAGE).parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports, anywhere in its code."""
    mods = modules()
    edges: dict[str, set[str]] = {}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join([*base, *([node.module] if node.module else [])])
                for alias in node.names:
                    full = f"{target}.{alias.name}"
                    deps.add(full if full in mods else target)
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
        edges[name] = {d for d in deps if d in mods and d != name}
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_one_that_imports_it():
    assert circles(graph()) == []


def test_the_records_at_the_bottom_import_nothing_of_the_package():
    edges = graph()
    assert {m: sorted(edges[m]) for m in BOTTOM if edges[m]} == {}


def test_the_graph_sees_function_level_imports():
    # release imports the edition's modules inside a function: the graph must count that edge
    assert "courseware.edition.chapter_notebooks" in graph()["courseware.release"]


if __name__ == "__main__":
    edges = graph()
    print(f"{len(edges)} modules, {sum(map(len, edges.values()))} imports between them")
    print("circles:", circles(edges) or "none")
