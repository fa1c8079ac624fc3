"""Chengguan town's 7336 method (虞城县城关镇"7336"工作法) as a commgov plugin.

Enable it on a town: ``store.enable_plugins(admin, town_code, ["yucheng7336"])``. To count a
grid council's closed meetings as 开好一会, add ``GridMeetings(store)`` and enable it beside."""

from commgov_yucheng7336 import plugin, vocab
from commgov_yucheng7336.meetings import GridMeetings

__all__ = ["GridMeetings", "plugin", "vocab"]
