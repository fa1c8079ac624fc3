"""Chang'an's service points (长安镇群防群治服务点) as a commgov plugin: the opinion board's
topics (民意感知器), points and honours for residents who report (积分 + 荣誉表彰), and the
referral loop 居民自主上报—社工专业转介—部门协同处理—结果及时反馈 on the case loop.

Enable it on a town: ``store.enable_plugins(admin, town_code, ["changan"])``; to pay
reporters as their cases close, add ``ReportPoints(store)`` and enable it beside."""

from commgov_changan import plugin, points, referral, reports, topics, vocab
from commgov_changan.reports import ReportPoints, award

__all__ = [
    "ReportPoints",
    "award",
    "plugin",
    "points",
    "referral",
    "reports",
    "topics",
    "vocab",
]
