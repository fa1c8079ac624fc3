"""Set-ups the ledger tests share: a family in grid A1, a seeded book, a recorded service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import NOW, Town, make_identity

import commgov

A = commgov.Actor.system("test")
HOUR = dt.timedelta(hours=1)


def family(town: Town) -> tuple[int, int, int]:
    """(elder, their grown child) in one household and an elder living alone, in grid A1."""
    home = town.household(
        town.grid_a1,
        {"name": "老张", "identity_number": make_identity("19400101", 1)},
        {"name": "小张", "identity_number": make_identity("19900101", 3)},
    )
    alone = town.household(
        town.grid_a1, {"name": "李奶奶", "identity_number": make_identity("19380505", 2)}
    )
    elder, child = home.member_ids
    return elder, child, alone.member_ids[0]


def seeded_book(book: Any, *, systems: tuple[str, ...] = ()) -> Any:
    """``book`` (a ledger service) with system:issuance, the ``systems`` accounts, alice
    holding 100 points and bob, all on points."""
    book.open_account(A, ledger="points", code="system:issuance", kind="system")
    for code in systems:
        book.open_account(A, ledger="points", code=code, kind="system")
    for code in ("alice", "bob"):
        book.open_account(A, ledger="points", code=code, kind="resident")
    book.transfer(
        A,
        client_id="seed",
        ledger="points",
        debit="system:issuance",
        credit="alice",
        amount=100,
        reason="seed",
    )
    return book


def one_hour_of_care(
    cg: commgov.Commgov, admin: commgov.Actor, provider: int, recipient: int
) -> Any:
    """A recorded hour of 陪伴 from ``provider`` to ``recipient`` ending at ``NOW`` (client id
    svc)."""
    return cg.timebank.record(
        admin,
        provider_id=provider,
        recipient_id=recipient,
        kind="陪伴",
        start=NOW - HOUR,
        end=NOW,
        client_id="svc",
    )
