"""Examples and town plugins reach the library through its public modules only (the import
contracts in pyproject.toml, run by `make test` as `lint-imports`, hold the rest)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = {"commgov", "commgov.api", "commgov.sim", "commgov.testing", "commgov.errors"}


def _commgov_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "commgov")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "commgov":
            found.add(str(node.module))
    return found


def test_examples_and_plugins_import_only_public_modules() -> None:
    files = [*ROOT.glob("examples/*.py"), *ROOT.glob("plugins/*/src/**/*.py")]
    assert len(files) > 10
    private = {str(f.relative_to(ROOT)): _commgov_imports(f) - PUBLIC for f in files}
    assert {f: names for f, names in private.items() if names} == {}


def test_public_subpackages_have_a_curated_all() -> None:
    import commgov.api
    import commgov.sim
    import commgov.testing

    for module in (commgov.api, commgov.sim, commgov.testing):
        exported = module.__all__
        key = sorted(exported, key=lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n))
        assert exported == key, f"{module.__name__}.__all__ is not sorted"
        assert all(hasattr(module, name) for name in exported)
