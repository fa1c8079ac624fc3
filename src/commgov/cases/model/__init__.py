"""Cases (事件, 诉求, 矛盾纠纷): the loop from report to satisfaction visit, as pure values."""

from commgov.cases.model.actions import ACTIONS, ActionRule
from commgov.cases.model.case import Case, Event, Lead, ReportDetails
from commgov.cases.model.categories import DEFAULT_CATEGORIES, CategorySpec, CategoryTree
from commgov.cases.model.machine import allowed_actions, apply, decide, open_case, replay, step
from commgov.cases.model.numbers import CaseNumber
from commgov.cases.model.rules import Candidate, CaseInfo, Deadlines, Routing, Triage
from commgov.cases.model.vocab import Action, State

__all__ = [
    "ACTIONS",
    "DEFAULT_CATEGORIES",
    "Action",
    "ActionRule",
    "Candidate",
    "Case",
    "CaseInfo",
    "CaseNumber",
    "CategorySpec",
    "CategoryTree",
    "Deadlines",
    "Event",
    "Lead",
    "ReportDetails",
    "Routing",
    "State",
    "Triage",
    "allowed_actions",
    "apply",
    "decide",
    "open_case",
    "replay",
    "step",
]
