"""The packages of radar import each other without cycles, only as docs/architecture.md's package map allows,
and each package says the same in its docstring.

The graph is read from the source (ast), every import counted wherever it stands: module scope, inside a
function, under TYPE_CHECKING. A node is a top-level package or module of radar (radar.checks, radar.cnpj).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RADAR = REPO / "layers" / "radar" / "python" / "radar"
ARCHITECTURE = REPO / "docs" / "architecture.md"
_MAP_ROW = re.compile(r"^\|\s*`radar\.(\w+)`\s*\|[^|]*\|([^|]*)\|\s*$")


def _node_of(path: Path) -> str:
    return path.relative_to(RADAR).parts[0].removesuffix(".py")


def _imported_radar_names(tree: ast.AST, package: str) -> set[str]:
    """Top-level radar names an ast imports, relative imports resolved against `package` (the file's package)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from radar import x` imports the node x; `from radar.x import y` imports x.
            modules = [f"{base}.{alias.name}" for alias in node.names] if base == "radar" else [base]
        for module in modules:
            parts = module.split(".")
            if parts[0] == "radar" and len(parts) > 1:
                found.add(parts[1])
    return found


def import_graph() -> dict[str, set[str]]:
    """node -> the other nodes it imports."""
    graph: dict[str, set[str]] = {}
    for path in sorted(RADAR.rglob("*.py")):
        node = _node_of(path)
        if node == "__init__":
            continue
        package = ".".join(("radar", *path.relative_to(RADAR).with_suffix("").parts[:-1]))
        if path.name == "__init__.py":
            package = ".".join(("radar", *path.relative_to(RADAR).parts[:-1]))
        imported = _imported_radar_names(ast.parse(path.read_text(encoding="utf-8")), package)
        graph.setdefault(node, set()).update(imported - {node})
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def documented_imports() -> dict[str, set[str]]:
    """The package map of docs/architecture.md: node -> what it may import (`—` for nothing)."""
    allowed: dict[str, set[str]] = {}
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        row = _MAP_ROW.match(line)
        if row:
            allowed[row.group(1)] = set(re.findall(r"`(\w+)`", row.group(2)))
    return allowed


def test_the_cycle_finder_finds_a_cycle_and_only_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_reads_function_level_and_relative_imports() -> None:
    tree = ast.parse("def f():\n    from radar.store import x\n    from ..lookup import y\n    from . import z\n")
    assert _imported_radar_names(tree, "radar.checks") == {"store", "lookup", "checks"}


def test_no_two_packages_of_radar_import_each_other() -> None:
    assert cycles(import_graph()) == []


def test_every_package_is_in_the_package_map_and_imports_only_what_it_allows() -> None:
    graph, allowed = import_graph(), documented_imports()
    assert sorted(set(graph) - set(allowed)) == [], "add these to the package map in docs/architecture.md"
    assert sorted(set(allowed) - set(graph)) == [], "the package map names packages that do not exist"
    undeclared = {node: sorted(graph[node] - allowed[node]) for node in graph if graph[node] - allowed[node]}
    assert undeclared == {}


@pytest.mark.parametrize("package", sorted(p.parent.name for p in RADAR.glob("*/__init__.py")))
def test_each_package_docstring_says_what_it_may_import(package: str) -> None:
    docstring = ast.get_docstring(ast.parse((RADAR / package / "__init__.py").read_text(encoding="utf-8"))) or ""
    stated = re.search(r"^Imports:(.*?)(?:\n\n|\Z)", docstring, re.MULTILINE | re.DOTALL)
    assert stated, f"radar.{package}'s docstring has no `Imports: ...` line"
    assert set(re.findall(r"\w+", stated.group(1))) - {"nothing"} == documented_imports()[package]
