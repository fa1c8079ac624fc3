"""Loading and saving ledger rows for one unit of work: reach each repository with
``uow.repo(LedgerRepository)`` (or ``RewardRepository``, ``TimeBankRepository``,
``ResidentLookup``)."""

from commgov.ledger.repository.ledger import IdBlocks, LedgerRepository, is_transient
from commgov.ledger.repository.points import RewardRepository
from commgov.ledger.repository.residents import ResidentLookup
from commgov.ledger.repository.timebank import TimeBankRepository

__all__ = [
    "IdBlocks",
    "LedgerRepository",
    "ResidentLookup",
    "RewardRepository",
    "TimeBankRepository",
    "is_transient",
]
