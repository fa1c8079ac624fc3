"""The rules a scenario can name: registered ``Rules`` classes, and installed town plugins as
``plugin:<name>``."""

from __future__ import annotations

from typing import TypeVar

from commgov.errors import ValidationError
from commgov.sim.plugin_rules import plugin_rules
from commgov.sim.rules import GridFirstRules, Rules
from commgov.sim.spec import RuleParams

R = TypeVar("R", bound=Rules)

REGISTRY: dict[str, type[Rules]] = {Rules.name: Rules, GridFirstRules.name: GridFirstRules}


def register_rules(rules: type[R]) -> type[R]:
    """Make a ``Rules`` subclass available to scenarios by its ``name`` (usable as decorator)."""
    REGISTRY[rules.name] = rules
    return rules


def make_rules(params: RuleParams) -> Rules:
    """The rules a scenario names: a registered class, or ``plugin:<name>`` for an installed
    town plugin (see ``commgov.sim.plugin_rules``)."""
    from_plugin = plugin_rules(params)
    if from_plugin is not None:
        return from_plugin
    try:
        return REGISTRY[params.rules](params)
    except KeyError:
        raise ValidationError(
            "rules", params.rules, f"known: {', '.join(sorted(REGISTRY))}"
        ) from None
