"""A scenario's plain description in the spirit of the ODD protocol (Overview, Design
concepts, Details) used to publish agent-based models."""

from __future__ import annotations

import numpy as np

from commgov.sim.categories import CATEGORY_NAMES, CATEGORY_SHARES, LEVELS
from commgov.sim.registry import make_rules
from commgov.sim.spec import ScenarioSpec
from commgov.sim.town import TownModel


def describe(scenario: ScenarioSpec) -> str:
    """The scenario in the ODD protocol's sections (``Scenario.describe()`` calls this)."""
    town, p = scenario.town, scenario.rules
    rules = make_rules(p)
    owners = rules.triage(np.arange(len(CATEGORY_NAMES)))
    categories = ", ".join(
        f"{name} ({share:.0%}, {LEVELS[int(owner)]})"
        for name, share, owner in zip(CATEGORY_NAMES, CATEGORY_SHARES, owners, strict=True)
    )
    deadlines = dict(zip(LEVELS, rules.deadline_by_level, strict=True))
    if p.points_enabled:
        incentive = (
            f" + {p.incentive_gain} x min(points, {p.points_cap}) / {p.points_cap};"
            f" {rules.points_for('volunteer_day')} points a day served,"
            f" {rules.points_for('true_report')} for a report that proved true"
        )
        rewards = (
            f"residents with {p.redeem_threshold}+ points redeem a {p.reward_price}-point"
            f" reward with chance {p.redeem_chance} a day"
        )
    else:
        incentive, rewards = " (points off)", "none (points off)"
    bank = (
        f"{p.hours_per_service} hours banked per day served in a grid with elders"
        if p.time_bank_enabled
        else "off"
    )
    schedule = [f"   {i}. {name}" for i, name in enumerate(TownModel.processes, 1)]
    return "\n".join(
        [
            f"Scenario {scenario.name!r}: {scenario.days} days, seed {scenario.seed}.",
            "",
            "1. Purpose: how grid capacity, points (积分) and the time bank (时间银行) shape",
            "   case handling and volunteering in a town.",
            "2. Entities and state:",
            f"   - {town.residents} residents, {town.grids} grids, {town.communities} communities;",
            f"     each has a grid, points, banked hours; {town.elder_share:.0%} are elders.",
            f"   - grid workers: {town.workers_per_grid} per grid, {town.worker_capacity} cases"
            f" a day each; community offices {town.community_capacity}/day;"
            f" town {town.town_capacity}/day.",
            "   - open cases: grid, owner level, category, reporter, day reported, deadline.",
            "3. Process overview and schedule (each day, in this order):",
            *schedule,
            "4. Design concepts:",
            f"   - reports: chance {p.p_report} x (1 - {p.patrol_effect} x yesterday's volunteer",
            "     share of the grid), clamped at 0 (the patrol effect);",
            f"   - triage ({p.rules} rules): {categories};",
            f"   - deadlines by level (days): {deadlines}; a case past its deadline goes up one",
            "     level; past the town, out to the county;",
            "   - handling: each queue closes up to its capacity a day, oldest first;",
            f"     reporters are satisfied with chance {p.base_satisfaction} -"
            f" {p.satisfaction_decay} x days waited;",
            f"     {p.reopen_share:.0%} of dissatisfied cases reopen;",
            f"   - volunteering: chance {p.base_volunteer}{incentive};",
            f"   - rewards: {rewards};",
            f"   - time bank: {bank};",
            "   - stochasticity: one random stream per process, derived from the seed and the",
            "     process name, so adding a process does not change the others' draws.",
            "5. Observation: daily reported, open, resolved, escalated, volunteers, the three",
            "   rates (response, resolution, satisfaction), points issued/redeemed/held, hours",
            "   banked; per community: reported, resolved, volunteers.",
        ]
    )
