"""Xinhe community's rules (坪山街道新和社区: 三事分流, points, 社区合伙人) as a commgov plugin.

Enable it on a town: ``store.enable_plugins(admin, town_code, ["xinhe"])``."""

from commgov_xinhe import partners, plugin, points, talents, three_matters, vocab
from commgov_xinhe.three_matters import matter_class

__all__ = ["matter_class", "partners", "plugin", "points", "talents", "three_matters", "vocab"]
