"""The guarantees page (``docs/guarantees.md``) names real tests: every ``tests/….py::name``
it cites is a file that defines that test — a function, a class (``::Class::method`` for a
method), or a module-level name bound to a test class, as hypothesis' ``Machine.TestCase`` is."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "guarantees.md"
CITED = re.compile(r"`(tests/[^`\s]+?\.py)::([^`\s]+)`")
PARAMETRIZED = re.compile(r"`tests/[^`\s]+?\.py::[^`\s]*\[")
Scope = ast.Module | ast.ClassDef


def citations() -> list[tuple[str, str]]:
    """Every ``(file, name)`` the page cites, in page order."""
    return CITED.findall(PAGE.read_text(encoding="utf-8"))


@functools.cache
def module(path: str) -> ast.Module:
    return ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=path)


def names_in(scope: Scope) -> dict[str, Scope | None]:
    """The names ``scope`` defines, each with the class it opens (``None`` for the others)."""
    found: dict[str, Scope | None] = {}
    for node in scope.body:
        if isinstance(node, ast.ClassDef):
            found[node.name] = node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[node.name] = None
        elif isinstance(node, ast.Assign):
            found.update({t.id: None for t in node.targets if isinstance(t, ast.Name)})
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found[node.target.id] = None
    return found


def defines(path: str, name: str) -> bool:
    """Does the file at ``path`` define ``name`` (``Class::method`` looks inside the class)?"""
    scope: Scope | None = module(path)
    for part in name.split("::"):
        if scope is None or part not in (here := names_in(scope)):
            return False
        scope = here[part]
    return True


def test_every_cited_test_exists() -> None:
    absent = [
        f"{path}::{name}"
        for path, name in citations()
        if not (ROOT / path).is_file() or not defines(path, name)
    ]
    assert absent == []


def test_citations_name_tests_without_parameter_ids() -> None:
    assert PARAMETRIZED.findall(PAGE.read_text(encoding="utf-8")) == []


def test_the_page_names_at_least_25_tests() -> None:
    found = set(citations())
    assert len(found) >= 25, len(found)
    assert len(found) == len(citations()), "a test is cited twice"


def test_the_check_refuses_what_a_file_does_not_define() -> None:
    here = "tests/docs/test_guarantees.py"
    assert defines(here, "test_every_cited_test_exists")
    assert defines(here, "CITED")
    assert not defines(here, "test_that_was_never_written")
    assert not defines(here, "test_every_cited_test_exists::inner")
    assert defines("tests/ledger/test_ledger_machine.py", "LedgerMachine::teardown")
    assert defines("tests/ledger/test_ledger_machine.py", "TestLedgerOnSQLite")
