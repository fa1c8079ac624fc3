"""The town model: cases through grid, community and town; volunteering; points; time bank.

Residents are arrays (one entry per resident); open cases are arrays (one entry per case).
Every process works on whole arrays; the town's ``Rules`` are asked once per batch.
"""

from __future__ import annotations

import numpy as np

from commgov.sim.categories import CATEGORY_SHARES, COMMUNITY, TOWN
from commgov.sim.engine import Model
from commgov.sim.registry import make_rules
from commgov.sim.spec import ScenarioSpec

_CASE_FIELDS = (
    "id", "grid", "level", "category", "reporter", "reported", "assigned", "due", "answered",
    "escalations",
)  # fmt: skip
_LOG_FIELDS = (
    "id",
    "grid",
    "category",
    "first_level",
    "reported",
    "finished",
    "escalations",
    "rating",
)


class TownModel(Model):
    processes = ("generate_cases", "handle_cases", "escalate_overdue", "volunteer", "redeem")

    def __init__(self, scenario: ScenarioSpec, *, log_cases: bool = False) -> None:
        super().__init__(scenario.seed)
        self.log_cases = log_cases
        self._log: list[dict[str, np.ndarray]] = []
        self._next_id = 0
        self._first_level = np.zeros(0, dtype=np.int32)
        self.scenario = scenario
        town, p = scenario.town, scenario.rules
        self.params = p
        self.rules = make_rules(p)
        setup = self.rng("setup")
        n, g = town.residents, town.grids
        self.grid = np.arange(n, dtype=np.int32) % g
        self.community_of_grid = (np.arange(g) * town.communities // g).astype(np.int32)
        self.residents_in_grid = np.bincount(self.grid, minlength=g)
        self.elder = setup.random(n) < town.elder_share
        self.elders_in_grid = np.bincount(self.grid[self.elder], minlength=g)
        self.points = np.zeros(n, dtype=np.int32)
        self.hours = np.zeros(n, dtype=np.int32)
        self.volunteer_p = np.full(n, p.base_volunteer, dtype=np.float32)
        self.share = np.zeros(g, dtype=np.float64)
        self.capacity = np.concatenate(
            [
                np.full(g, town.workers_per_grid * town.worker_capacity),
                np.full(town.communities, town.community_capacity),
                [town.town_capacity],
            ]
        ).astype(np.int64)
        self.cases = {name: np.zeros(0, dtype=np.int32) for name in _CASE_FIELDS}
        self.totals = dict.fromkeys(
            (
                "reported", "resolved", "on_time", "answered", "rated", "satisfied", "reopened",
                "escalated", "escalated_out", "points_issued", "points_redeemed", "hours_banked",
            ),
            0,
        )  # fmt: skip
        self.today = dict.fromkeys(("reported", "resolved", "volunteers"), 0)
        self.community_today = np.zeros((3, town.communities), dtype=np.int64)
        self._register_reporters()

    # -- processes ------------------------------------------------------------------------
    def generate_cases(self) -> None:
        p = self.params
        chance = np.maximum(p.p_report * (1.0 - p.patrol_effect * self.share), 0.0)
        draws = self.rng("report").random(self.grid.size, dtype=np.float32)
        reporters = np.flatnonzero(draws < chance[self.grid].astype(np.float32)).astype(np.int32)
        count = reporters.size
        categories = self.rng("category").choice(
            CATEGORY_SHARES.size, size=count, p=CATEGORY_SHARES
        )
        levels = self.rules.triage(categories).astype(np.int32)
        day = np.full(count, self.day, dtype=np.int32)
        ids = np.arange(self._next_id, self._next_id + count, dtype=np.int32)
        self._next_id += count
        if self.log_cases:
            self._first_level = np.concatenate([self._first_level, levels])
        new = {
            "id": ids,
            "escalations": np.zeros(count, dtype=np.int32),
            "grid": self.grid[reporters],
            "level": levels,
            "category": categories.astype(np.int32),
            "reporter": reporters,
            "reported": day,
            "assigned": day,
            "due": day + self.rules.deadline_days(levels, categories).astype(np.int32),
            "answered": np.zeros(count, dtype=np.int32),
        }
        self.cases = {k: np.concatenate([self.cases[k], new[k]]) for k in _CASE_FIELDS}
        self.totals["reported"] += count
        self.today["reported"] = count
        self.community_today[0] = self.bincount(
            self.community_of_grid[new["grid"]], self.community_today.shape[1]
        )

    def _queue_index(self) -> np.ndarray:
        """Which queue each open case waits in: its grid, its community, or the town."""
        c, g = self.cases, self.scenario.town.grids
        communities = self.scenario.town.communities
        index = c["grid"].astype(np.int64)
        at_community = c["level"] == COMMUNITY
        index[at_community] = g + self.community_of_grid[c["grid"][at_community]]
        index[c["level"] == TOWN] = g + communities
        return index

    def handle_cases(self) -> None:
        """Each queue closes up to its capacity, oldest first; reporters rate the result."""
        c = self.cases
        if c["grid"].size == 0:
            self.today["resolved"] = 0
            self.community_today[1] = 0
            return
        queue = self._queue_index()
        order = np.lexsort((c["assigned"], queue))
        sorted_queue = queue[order]
        starts = np.searchsorted(sorted_queue, sorted_queue, side="left")
        rank = np.arange(order.size) - starts
        done = np.zeros(order.size, dtype=bool)
        done[order[rank < self.capacity[sorted_queue]]] = True
        waited = self.day - c["reported"][done]
        satisfied = self.rng("rating").random(waited.size) < self.rules.satisfied_chance(waited)
        reopen = ~satisfied & (self.rng("reopen").random(waited.size) < self.params.reopen_share)
        t, p = self.totals, self.params
        t["resolved"] += int(done.sum())
        t["on_time"] += int((self.day <= c["due"][done]).sum())
        first = c["answered"][done] == 0  # a reopened case was answered the first time round
        t["answered"] += int((first & (waited <= p.response_days)).sum())
        t["rated"] += int(waited.size)
        t["satisfied"] += int(satisfied.sum())
        t["reopened"] += int(reopen.sum())
        if p.points_enabled:  # a report that proved true earns its reporter points
            reporters = c["reporter"][done][satisfied]
            self._add_points(reporters, self.rules.points_for("true_report"))
        self.today["resolved"] = int(done.sum())
        self.community_today[1] = self.bincount(
            self.community_of_grid[c["grid"][done]], self.community_today.shape[1]
        )
        if self.log_cases:  # a satisfied reporter rates 4-5, a dissatisfied one 1-2
            rating = np.where(satisfied, 4, 1) + self.rng("rating level").integers(
                0, 2, waited.size
            )
            finished = np.flatnonzero(done)[~reopen]
            self._record(finished, rating[~reopen])
        keep = ~done
        keep[np.flatnonzero(done)[reopen]] = True  # reopened cases go back into the queue
        reopened_at = np.flatnonzero(done)[reopen]
        c["assigned"][reopened_at] = self.day
        c["answered"][reopened_at] = 1
        c["due"][reopened_at] = self.day + self.rules.deadline_days(
            c["level"][reopened_at], c["category"][reopened_at]
        )
        self.cases = {k: v[keep] for k, v in c.items()}

    def escalate_overdue(self) -> None:
        """Cases past their deadline go one level up; past the town, out to the county."""
        c = self.cases
        late = c["due"] <= self.day
        if not late.any():
            return
        self.totals["escalated"] += int(late.sum())
        out = late & (c["level"] == TOWN)
        self.totals["escalated_out"] += int(out.sum())
        c["escalations"][late] += 1
        if self.log_cases:
            self._record(np.flatnonzero(out), np.zeros(int(out.sum()), dtype=np.int64))
        up = late & ~out
        c["level"][up] += 1
        c["assigned"][up] = self.day
        c["due"][up] = self.day + self.rules.deadline_days(c["level"][up], c["category"][up])
        self.cases = {k: v[~out] for k, v in c.items()}

    def volunteer(self) -> None:
        p = self.params
        went = np.flatnonzero(
            self.rng("volunteer").random(self.grid.size, dtype=np.float32) < self.volunteer_p
        )
        per_grid = self.bincount(self.grid[went], self.share.size)
        self.share = per_grid / np.maximum(self.residents_in_grid, 1)
        self.today["volunteers"] = int(went.size)
        self.community_today[2] = self.bincount(
            self.community_of_grid, self.community_today.shape[1], weights=per_grid
        ).astype(np.int64)
        if p.points_enabled:
            self._add_points(went, self.rules.points_for("volunteer_day"))
        if p.time_bank_enabled:  # service to elders is banked where the grid has elders
            serving = went[self.elders_in_grid[self.grid[went]] > 0]
            self.hours[serving] += p.hours_per_service
            self.totals["hours_banked"] += int(serving.size) * p.hours_per_service

    def redeem(self) -> None:
        p = self.params
        if not p.points_enabled or p.reward_price == 0:
            return
        able = np.flatnonzero(self.points >= max(p.redeem_threshold, p.reward_price))
        buying = able[self.rng("redeem").random(able.size) < p.redeem_chance]
        self._add_points(buying, -p.reward_price)
        self.totals["points_redeemed"] += int(buying.size) * p.reward_price

    # -- helpers --------------------------------------------------------------------------
    def _record(self, rows: np.ndarray, rating: np.ndarray) -> None:
        """Log cases leaving the model today (rating 0: left unrated, escalated out)."""
        c = self.cases
        ids = c["id"][rows]
        self._log.append(
            {
                "id": ids,
                "grid": c["grid"][rows],
                "category": c["category"][rows],
                "first_level": self._first_level[ids],
                "reported": c["reported"][rows],
                "finished": np.full(rows.size, self.day, dtype=np.int32),
                "escalations": c["escalations"][rows],
                "rating": rating.astype(np.int32),
            }
        )

    def case_log(self) -> dict[str, np.ndarray]:
        """Every case logged so far, plus those still open (``finished`` = -1)."""
        open_now = self.cases
        still = {
            "id": open_now["id"],
            "grid": open_now["grid"],
            "category": open_now["category"],
            "first_level": self._first_level[open_now["id"]],
            "reported": open_now["reported"],
            "finished": np.full(open_now["id"].size, -1, dtype=np.int32),
            "escalations": open_now["escalations"],
            "rating": np.zeros(open_now["id"].size, dtype=np.int32),
        }
        parts = [*self._log, still]
        return {k: np.concatenate([p[k] for p in parts]) for k in _LOG_FIELDS}

    def _add_points(self, who: np.ndarray, amount: int) -> None:
        if who.size == 0 or amount == 0:
            return
        np.add.at(self.points, who, amount)
        if amount > 0:
            self.totals["points_issued"] += int(who.size) * amount
        p = self.params
        capped = np.minimum(self.points[who], p.points_cap).astype(np.float32)
        self.volunteer_p[who] = p.base_volunteer + p.incentive_gain * capped / p.points_cap

    def _register_reporters(self) -> None:
        add, t = self.collector.add_reporter, self.totals
        add("reported", lambda m: self.today["reported"])
        add("open_cases", lambda m: self.cases["grid"].size)
        add("resolved", lambda m: t["resolved"])
        add("escalated", lambda m: t["escalated"])
        add("volunteers", lambda m: self.today["volunteers"])
        add("response_rate", lambda m: _rate(t["answered"], t["reported"]))
        add("resolution_rate", lambda m: _rate(t["on_time"], t["resolved"] + t["escalated"]))
        add("satisfaction_rate", lambda m: _rate(t["satisfied"], t["rated"]))
        add("points_issued", lambda m: t["points_issued"])
        add("points_redeemed", lambda m: t["points_redeemed"])
        add("points_held", lambda m: int(self.points.sum()))
        add("hours_banked", lambda m: t["hours_banked"])
        self.collector.add_table(
            "communities",
            lambda m: {
                "community": np.arange(self.community_today.shape[1]),
                "reported": self.community_today[0].copy(),
                "resolved": self.community_today[1].copy(),
                "volunteers": self.community_today[2].copy(),
            },
        )


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")
