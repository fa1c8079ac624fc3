"""A participation season in the demo town, July to September 2025, through the public
services: micro-wishes (微心愿) posted, triaged, matched, fulfilled, adopted and expired; service
orders through 点单 → 派单 → 接单 → 评单; a service point in every comprehensive grid logging two
months of visits for the opinion board (民意感知器).

Every step is a job at a moment of the season; the jobs run in time order with the store's
clock set to each one's moment (restored after), and every choice comes from one seeded random
generator, so a seed gives the same season."""

from commgov.demo.participation.plan import SEASON_END, SEASON_START, ParticipationPlan
from commgov.demo.participation.run import Participation, run_participation, wish_rows

__all__ = [
    "SEASON_END",
    "SEASON_START",
    "Participation",
    "ParticipationPlan",
    "run_participation",
    "wish_rows",
]
