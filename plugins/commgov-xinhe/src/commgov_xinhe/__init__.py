"""Xinhe community's rules (坪山街道新和社区: 三事分流, points, 社区合伙人) as a commgov plugin.

Enable it on a town: ``store.enable_plugins(admin, town_code, ["xinhe"])``."""

from commgov_xinhe import plugin

__all__ = ["plugin"]
