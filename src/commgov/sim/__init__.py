"""Simulation of towns and cities (``pip install commgov[sim]``): vectorised, reproducible.

from commgov.sim import Scenario, simulate
result = simulate(Scenario(days=90))
result.series        # one row per day (pandas)
"""

from commgov.sim.collector import DataCollector
from commgov.sim.engine import Model
from commgov.sim.plots import plot_compare, plot_series
from commgov.sim.reference import ReferenceModel, ReferenceParams, run_reference
from commgov.sim.registry import register_rules
from commgov.sim.rules import GridFirstRules, Rules
from commgov.sim.run import SimulationResult, simulate
from commgov.sim.scenario import RuleParams, Scenario, TownSpec
from commgov.sim.streams import Streams
from commgov.sim.sweep import replication_seed, sweep
from commgov.sim.town import TownModel

__all__ = [
    "DataCollector",
    "GridFirstRules",
    "Model",
    "ReferenceModel",
    "ReferenceParams",
    "RuleParams",
    "Rules",
    "Scenario",
    "SimulationResult",
    "Streams",
    "TownModel",
    "TownSpec",
    "plot_compare",
    "plot_series",
    "register_rules",
    "replication_seed",
    "run_reference",
    "simulate",
    "sweep",
]
