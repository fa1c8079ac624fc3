"""A community-life season in the demo town, January to March 2026, through the public
services: every community publishes its resources (a room booked whole, a ground of many
places shared with the other communities, tool boxes, a hall whose bookings are reviewed) and
residents book them week by week, the choirs' rehearsals four weeks at a time; the party tree
is laid over the grids and residents report to their branch (党员双报到); each community's
volunteer team (serving the neighbouring community too) and choir or drum team hold an
activity every week, residents sign up, attendance is taken, and volunteering pays points
and time-bank minutes.

Every step is a job at a moment of the season; the jobs run in time order with the store's
clock set to each one's moment (restored after), and every choice comes from one seeded random
generator, so a seed gives the same season."""

from commgov.demo.community.plan import SEASON_END, SEASON_START, CommunityPlan
from commgov.demo.community.run import CommunityLife, run_community

__all__ = [
    "SEASON_END",
    "SEASON_START",
    "CommunityLife",
    "CommunityPlan",
    "run_community",
]
