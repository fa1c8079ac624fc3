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
