"""Every hook is documented in docs/plugins.md and has a test named after it."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from commgov.capabilities import SPEC_MODULES

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(
    name
    for module in SPEC_MODULES
    for name, _ in inspect.getmembers(module, inspect.isfunction)
    if name.startswith("commgov_")
)


def test_there_are_hooks() -> None:
    assert "commgov_permission" in HOOKS


def test_every_hook_is_documented() -> None:
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#### (commgov_\w+)$", docs, re.M))
    assert set(HOOKS) - headings == set(), "hooks missing from docs/plugins.md"
    assert headings - set(HOOKS) == set(), "docs/plugins.md documents hooks that do not exist"


def test_every_hook_has_a_test() -> None:
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py"))
    tests += "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "plugins").rglob("test_*.py"))
    missing = [h for h in HOOKS if f"def test_hook_{h}" not in tests]
    assert missing == [], "hooks without a test_hook_<name> test"


def _documented_signatures() -> dict[str, str]:
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    found = re.findall(r"^#### (commgov_\w+)\n\n`(commgov_\w+\([^`]*\) -> [^`]+)`", docs, re.M)
    return {name: line for name, line in found if line.startswith(name + "(")}


def _spec_line(function: object) -> str:
    signature = inspect.signature(function)  # type: ignore[arg-type]
    returned = str(signature.return_annotation).replace("dt.", "")
    return f"{function.__name__}({', '.join(signature.parameters)}) -> {returned}"  # type: ignore[attr-defined]


def test_every_documented_signature_matches_the_spec() -> None:
    """The first line under each hook's heading gives its parameters and return type exactly
    as the specification declares them (modules use postponed annotations: text compares)."""
    documented = _documented_signatures()
    assert set(documented) == set(HOOKS), "each hook's heading is followed by its signature"
    specs = {
        name: function
        for module in SPEC_MODULES
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if name.startswith("commgov_")
    }
    wrong = {
        name: (documented[name], _spec_line(specs[name]))
        for name in HOOKS
        if documented[name] != _spec_line(specs[name])
    }
    assert wrong == {}, "docs/plugins.md signature (left) differs from the spec (right)"


def test_docs_pages_named_in_the_code_exist() -> None:
    """Every ``docs/<page>.md`` a module's text refers to is a page of the docs."""
    sources = [*ROOT.glob("src/**/*.py"), *ROOT.glob("plugins/*/src/**/*.py")]
    named = {
        page
        for source in sources
        for page in re.findall(r"docs/([\w-]+\.md)", source.read_text(encoding="utf-8"))
    }
    assert named, "the code refers to its docs somewhere"
    assert {page for page in named if not (ROOT / "docs" / page).exists()} == set()
