"""Hook specifications, one module per capability. Every hook is documented in
``docs/plugins.md`` and has a ``test_hook_<name>`` test."""

from types import ModuleType

from commgov.plugins.specs import cases, core, ledger

SPEC_MODULES: tuple[ModuleType, ...] = (core, cases, ledger)

__all__ = ["SPEC_MODULES"]
