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
    CaseUpdateView,
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
from commgov.councils.model.meetings import MeetingInfo
from commgov.councils.model.seats import CouncilSeat
from commgov.councils.views import (
    AgendaItemView,
    AttendanceView,
    CouncilView,
    MeetingView,
    MemberView,
    ResolutionView,
    TopicView,
)
from commgov.errors import (
    CommgovError,
    ConfigurationError,
    ConflictError,
    ImportRejected,
    InsufficientFunds,
    NotAuthenticated,
    NotFoundError,
    PermissionDenied,
    PluginError,
    RowError,
    StateError,
    ValidationError,
)
from commgov.facade import Commgov
from commgov.facade import open_store as open
from commgov.integrations.model import RetryPolicy, verify_signature
from commgov.integrations.views import (
    ApiKeyView,
    DeliveryRound,
    DeliveryView,
    NewApiKey,
    NewWebhook,
    WebhookView,
)
from commgov.kernel.access import MANAGE_STAFF, MANAGE_UNITS, READ, READ_PERSONAL, WRITE, Target
from commgov.kernel.actors import Actor, RoleSpec
from commgov.kernel.cipher import new_secret_key
from commgov.kernel.handover import Departure, HandedOver, OpenWork
from commgov.kernel.markers import hookimpl
from commgov.kernel.outbox import StoredEvent
from commgov.ledger.model import EarnRequest, TransferRequest
from commgov.ledger.model.rules import HonourTier, PointsRule, TimeBankPolicy
from commgov.ledger.views import (
    AccountStatement,
    AccountView,
    Earning,
    ExchangeLine,
    ExchangeStatement,
    Leaderboard,
    LeaderboardRow,
    PendingService,
    PoolTransfer,
    RewardView,
    ServiceView,
    StatementLine,
    StatementRow,
    TransferView,
)
from commgov.opinions.model.rules import OpinionTopic
from commgov.opinions.model.values import VisitEntry
from commgov.opinions.views import CommunityBoard, OpinionBoard, PointView, TopicLine, VisitView
from commgov.orders.model.rules import ServiceItem
from commgov.orders.views import DeclineView, OrderView, ServiceItemView
from commgov.organisations.model.kinds import OrganisationKind
from commgov.organisations.views import (
    ActivityView,
    OrganisationMemberView,
    OrganisationView,
    PartyRegistrationView,
    SignupView,
)
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
from commgov.projects.views import FundingLine, ItemView, ProjectView, RatingView, TimelineEntry
from commgov.records.views import RecordView
from commgov.reports.model import Report, ReportPeriod, ReportSpec
from commgov.resources.views import BookingView, ClosureView, ResourceView
from commgov.votes.model.rules import Threshold, VoteRule
from commgov.votes.model.values import DwellingEntry
from commgov.votes.views import (
    BallotReceipt,
    DwellingView,
    OpenChoice,
    OptionResult,
    RecountView,
    ResultView,
    TurnoutEntry,
    TurnoutView,
    VoteView,
)
from commgov.wishes.model.rules import MatchInfo, TierDecision, WishCategory, WishInfo, WishReward
from commgov.wishes.model.vocab import WISH_MANAGE, WISH_POST, WISH_READ
from commgov.wishes.views import (
    CandidateView,
    FulfilmentView,
    MatchView,
    PaymentView,
    TimetableRow,
    WishCategoryView,
    WishStatistics,
    WishView,
)

__version__ = "0.1.0"

__all__ = [
    "MANAGE_STAFF",
    "MANAGE_UNITS",
    "READ",
    "READ_PERSONAL",
    "WISH_MANAGE",
    "WISH_POST",
    "WISH_READ",
    "WRITE",
    "AcceptCommand",
    "AccountStatement",
    "AccountView",
    "ActivityView",
    "Actor",
    "AgendaItemView",
    "ApiKeyView",
    "AttendanceView",
    "BallotReceipt",
    "BatchResult",
    "BookingView",
    "Candidate",
    "CandidateView",
    "CaseAction",
    "CaseCommand",
    "CaseEventView",
    "CaseInfo",
    "CaseMetrics",
    "CaseRates",
    "CaseReport",
    "CaseUpdateView",
    "CaseView",
    "CategorySpec",
    "CategoryView",
    "CloseCommand",
    "ClosureView",
    "Commgov",
    "CommgovError",
    "CommunityBoard",
    "ConfigurationError",
    "ConflictError",
    "CouncilSeat",
    "CouncilView",
    "Deadlines",
    "DeclineView",
    "DeliveryRound",
    "DeliveryView",
    "DepartmentView",
    "Departure",
    "DispatchCommand",
    "DwellingEntry",
    "DwellingView",
    "EarnRequest",
    "Earning",
    "EscalateCommand",
    "ExchangeLine",
    "ExchangeStatement",
    "FulfilmentView",
    "FundingLine",
    "HandedOver",
    "HonourTier",
    "HouseholdView",
    "IdentityNumber",
    "ImportRejected",
    "ImportReport",
    "InformCommand",
    "InsufficientFunds",
    "ItemView",
    "Lead",
    "Leaderboard",
    "LeaderboardRow",
    "LifeEventView",
    "MatchInfo",
    "MatchView",
    "MeetingInfo",
    "MeetingView",
    "MemberView",
    "MergeCommand",
    "NewApiKey",
    "NewWebhook",
    "NotAuthenticated",
    "NotFoundError",
    "OpenChoice",
    "OpenWork",
    "OpinionBoard",
    "OpinionTopic",
    "OptionResult",
    "OrderView",
    "OrganisationKind",
    "OrganisationMemberView",
    "OrganisationView",
    "PartyRegistrationView",
    "PaymentView",
    "PendingService",
    "PermissionDenied",
    "Phone",
    "PluginError",
    "PointView",
    "PointsRule",
    "PoolTransfer",
    "PostingView",
    "ProjectView",
    "RatingView",
    "RecordView",
    "RecountView",
    "RejectCommand",
    "Report",
    "ReportPeriod",
    "ReportSpec",
    "ResidencyView",
    "ResidentView",
    "ResolutionView",
    "ResolveCommand",
    "ResourceView",
    "ResultView",
    "RetryPolicy",
    "RewardView",
    "RoleSpec",
    "Routing",
    "RowError",
    "ServiceItem",
    "ServiceItemView",
    "ServiceView",
    "SignupView",
    "StaffView",
    "StartCommand",
    "StateError",
    "StatementLine",
    "StatementRow",
    "StoredEvent",
    "Target",
    "Threshold",
    "TierDecision",
    "TimeBankPolicy",
    "TimelineEntry",
    "TimetableRow",
    "TopicLine",
    "TopicView",
    "TransferRequest",
    "TransferView",
    "Triage",
    "TriageCommand",
    "TurnoutEntry",
    "TurnoutView",
    "UnitView",
    "ValidationError",
    "VisitCommand",
    "VisitEntry",
    "VisitView",
    "VoteRule",
    "VoteView",
    "WebhookView",
    "WishCategory",
    "WishCategoryView",
    "WishInfo",
    "WishReward",
    "WishStatistics",
    "WishView",
    "WithdrawCommand",
    "__version__",
    "hookimpl",
    "new_secret_key",
    "open",
    "verify_signature",
]
