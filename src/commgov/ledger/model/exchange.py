"""Time across communities (跨社区通存通兑) as pure rules: which community each side of a
service stands for, which account pays for a service across communities, the client ids the
ledger keeps exchanges under, and a community's exchange statement folded from its postings.

A *lineage* is a unit and its ancestors, root first, the unit last."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from commgov.ledger.model.bounds import RESERVED, internal_id
from commgov.ledger.model.transfers import Transfer
from commgov.people.model.units import Unit

COMMUNITY_KINDS: Final = ("community", "village")
TOWN_KINDS: Final = ("town", "street")
SETTLEMENT: Final = "exchange"
"""The reason of the transfer that settles a service across communities."""
TRANSFER: Final = "transfer:"
"""The reason of a move between pools: this prefix, then the caller's reason."""
EXCHANGE_ACCOUNTS: Final = ("pool:", "clearing:")
"""The codes of the accounts a community exchanges through: its pool and its clearing
account."""

Lineage = Sequence[Unit]


def shared(a: Lineage, b: Lineage) -> int:
    """How many units, from the root, two lineages have in common."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x.id != y.id:
            break
        count += 1
    return count


def side(home: Lineage, other: Lineage) -> Lineage:
    """The lineage of the unit that stands for a resident living at ``home`` in an exchange
    with someone living at ``other``: the nearest community or village at or above the home;
    without one, the unit just under the nearest common ancestor of the two homes (the home
    itself when it is that ancestor)."""
    for index in range(len(home) - 1, -1, -1):
        if home[index].kind in COMMUNITY_KINDS:
            return home[: index + 1]
    return home[: min(shared(home, other), len(home) - 1) + 1]


def sides(volunteer: Lineage, recipient: Lineage) -> tuple[Lineage, Lineage] | None:
    """The lineages of the volunteer's and the recipient's communities; ``None`` when both
    stand for one community (nothing to settle)."""
    mine, theirs = side(volunteer, recipient), side(recipient, volunteer)
    return None if mine[-1].id == theirs[-1].id else (mine, theirs)


def town_of(a: Lineage, b: Lineage) -> Unit | None:
    """The unit whose pool stands above two communities: their nearest common ancestor of
    kind town or street, else their nearest common ancestor; ``None`` when they lie in two
    separate trees."""
    common = a[: shared(a, b)]
    for unit in reversed(common):
        if unit.kind in TOWN_KINDS:
            return unit
    return common[-1] if common else None


@attrs.frozen
class Settlement:
    """What settles a service across communities: ``payer``'s clearing account pays
    ``payee``'s pool (the volunteer's community) the service's minutes."""

    payer: Unit
    payee: Unit


def settlement(rule: str, volunteer: Lineage, recipient: Lineage) -> Settlement | None:
    """The settlement of a service from a volunteer living at ``volunteer`` to a recipient
    living at ``recipient`` under the town's ``rule`` (``EXCHANGE_RULES``): ``None`` when both
    stand for one community, when the rule settles nothing, or when the payer would be the
    volunteer's own community. Under ``town_pool`` two communities in separate trees fall back
    to the recipient's community."""
    if rule not in ("community_pool", "town_pool"):
        return None
    found = sides(volunteer, recipient)
    if found is None:
        return None
    mine, theirs = found
    payer = theirs[-1]
    if rule == "town_pool":
        payer = town_of(mine, theirs) or payer
    return None if payer.id == mine[-1].id else Settlement(payer, mine[-1])


# -- the client ids exchanges are kept under ---------------------------------------------------
def settlement_id(service_id: int) -> str:
    """The client id of a service's settlement: one per service, so it is paid once."""
    return internal_id("service", service_id, SETTLEMENT)


def via_id(first_leg: int) -> str:
    """The client id of a move's second leg (from the town's pool on), named by the first."""
    return internal_id("via", first_leg)


def _number(client_id: str, prefix: str, suffix: str = "") -> int | None:
    if not client_id.startswith(prefix) or not client_id.endswith(suffix):
        return None
    middle = client_id[len(prefix) : len(client_id) - len(suffix)]
    return int(middle) if middle.isdigit() else None


def first_leg_of(client_id: str) -> int | None:
    """The id of the first leg a second leg's client id names (``None``: not a second leg)."""
    return _number(client_id, internal_id("via", ""))


def service_of(client_id: str) -> int | None:
    """The service a settlement's client id names (``None``: not a settlement)."""
    return _number(client_id, internal_id("service", ""), f":{SETTLEMENT}")


def exchange_label(reason: str) -> str:
    """An exchange's reason code in a clerk's words."""
    if reason == SETTLEMENT:
        return "跨社区服务结算 service across communities"
    if reason.startswith(TRANSFER):
        return f"社区调剂 pool transfer: {reason[len(TRANSFER) :]}"
    return reason


