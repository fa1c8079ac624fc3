"""Loading and saving ledger rows for one unit of work: reach each repository with
``uow.repo(LedgerRepository)`` (or ``RewardRepository``, ``TimeBankRepository``,
``ResidentLookup``, ``ExchangeRepository``)."""

from commgov.kernel.ids import IdBlocks
from commgov.ledger.repository.exchange import ExchangeRepository
from commgov.ledger.repository.ledger import (
    LedgerRepository,
    is_transient,
    transfer_ids,
)
from commgov.ledger.repository.points import RewardRepository
from commgov.ledger.repository.residents import ResidentLookup
from commgov.ledger.repository.timebank import TimeBankRepository

__all__ = [
    "ExchangeRepository",
    "IdBlocks",
    "LedgerRepository",
    "ResidentLookup",
    "RewardRepository",
    "TimeBankRepository",
    "is_transient",
    "transfer_ids",
]
