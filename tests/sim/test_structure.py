"""The simulation's modules form a DAG, with every import at the top of its module."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import commgov.sim

SIM_SOURCES = Path(commgov.sim.__file__).parent
DEFERRED = {"matplotlib", "matplotlib.pyplot"}
"""Imported when a plot is drawn (``plots._pyplot``): optional, and slower to import than the
rest of the package. Nothing of ``commgov`` is ever imported inside a function."""


def _module(path: Path) -> str:
    return "commgov.sim" if path.stem == "__init__" else f"commgov.sim.{path.stem}"


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.module:
        return [node.module]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return []


def _top_level(tree: ast.Module) -> list[ast.stmt]:
    """The module's own statements, with those under ``if TYPE_CHECKING:``."""
    found: list[ast.stmt] = []
    for node in tree.body:
        found.append(node)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            found.extend(node.body)
    return found


def test_every_import_is_at_the_top_of_its_module() -> None:
    for path in SIM_SOURCES.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(node) for node in _top_level(tree)}
        for node in ast.walk(tree):
            names = _imported(node)
            if names and id(node) not in top:
                assert set(names) <= DEFERRED, f"{path.name}:{node.lineno} imports {names}"


def test_the_modules_import_each_other_without_cycles() -> None:
    """Every import counts here, ``TYPE_CHECKING`` ones too; importing the package itself from
    one of its modules would be a cycle (``__init__`` imports them all)."""
    graph: dict[str, set[str]] = {}
    for path in SIM_SOURCES.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[_module(path)] = {
            name
            for node in ast.walk(tree)
            for name in _imported(node)
            if name == "commgov.sim" or name.startswith("commgov.sim.")
        }
    assert set().union(*graph.values()) <= set(graph)  # every import names a module here
    order = list(graphlib.TopologicalSorter(graph).static_order())  # CycleError on a cycle
    assert order[-1] == "commgov.sim"
