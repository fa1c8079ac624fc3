"""commgov: community (grassroots) governance as Chinese towns practise it.

One import, one call::

    import commgov
    cg = commgov.open("town.db")
"""

from commgov.cases.model import Candidate, CaseInfo, CategorySpec, Deadlines, Lead, Routing, Triage
from commgov.cases.service.metrics import CaseMetrics, CaseRates
from commgov.cases.views import (
    AcceptCommand,
    BatchResult,
    CaseAction,
    CaseCommand,
    CaseEventView,
    CaseReport,
    CaseView,
    CategoryView,
    CloseCommand,
    DispatchCommand,
    EscalateCommand,
    InformCommand,
    MergeCommand,
    RejectCommand,
    ResolveCommand,
    StartCommand,
    TriageCommand,
    VisitCommand,
    WithdrawCommand,
)
from commgov.errors import (
    CommgovError,
    ConfigurationError,
    ConflictError,
    ImportRejected,
    InsufficientFunds,
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
from commgov.kernel.handover import Departure, HandedOver, OpenWork
from commgov.kernel.markers import hookimpl
from commgov.ledger.model import EarnRequest, TransferRequest
from commgov.ledger.model.rules import HonourTier, PointsRule, TimeBankPolicy
from commgov.ledger.views import (
    AccountStatement,
    AccountView,
    Earning,
    Leaderboard,
    LeaderboardRow,
    PendingService,
    RewardView,
    ServiceView,
    StatementLine,
    StatementRow,
    TransferView,
)
from commgov.opinions.model.rules import OpinionTopic
from commgov.orders.model.rules import ServiceItem
from commgov.people.model.personal import IdentityNumber, Phone
from commgov.people.service.importing import ImportReport
from commgov.people.views import (
    DepartmentView,
    HouseholdView,
    LifeEventView,
    PostingView,
    ResidencyView,
    ResidentView,
    StaffView,
    UnitView,
)
from commgov.records.views import RecordView
from commgov.reports.model import Report, ReportPeriod, ReportSpec
from commgov.wishes.model.rules import MatchInfo, TierDecision, WishCategory, WishInfo, WishReward

__version__ = "0.1.0"

__all__ = [
    "MANAGE_STAFF",
    "MANAGE_UNITS",
    "READ",
    "READ_PERSONAL",
    "WRITE",
    "AcceptCommand",
    "AccountStatement",
    "AccountView",
    "Actor",
    "BatchResult",
    "Candidate",
    "CaseAction",
    "CaseCommand",
    "CaseEventView",
    "CaseInfo",
    "CaseMetrics",
    "CaseRates",
    "CaseReport",
    "CaseView",
    "CategorySpec",
    "CategoryView",
    "CloseCommand",
    "Commgov",
    "CommgovError",
    "ConfigurationError",
    "ConflictError",
    "Deadlines",
    "DepartmentView",
    "Departure",
    "DispatchCommand",
    "EarnRequest",
    "Earning",
    "EscalateCommand",
    "HandedOver",
    "HonourTier",
    "HouseholdView",
    "IdentityNumber",
    "ImportRejected",
    "ImportReport",
    "InformCommand",
    "InsufficientFunds",
    "Lead",
    "Leaderboard",
    "LeaderboardRow",
    "LifeEventView",
    "MatchInfo",
    "MergeCommand",
    "NotFoundError",
    "OpenWork",
    "OpinionTopic",
    "PendingService",
    "PermissionDenied",
    "Phone",
    "PluginError",
    "PointsRule",
    "PostingView",
    "RecordView",
    "RejectCommand",
    "Report",
    "ReportPeriod",
    "ReportSpec",
    "ResidencyView",
    "ResidentView",
    "ResolveCommand",
    "RewardView",
    "RoleSpec",
    "Routing",
    "RowError",
    "ServiceItem",
    "ServiceView",
    "StaffView",
    "StartCommand",
    "StateError",
    "StatementLine",
    "StatementRow",
    "Target",
    "TierDecision",
    "TimeBankPolicy",
    "TransferRequest",
    "TransferView",
    "Triage",
    "TriageCommand",
    "UnitView",
    "ValidationError",
    "VisitCommand",
    "WishCategory",
    "WishInfo",
    "WishReward",
    "WithdrawCommand",
    "__version__",
    "hookimpl",
    "new_secret_key",
    "open",
]
