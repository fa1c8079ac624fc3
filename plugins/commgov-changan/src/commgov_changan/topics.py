"""民意感知器: the topics Chang'an's service points log visits under.

A service point hears far more than complaints: it prints and copies documents, runs errands
(业务代办), answers policy questions, and its social workers chat with residents (拉家常);
residents also bring tip-offs about public order (治安线索), which 群防群治 relies on. The core's
topics (help, help.printing, help.errand, help.elderly, information, information.policy,
complaint, complaint.environment, complaint.property, complaint.safety, suggestion, praise,
other) already name much of it; the plugin adds its own sub-topics under them and the
tip-offs, and leaves the core's labels as they are (the topic list is shared by the store)."""

from __future__ import annotations

from typing import Final

from commgov import OpinionTopic

CORE_PARENTS: Final = ("help", "information", "complaint", "suggestion", "praise", "other")
"""The core's top-level topics this plugin's sub-topics sit under."""

TOPICS: Final = (
    OpinionTopic("help.neighbour", "有难大家帮 neighbours helped in difficulty", "help"),
    OpinionTopic("information.household", "户籍与居住证 household and residence papers",
                 "information"),
    OpinionTopic("information.legal", "法律咨询 legal questions", "information"),
    OpinionTopic("complaint.fire", "消防隐患 fire hazards", "complaint"),
    OpinionTopic("complaint.neighbour", "邻里矛盾 neighbour disputes", "complaint"),
    OpinionTopic("suggestion.security", "群防群治建议 ideas for keeping the estate safe",
                 "suggestion"),
    OpinionTopic("suggestion.activity", "社区活动建议 ideas for community activities",
                 "suggestion"),
    OpinionTopic("praise.volunteer", "表扬志愿者 praise for volunteers", "praise"),
    OpinionTopic("tip", "治安线索 tip-offs about public order", "other"),
    OpinionTopic("tip.suspicious", "可疑人员 suspicious people", "other"),
    OpinionTopic("tip.fraud", "诈骗线索 fraud", "other"),
    OpinionTopic("other.chat", "拉家常 a chat with a social worker", "other"),
)  # fmt: skip
"""Chang'an's own topics: sub-topics under the core's, and the tip-offs with theirs."""
