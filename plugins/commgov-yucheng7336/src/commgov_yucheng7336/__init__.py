"""Chengguan town's 7336 method (虞城县城关镇"7336"工作法) as a commgov plugin.

Enable it on a town: ``store.enable_plugins(admin, town_code, ["yucheng7336"])``."""

from commgov_yucheng7336 import plugin, vocab

__all__ = ["plugin", "vocab"]
