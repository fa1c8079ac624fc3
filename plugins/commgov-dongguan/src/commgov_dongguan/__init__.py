"""Dongguan's micro-governance (东莞微治理) as a commgov plugin: the wish categories and the
three tiers with their timetable, the 49-item public service catalogue, the four-level network
市—镇—村(社区)—网格.

Enable it on a town: ``store.enable_plugins(admin, town_code, ["dongguan"])``."""

from commgov_dongguan import catalogue, network, plugin, vocab, wishes
from commgov_dongguan.network import Network, build_network, levels

__all__ = [
    "Network",
    "build_network",
    "catalogue",
    "levels",
    "network",
    "plugin",
    "vocab",
    "wishes",
]