# -- a community's exchange statement ----------------------------------------------------------
@attrs.frozen
class Posting:
    """A posting as an exchange statement reads it: the transfer, the codes of its two
    accounts and of their units (``None``: an account of no unit)."""

    transfer: Transfer
    debit: str
    credit: str
    debit_unit: str | None
    credit_unit: str | None


@attrs.frozen
class Route:
    """A move through the town's pool: its first leg (into the town's pool) and its second
    (out of it)."""

    first: Posting
    second: Posting


@attrs.frozen
class Entry:
    """One exchange line: ``amount`` signed (in: positive), ``balance`` the community's after
    it, ``counterpart`` the unit at the other end of the movement, ``via`` the town whose pool
    a move went through (on the two communities' lines), ``client_id`` the movement's (a
    move's first leg's for both legs)."""

    posting: Posting
    counterpart: str
    via: str | None
    client_id: str
    service_id: int | None
    amount: int
    balance: int


@attrs.frozen
class Fold:
    """A community's exchanges over a period: ``other`` is the net of its accounts' other
    postings then (donations in, grants out: not exchanges); ``closing`` per account."""

    opening: int
    entries: tuple[Entry, ...]
    other: int
    closing: Mapping[int, int]

    @property
    def minutes_in(self) -> int:
        return sum(e.amount for e in self.entries if e.amount > 0)

    @property
    def minutes_out(self) -> int:
        return -sum(e.amount for e in self.entries if e.amount < 0)


def is_exchange_account(code: str) -> bool:
    return code.startswith(EXCHANGE_ACCOUNTS)


def unit_of(code: str, unit: str | None) -> str:
    """The unit code of an exchange account: its unit's, else the one its code names."""
    return unit if unit is not None else code.partition(":")[2]


def fold_exchanges(
    postings: Sequence[Posting],
    opening: Mapping[int, int],
    routes: Mapping[int, Route],
) -> Fold:
    """The exchange lines of the accounts ``opening`` names (a community's pool and clearing
    account, with their balances when the period opens) from their ``postings`` in the period,
    oldest first. A posting between them and another unit's pool or clearing account is a
    line; any other moves the balance as ``other``; one between the two of them moves
    nothing. ``routes`` gives the move each leg through a town's pool belongs to, by the
    legs' transfer ids."""
    balances = dict(opening)
    running = sum(balances.values())
    entries: list[Entry] = []
    other = 0
    for p in postings:
        t = p.transfer
        incoming, outgoing = t.credit_id in balances, t.debit_id in balances
        if incoming == outgoing:
            continue  # between the community's own accounts (or none of them)
        amount = t.amount if incoming else -t.amount
        balances[t.credit_id if incoming else t.debit_id] += amount
        running += amount
        code, unit = (p.debit, p.debit_unit) if incoming else (p.credit, p.credit_unit)
        if not is_exchange_account(code):
            other += amount
            continue
        counterpart, via, client_id = unit_of(code, unit), None, t.client_id
        route = routes.get(t.id)
        if route is not None:
            client_id = route.first.transfer.client_id
            if route.first.transfer.id == t.id and outgoing:  # the giver's line
                counterpart = unit_of(route.second.credit, route.second.credit_unit)
                via = unit_of(code, unit)
            elif route.second.transfer.id == t.id and incoming:  # the taker's line
                counterpart = unit_of(route.first.debit, route.first.debit_unit)
                via = unit_of(code, unit)
        entries.append(
            Entry(p, counterpart, via, client_id, service_of(t.client_id), amount, running)
        )
    return Fold(sum(opening.values()), tuple(entries), other, balances)


def route_candidates(postings: Sequence[Posting]) -> tuple[list[int], list[int]]:
    """What to read to find the moves through a town's pool among ``postings``: the ids of
    the first legs that second legs name, and the ids of postings between two pools that may
    be first legs (a caller's client id)."""
    firsts = [n for p in postings if (n := first_leg_of(p.transfer.client_id)) is not None]
    maybe = [
        p.transfer.id
        for p in postings
        if p.debit.startswith("pool:")
        and p.credit.startswith("pool:")
        and not p.transfer.client_id.startswith(RESERVED)
    ]
    return firsts, maybe


def pair_routes(postings: Sequence[Posting]) -> dict[int, Route]:
    """The moves through a town's pool among ``postings`` (a second leg with the first leg it
    names), by both legs' transfer ids."""
    by_id = {p.transfer.id: p for p in postings}
    routes: dict[int, Route] = {}
    for second in by_id.values():
        first_id = first_leg_of(second.transfer.client_id)
        first = by_id.get(first_id) if first_id is not None else None
        if first is not None:
            routes[first.transfer.id] = routes[second.transfer.id] = Route(first, second)
    return routes
