"""The opinion-board hook: topics come from every available plugin, checked and cached."""

from __future__ import annotations

import pytest
from tests.conftest import NOW, build_town

import commgov
from commgov.opinions.model.rules import OpinionTopic


class ChangAnTopics:
    commgov_plugin_name = "test_changan_topics"

    @commgov.hookimpl
    def commgov_opinion_topics(self) -> list[OpinionTopic]:
        return [
            OpinionTopic("complaint.noise", "噪音扰民 noise", "complaint"),
            OpinionTopic("praise", "表扬 thanks and praise", "praise"),
            OpinionTopic("chat", "拉家常 a chat", "other"),
        ]


def test_hook_commgov_opinion_topics() -> None:
    with commgov.open(
        "sqlite:///:memory:", plugins=[ChangAnTopics()], discover_plugins=False, clock=lambda: NOW
    ) as cg:
        town = build_town(cg)
        topics = {t.code: t for t in cg.opinions.topics()}
        assert topics["complaint.noise"].parent == "complaint"
        assert topics["praise"].label == "表扬 thanks and praise"  # a later plugin wins
        assert {"help.elderly", "information.policy", "chat"} <= set(topics)
        point = cg.opinions.add_point(town.admin, unit=town.grid_a1, name="服务点")
        visit = cg.opinions.log(
            town.admin, point_id=point.id, topic="complaint.noise", note="夜里装修"
        )
        assert visit.topic == "complaint.noise"
        (line,) = (
            cg.opinions.board(town.admin, town.community_a, year=2025, month=6).communities[0].lines
        )
        assert (line.topic, line.label, line.kind) == (
            "complaint.noise",
            "噪音扰民 noise",
            "complaint",
        )


def test_a_topic_without_its_parent_is_a_plugin_error() -> None:
    class Orphan:
        commgov_plugin_name = "orphan_topics"

        @commgov.hookimpl
        def commgov_opinion_topics(self) -> list[OpinionTopic]:
            return [OpinionTopic("noise.night", "夜间噪音", "complaint")]

    with (
        commgov.open("sqlite:///:memory:", plugins=[Orphan()], discover_plugins=False) as cg,
        pytest.raises(commgov.PluginError, match="no parent 'noise'"),
    ):
        cg.opinions.topics()


def test_an_answer_of_the_wrong_type_names_the_hook() -> None:
    class Wrong:
        commgov_plugin_name = "wrong_topics"

        @commgov.hookimpl
        def commgov_opinion_topics(self) -> list[OpinionTopic]:
            return {"noise": "噪音"}  # type: ignore[return-value]

    with (
        commgov.open("sqlite:///:memory:", plugins=[Wrong()], discover_plugins=False) as cg,
        pytest.raises(commgov.PluginError, match="commgov_opinion_topics"),
    ):
        cg.opinions.topics()


def test_topics_are_cached_until_a_plugin_is_added() -> None:
    with commgov.open("sqlite:///:memory:", discover_plugins=False) as cg:
        assert "chat" not in {t.code for t in cg.opinions.topics()}
        cg.add_plugin(ChangAnTopics())
        assert "chat" in {t.code for t in cg.opinions.topics()}
