"""The capabilities of the core, gathered in one place: their hook specifications, their
default plugins (asked last, so a town plugin's answer wins) and, by importing them, their
tables on the shared ``metadata``. A new capability adds one line to each tuple below."""

from __future__ import annotations

from types import ModuleType

from commgov.cases import defaults as case_defaults
from commgov.cases import hooks as case_hooks
from commgov.cases import tables as case_tables
from commgov.cases.service.handover import CaseHandOver
from commgov.councils import defaults as council_defaults
from commgov.councils import hooks as council_hooks
from commgov.councils import tables as council_tables
from commgov.integrations import defaults as integration_defaults
from commgov.integrations import hooks as integration_hooks
from commgov.integrations import tables as integration_tables
from commgov.kernel import defaults as kernel_defaults
from commgov.kernel import hooks as kernel_hooks
from commgov.kernel.handover import OpenWork
from commgov.kernel.host import HookSet
from commgov.kernel.tables import metadata
from commgov.ledger import defaults as ledger_defaults
from commgov.ledger import hooks as ledger_hooks
from commgov.ledger import tables as ledger_tables
from commgov.ledger.service.handover import LedgerOpenWork
from commgov.opinions import defaults as opinion_defaults
from commgov.opinions import hooks as opinion_hooks
from commgov.opinions import tables as opinion_tables
from commgov.orders import defaults as order_defaults
from commgov.orders import hooks as order_hooks
from commgov.orders import tables as order_tables
from commgov.orders.service.handover import OrderHandOver
from commgov.organisations import defaults as organisation_defaults
from commgov.organisations import hooks as organisation_hooks
from commgov.organisations import tables as organisation_tables
from commgov.organisations.service.handover import OrganisationHandOver
from commgov.people import defaults as people_defaults
from commgov.people import hooks as people_hooks
from commgov.people import tables as people_tables
from commgov.projects import tables as project_tables
from commgov.records import defaults as record_defaults
from commgov.records import hooks as record_hooks
from commgov.records import tables as record_tables
from commgov.reports import hooks as report_hooks
from commgov.resources import tables as resource_tables
from commgov.resources.service.handover import ResourceHandOver
from commgov.votes import defaults as vote_defaults
from commgov.votes import hooks as vote_hooks
from commgov.votes import tables as vote_tables
from commgov.wishes import defaults as wish_defaults
from commgov.wishes import hooks as wish_hooks
from commgov.wishes import tables as wish_tables
from commgov.wishes.service.handover import WishHandOver

SPEC_MODULES: tuple[ModuleType, ...] = (
    kernel_hooks,
    people_hooks,
    case_hooks,
    ledger_hooks,
    record_hooks,
    report_hooks,
    wish_hooks,
    order_hooks,
    opinion_hooks,
    council_hooks,
    vote_hooks,
    organisation_hooks,
    integration_hooks,
)
DEFAULT_PLUGINS: tuple[ModuleType, ...] = (
    kernel_defaults,
    people_defaults,
    case_defaults,
    ledger_defaults,
    record_defaults,
    wish_defaults,
    order_defaults,
    opinion_defaults,
    council_defaults,
    vote_defaults,
    organisation_defaults,
    integration_defaults,
)
OPEN_WORK: tuple[OpenWork, ...] = (
    CaseHandOver(),
    LedgerOpenWork(),
    WishHandOver(),
    OrderHandOver(),
    ResourceHandOver(),
    OrganisationHandOver(),
)
"""Each capability's open work tied to people (see ``commgov.kernel.handover``)."""
TABLE_MODULES: tuple[ModuleType, ...] = (
    people_tables,
    case_tables,
    ledger_tables,
    record_tables,
    wish_tables,
    order_tables,
    opinion_tables,
    council_tables,
    vote_tables,
    project_tables,
    resource_tables,
    organisation_tables,
    integration_tables,
)
HOOKS = HookSet(
    specs=SPEC_MODULES,
    core={module.NAME: module for module in DEFAULT_PLUGINS},
)

__all__ = ["DEFAULT_PLUGINS", "HOOKS", "OPEN_WORK", "SPEC_MODULES", "TABLE_MODULES", "metadata"]
