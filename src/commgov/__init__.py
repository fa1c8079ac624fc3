"""commgov: community (grassroots) governance as Chinese towns practise it.

One import, one call::

    import commgov
    cg = commgov.open("town.db")
"""

from commgov.cases.model import Candidate, CaseInfo, CategorySpec, Deadlines, Lead, Routing, Triage
from commgov.cases.service.metrics import CaseMetrics, CaseRates
from commgov.cases.views import (
    BatchResult,
    CaseAction,
    CaseEventView,
    CaseReport,
    CaseView,
    CategoryView,
)
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
from commgov.kernel.access import MANAGE_STAFF, MANAGE_UNITS, READ, READ_PERSONAL, WRITE, Target
from commgov.kernel.actors import Actor, RoleSpec
from commgov.kernel.cipher import new_secret_key
from commgov.kernel.markers import hookimpl
from commgov.ledger.model import TransferRequest
from commgov.ledger.model.rules import HonourTier, PointsRule, TimeBankPolicy
from commgov.ledger.service.ledger import AccountView, TransferView
from commgov.ledger.service.points import Earning, RewardView
from commgov.ledger.service.timebank import ServiceView, StatementRow
from commgov.people.model.personal import IdentityNumber, Phone
from commgov.people.service.importing import ImportReport
from commgov.people.views import (
    DepartmentView,
    HouseholdView,
    ResidentView,
    StaffView,
    UnitView,
)
from commgov.records.views import RecordView

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
