"""Typed, checked calls to a town plugin named in a scenario (``plugin:<name>``).

The store asks a unit's plugins; a simulation asks one plugin by name, whatever units enable
it. ``for_plugin`` gives a host on which that plugin applies everywhere, so the capabilities'
own checked calls (``commgov.cases.calls.CaseRules``, ``commgov.ledger.calls.points_table``)
work on it unchanged at the unit path ``EVERYWHERE``; the category registry comes from
``commgov.cases.calls.categories``, as the case engine builds it."""

from __future__ import annotations

from typing import Final

from commgov.kernel.host import PluginHost

EVERYWHERE: Final = ""
"""The unit path to ask a host from ``for_plugin``: its plugin applies at every unit."""


def for_plugin(host: PluginHost, name: str) -> PluginHost:
    """A host holding the core defaults and the plugin ``name`` of ``host`` (a ``PluginError``
    when it is not installed), applying it everywhere as ``commgov.open(plugins=[...])``
    would."""
    plugin = host.require(name)
    return PluginHost(host.hooks, [plugin], discover_installed=False)
