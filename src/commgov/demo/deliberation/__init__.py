"""A deliberation season in the demo town, October to December 2025, through the public
services: every community's neighbourhood council (邻里议事会) seated for three years; its
monthly meetings taking topics from residents, staff and the summer's suggestions
(micro-wishes), with registrations, check-ins by code, minutes and resolutions followed by
department tasks, votes and projects; each compound's households voting on its
micro-renovation (and in one compound its owners under Civil Code art. 278); the
micro-renovations carried out as projects, funded, advanced, finished and rated.

Every step is a job at a moment of the season; the jobs run in time order with the store's
clock set to each one's moment (restored after), and every choice comes from one seeded random
generator, so a seed gives the same season."""

from commgov.demo.deliberation.plan import SEASON_END, SEASON_START, DeliberationPlan
from commgov.demo.deliberation.run import Deliberation, run_deliberation

__all__ = [
    "SEASON_END",
    "SEASON_START",
    "Deliberation",
    "DeliberationPlan",
    "run_deliberation",
]
