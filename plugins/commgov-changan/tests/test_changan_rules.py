"""Chang'an's topics, points table, honours and referral rules, as plain values."""

from __future__ import annotations

import pytest

import commgov
from commgov.testing import check_plugin
from commgov_changan import ReportPoints, plugin, points, referral, reports, topics, vocab


def info(channel: str = "resident", level: str = "community", **more: object) -> commgov.CaseInfo:
    fields: dict[str, object] = {
        "id": 7,
        "unit_code": "441900119001001",
        "unit_path": "/1/2/3/4/",
        "channel": channel,
        "category": "order",
        "severity": "normal",
        "owner_level": level,
    }
    return commgov.CaseInfo(**(fields | more))  # type: ignore[arg-type]


def staff(ref: str, role: str, level: str) -> commgov.Candidate:
    core = "community_staff" if role == vocab.SOCIAL_WORKER else role
    return commgov.Candidate(commgov.Lead("staff", ref), core, "u", level, role)


def department(code: str, kind: str, level: str) -> commgov.Candidate:
    return commgov.Candidate(commgov.Lead("department", code), kind, "u", level, kind)


CANDIDATES = [
    staff("1", "grid_worker", "grid"),
    staff("2", "community_staff", "community"),
    department("CA-police-county", "police", "county"),
    department("CA-police", "police", "town"),
    department("CA-wuye", vocab.PROPERTY_COMPANY, "community"),
    department("CA-housing", "housing", "town"),
    staff("9", vocab.SOCIAL_WORKER, "town"),
    staff("3", vocab.SOCIAL_WORKER, "community"),
]


def test_the_plugins_are_valid() -> None:
    assert check_plugin(plugin) == "changan"
    assert check_plugin(ReportPoints(None)) == vocab.REPORT_POINTS  # type: ignore[arg-type]


def test_topics_cover_every_kind_and_sit_under_registered_parents() -> None:
    found = plugin.commgov_opinion_topics()
    codes = {t.code for t in found}
    assert len(codes) == len(found)
    assert all(t.parent in (None, *topics.CORE_PARENTS) or t.parent in codes for t in found)
    assert {t.kind for t in found} == {
        "help", "information", "complaint", "suggestion", "praise", "other"
    }  # fmt: skip
    assert {"information.legal", "other.chat", "tip.fraud"} <= codes
    assert found == list(topics.TOPICS)


def test_points_reward_reports_tip_offs_and_ideas_above_the_core() -> None:
    table = plugin.commgov_points_table()
    assert table[points.TRUE_REPORT].points == 10 and table[points.TIP_OFF].points == 20
    assert {"neighbour_help", "volunteer", "suggestion_accepted", "waste_sorting"} <= set(table)
    tiers = plugin.commgov_honour_tiers()
    assert [t.lifetime_points for t in tiers] == [100, 500, 2000]


@pytest.mark.parametrize(
    ("channel", "rating", "pays"),
    [
        ("resident", 5, True),
        ("resident", 3, True),
        ("resident", 2, False),
        ("resident", None, False),
        ("grid_visit", 5, False),
        ("sensor", 5, False),
    ],
)
def test_which_closed_cases_pay(channel: str, rating: int | None, pays: bool) -> None:
    assert reports.earns(channel, rating) is pays


def test_a_resident_report_goes_to_the_community_unless_critical_or_higher() -> None:
    order = commgov.CategorySpec("order", "治安", "police")
    county = commgov.CategorySpec("order.gang", "涉黑", "police", "county")
    assert referral.triage(info(level="grid"), order) == commgov.Triage("community")
    assert referral.triage(info(level="grid"), None) == commgov.Triage("community")
    assert referral.triage(info(level="grid", severity="critical"), order) is None
    assert referral.triage(info(level="grid"), county) is None
    assert referral.triage(info("grid_visit", "grid"), order) is None


def test_the_nearest_social_worker_leads_and_departments_of_the_kind_co_operate() -> None:
    routed = referral.route(info(), CANDIDATES, "police")
    assert routed == commgov.Routing(commgov.Lead("staff", "3"), ("CA-police",))
    assert referral.route(info("grid_visit"), CANDIDATES, "police") == routed


def test_property_matters_summon_the_property_company_too() -> None:
    routed = referral.route(info(category="dispute.property"), CANDIDATES, "housing")
    assert routed is not None
    assert routed.co_operators == ("CA-housing", "CA-wuye")


def test_the_referral_passes_where_it_does_not_apply() -> None:
    assert referral.route(info(level="grid"), CANDIDATES, "police") is None
    assert referral.route(info("hotline"), CANDIDATES, "police") is None
    no_worker = [c for c in CANDIDATES if c.role != vocab.SOCIAL_WORKER]
    assert referral.route(info(), no_worker, "police") is None


def test_stages_of_the_loop() -> None:
    assert [referral.stage(s) for s in ("accepted", "dispatched", "in_progress", "informed")] == [
        vocab.REPORTED,
        vocab.REFERRED,
        vocab.COORDINATED,
        vocab.FED_BACK,
    ]
    assert referral.stage("withdrawn") is None
    assert set(referral.STAGE_OF_STATE.values()) == set(vocab.STAGES)
