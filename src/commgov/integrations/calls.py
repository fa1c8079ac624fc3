"""Typed calls of the integration hooks."""

from __future__ import annotations

from commgov.kernel.calls import expect
from commgov.kernel.host import PluginHost
from commgov.kernel.outbox import StoredEvent


def forwarders(plugins: PluginHost) -> list[str]:
    """The available plugins (the core's excepted) that implement ``commgov_event``, by name."""
    implementations = plugins.registry.commgov_event.get_hookimpls()
    core = set(plugins.hooks.core)
    return sorted({i.plugin_name for i in implementations if i.plugin_name not in core})


def forward(plugins: PluginHost, plugin: str, event: StoredEvent) -> None:
    """Hand ``event`` to one plugin's ``commgov_event`` (its answer must be ``None``)."""
    answers = plugins.rules_for([plugin]).commgov_event(event=event)
    for answer in answers:
        expect(answer, type(None), "commgov_event")
