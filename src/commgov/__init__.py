"""commgov: community (grassroots) governance as Chinese towns practise it.

One import, one call::

    import commgov
    cg = commgov.open("town.db")
"""

from commgov.domain.access import MANAGE_STAFF, MANAGE_UNITS, READ, READ_PERSONAL, WRITE, Target
from commgov.domain.actors import Actor, RoleSpec
from commgov.domain.cases import Candidate, CaseInfo, CategorySpec, Deadlines, Lead, Routing, Triage
from commgov.domain.ledger import TransferRequest
from commgov.domain.ledger.rules import HonourTier, PointsRule, TimeBankPolicy
from commgov.domain.personal import IdentityNumber, Phone
from commgov.errors import (
    CommgovError,
    ConfigurationError,
    ConflictError,
    ImportRejected,
    NotFoundError,
    PermissionDenied,
    PluginError,
    RowError,
    StateError,
    ValidationError,
)
from commgov.facade import Commgov
from commgov.facade import open_store as open
from commgov.plugins.markers import hookimpl
from commgov.services.cases_metrics import CaseMetrics, CaseRates
from commgov.services.cases_views import (
    BatchResult,
    CaseAction,
    CaseEventView,
    CaseReport,
    CaseView,
    CategoryView,
)
from commgov.services.importing import ImportReport
from commgov.services.ledger import AccountView, TransferView
from commgov.services.points import Earning, RewardView
from commgov.services.timebank import ServiceView, StatementRow
from commgov.store.cipher import new_secret_key
from commgov.views import (
    DepartmentView,
    HouseholdView,
    RecordView,
    ResidentView,
    StaffView,
    UnitView,
)

__version__ = "0.1.0"

__all__ = [
    "MANAGE_STAFF",
    "MANAGE_UNITS",
    "READ",
    "READ_PERSONAL",
    "WRITE",
    "AccountView",
    "Actor",
    "BatchResult",
    "Candidate",
    "CaseAction",
    "CaseEventView",
    "CaseInfo",
    "CaseMetrics",
    "CaseRates",
    "CaseReport",
    "CaseView",
    "CategorySpec",
    "CategoryView",
    "Commgov",
    "CommgovError",
    "ConfigurationError",
    "ConflictError",
    "Deadlines",
    "DepartmentView",
    "Earning",
    "HonourTier",
    "HouseholdView",
    "IdentityNumber",
    "ImportRejected",
    "ImportReport",
    "Lead",
    "NotFoundError",
    "PermissionDenied",
    "Phone",
    "PluginError",
    "PointsRule",
    "RecordView",
    "ResidentView",
    "RewardView",
    "RoleSpec",
    "Routing",
    "RowError",
    "ServiceView",
    "StaffView",
    "StateError",
    "StatementRow",
    "Target",
    "TimeBankPolicy",
    "TransferRequest",
    "TransferView",
    "Triage",
    "UnitView",
    "ValidationError",
    "__version__",
    "hookimpl",
    "new_secret_key",
    "open",
]
