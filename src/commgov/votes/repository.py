"""Loading and saving votes, their roll, turnout and ballots, and the owners' register; the
store's sums for the tally."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy import and_, bindparam, delete, func, insert, select, text, update
from sqlalchemy import case as sa_case
from sqlalchemy.dialects import postgresql, sqlite

from commgov.kernel.repository import Repository
from commgov.people.repository import path_under
from commgov.people.tables import households, residents, units
from commgov.votes.model.tally import Counts, Weight
from commgov.votes.model.values import Dwelling, RollEntry, Vote
from commgov.votes.tables import dwellings, vote_ballots, vote_roll, vote_turnout, votes

_V: Final = votes.c
_R: Final = vote_roll.c
_T: Final = vote_turnout.c
_B: Final = vote_ballots.c

_FOR_CAST: Final = (
    select(
        votes,
        _R.voter_key.label("voter_key"),
        _R.label.label("voter_label"),
        _R.headcount.label("voter_headcount"),
        _R.area.label("voter_area"),
    )
    .select_from(
        votes.outerjoin(
            vote_roll,
            and_(_R.vote_id == _V.id, _R.voter_key.in_(bindparam("keys", expanding=True))),
        )
    )
    .where(_V.id == bindparam("id"))
)
_FOR_CAST_PG: Final = _FOR_CAST.with_for_update(read=True, key_share=True, of=votes)
"""Holds the vote against closing (which locks it for update) until the ballot commits."""
_TURNOUT_SQLITE: Final = sqlite.insert(vote_turnout).on_conflict_do_nothing().returning(_T.vote_id)
_TURNOUT_PG: Final = postgresql.insert(vote_turnout).on_conflict_do_nothing().returning(_T.vote_id)
"""A row back when the voter had not voted, none when the key refused it (a row count is not
reported for this statement by every driver)."""
_BALLOT: Final = insert(vote_ballots)


def _vote(row: Any) -> Vote:
    return Vote(
        id=row.id,
        unit_id=row.unit_id,
        council_id=row.council_id,
        question=row.question,
        kind=row.kind,
        options=tuple(row.options),
        max_choices=row.max_choices,
        electorate=row.electorate,
        rule=row.rule,
        matter=row.matter,
        secret=row.secret,
        changeable=row.changeable,
        state=row.state,
        opened_at=row.opened_at,
        closes_at=row.closes_at,
        closed_at=row.closed_at,
        created_by=row.created_by,
        roll_headcount=row.roll_headcount,
        roll_area=row.roll_area,
        record=row.record,
        cancel_reason=row.cancel_reason,
    )


class VoteRepository(Repository):
    # -- votes -----------------------------------------------------------------------------
    def add(self, values: Mapping[str, Any]) -> int:
        return int(self.conn.execute(insert(votes).returning(_V.id), dict(values)).scalar_one())

    def get(self, vote_id: int, *, lock: bool = False) -> Vote | None:
        """The vote; ``lock`` holds it for update (closing, cancelling), which waits for the
        ballots being cast to commit and keeps new ones out until this commits."""
        query = select(votes).where(_V.id == vote_id)
        if lock:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        return None if row is None else _vote(row)

    def for_cast(
        self, vote_id: int, voter_keys: Sequence[str], *, lock: bool = False
    ) -> tuple[Vote, RollEntry | None] | None:
        """The vote and the voter's roll entry under one of ``voter_keys`` (``None`` when on
        the roll under none), in one statement; with ``lock``, on PostgreSQL, the vote is held
        against closing until this commits (SQLite's writer holds the database already)."""
        query = _FOR_CAST_PG if lock and self.dialect == "postgresql" else _FOR_CAST
        row = self.conn.execute(query, {"id": vote_id, "keys": list(voter_keys)}).first()
        if row is None:
            return None
        entry = None
        if row.voter_key is not None:
            entry = RollEntry(row.voter_key, row.voter_label, row.voter_headcount, row.voter_area)
        return _vote(row), entry

    def of_unit(
        self, path: str, *, after_id: int | None = None, limit: int | None = None
    ) -> list[Vote]:
        """The votes of units under ``path`` (itself included), by id; ``after_id`` continues
        after that id, ``limit`` caps the rows."""
        query = select(votes).join(units, units.c.id == _V.unit_id).where(path_under(path))
        if after_id is not None:
            query = query.where(_V.id > after_id)
        query = query.order_by(_V.id)
        if limit is not None:
            query = query.limit(limit)
        return [_vote(row) for row in self.conn.execute(query)]

    def update(self, vote_id: int, values: Mapping[str, Any]) -> None:
        self.conn.execute(update(votes).where(_V.id == vote_id).values(**values))

    # -- roll ------------------------------------------------------------------------------
    def add_roll(self, vote_id: int, entries: Sequence[RollEntry]) -> None:
        rows = [
            {"vote_id": vote_id, "voter_key": e.voter_key, "label": e.label,
             "headcount": e.headcount, "area": e.area}
            for e in entries
        ]  # fmt: skip
        if rows:
            self.conn.execute(insert(vote_roll), rows)

    def households_living_under(self, path: str) -> list[tuple[int, str]]:
        """Households under ``path`` with someone living there now: (id, address)."""
        living = (
            select(residents.c.id)
            .where(residents.c.household_id == households.c.id, residents.c.left_at.is_(None))
            .exists()
        )
        query = (
            select(households.c.id, households.c.address)
            .join(units, units.c.id == households.c.unit_id)
            .where(path_under(path), living)
            .order_by(households.c.id)
        )
        return [(int(r.id), str(r.address)) for r in self.conn.execute(query)]

    # -- ballots ---------------------------------------------------------------------------
    def add_turnout(self, values: Mapping[str, Any]) -> bool:
        """Record that a voter voted; ``False`` when they already had (the key refused it)."""
        query = _TURNOUT_PG if self.dialect == "postgresql" else _TURNOUT_SQLITE
        return self.conn.execute(query, dict(values)).first() is not None

    def mark_changed(self, vote_id: int, voter_key: str, values: Mapping[str, Any]) -> None:
        query = update(vote_turnout).where(_T.vote_id == vote_id, _T.voter_key == voter_key)
        self.conn.execute(query.values(**values))

    def voted_on_paper(self, vote_id: int, voter_key: str) -> bool | None:
        """Whether the voter's ballot was entered on paper; ``None`` if they have not voted."""
        query = select(_T.paper).where(_T.vote_id == vote_id, _T.voter_key == voter_key)
        row = self.conn.execute(query).first()
        return None if row is None else bool(row.paper)

    def add_ballot(self, values: Mapping[str, Any]) -> None:
        self.conn.execute(_BALLOT, dict(values))

    def drop_ballot(self, vote_id: int, digest: bytes, owner: bytes) -> bool:
        """Delete the ballot with ``digest`` if ``owner`` is its owner tag; ``False`` when
        there is none (a wrong receipt, another voter's, or a change that lost the race)."""
        query = (
            delete(vote_ballots)
            .where(_B.vote_id == vote_id, _B.digest == digest, _B.owner == owner)
            .returning(_B.vote_id)
        )
        return self.conn.execute(query).first() is not None

    def open_ballot(self, vote_id: int, voter_key: str) -> tuple[bytes, int] | None:
        """An open ballot's (digest, choices), by its voter."""
        query = select(_B.digest, _B.choices).where(
            _B.vote_id == vote_id, _B.voter_key == voter_key
        )
        row = self.conn.execute(query).first()
        return None if row is None else (bytes(row.digest), int(row.choices))

    def rechoose(
        self, vote_id: int, voter_key: str, choices: int, digest: bytes, owner: bytes
    ) -> bool:
        query = (
            update(vote_ballots)
            .where(_B.vote_id == vote_id, _B.voter_key == voter_key)
            .values(choices=choices, digest=digest, owner=owner)
        )
        return bool(self.conn.execute(query).rowcount == 1)

    def has_digest(self, vote_id: int, digest: bytes) -> bool:
        query = select(_B.digest).where(_B.vote_id == vote_id, _B.digest == digest)
        return self.conn.execute(query).first() is not None

    # -- counting --------------------------------------------------------------------------
    def sums(self, vote: Vote) -> Counts:
        """The tally as the store sums it: one pass over the vote's ballots."""
        columns: list[Any] = [
            func.count(), func.coalesce(func.sum(_B.headcount), 0),
            func.coalesce(func.sum(_B.area), 0),
            func.coalesce(func.sum(sa_case((_B.paper, 1), else_=0)), 0),
        ]  # fmt: skip
        for i in range(len(vote.options)):
            chosen = _B.choices.op("&")(1 << i) != 0
            columns.append(func.coalesce(func.sum(sa_case((chosen, _B.headcount), else_=0)), 0))
            columns.append(func.coalesce(func.sum(sa_case((chosen, _B.area), else_=0)), 0))
        row = self.conn.execute(select(*columns).where(_B.vote_id == vote.id)).one()
        n, headcount, area, paper, *per = (int(v) for v in row)
        return Counts(
            roll=Weight(vote.roll_headcount, vote.roll_area),
            cast=Weight(headcount, area),
            options=tuple(Weight(per[2 * i], per[2 * i + 1]) for i in range(len(vote.options))),
            ballots=n,
            paper=paper,
        )

    def ballots(self, vote_id: int) -> list[tuple[int, int, int, bool]]:
        """Every ballot's (choices, headcount, area, paper), by digest."""
        query = (
            select(_B.choices, _B.headcount, _B.area, _B.paper)
            .where(_B.vote_id == vote_id)
            .order_by(_B.digest)
        )
        return [(r.choices, r.headcount, r.area, bool(r.paper)) for r in self.conn.execute(query)]

    def seal(self, vote_id: int) -> None:
        """Write a closed vote's ballots again in digest order, in this one transaction and
        inside the database: whatever order the engine kept them in (a row id, a transaction
        id) now says nothing about when each was cast, so nothing outside the columns links
        one to a voter."""
        columns = ", ".join(c.name for c in vote_ballots.c)
        if self.dialect == "postgresql":
            self.conn.execute(
                text(
                    f"WITH gone AS (DELETE FROM vote_ballots WHERE vote_id = :vote RETURNING "
                    f"{columns}) INSERT INTO vote_ballots ({columns}) SELECT {columns} FROM gone "
                    "ORDER BY digest"
                ),
                {"vote": vote_id},
            )
            return
        self.conn.execute(text("DROP TABLE IF EXISTS temp.sealing"))
        self.conn.execute(
            text(f"CREATE TEMP TABLE sealing AS SELECT {columns} FROM vote_ballots WHERE 0"),
        )
        self.conn.execute(
            text(
                f"INSERT INTO temp.sealing SELECT {columns} FROM vote_ballots WHERE vote_id = :vote"
            ),
            {"vote": vote_id},
        )
        self.conn.execute(delete(vote_ballots).where(_B.vote_id == vote_id))
        self.conn.execute(
            text(
                f"INSERT INTO vote_ballots ({columns}) SELECT {columns} FROM temp.sealing "
                "ORDER BY digest"
            )
        )
        self.conn.execute(text("DROP TABLE temp.sealing"))

    def digests(self, vote_id: int) -> list[bytes]:
        query = select(_B.digest).where(_B.vote_id == vote_id).order_by(_B.digest)
        return [bytes(d) for d in self.conn.execute(query).scalars()]

    def open_choices(self, vote_id: int) -> list[tuple[str, str, int, bool]]:
        """An open vote's ballots with their voters: (voter key, label, choices, paper)."""
        query = (
            select(_B.voter_key, _R.label, _B.choices, _B.paper)
            .join(vote_roll, and_(_R.vote_id == _B.vote_id, _R.voter_key == _B.voter_key))
            .where(_B.vote_id == vote_id)
            .order_by(_B.voter_key)
        )
        return [(r.voter_key, r.label, r.choices, bool(r.paper)) for r in self.conn.execute(query)]

    def turnout(self, vote_id: int) -> list[Any]:
        """Who voted, when, and how (paper or not): the rows, by time."""
        query = (
            select(vote_turnout, _R.label)
            .join(vote_roll, and_(_R.vote_id == _T.vote_id, _R.voter_key == _T.voter_key))
            .where(_T.vote_id == vote_id)
            .order_by(_T.cast_at, _T.voter_key)
        )
        return list(self.conn.execute(query))

    def turnout_count(self, vote_id: int) -> int:
        query = select(func.count()).select_from(vote_turnout).where(_T.vote_id == vote_id)
        return int(self.conn.execute(query).scalar_one())

    # -- owners' register ------------------------------------------------------------------
    def replace_dwellings(self, unit_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
        self.conn.execute(delete(dwellings).where(dwellings.c.unit_id == unit_id))
        if rows:
            self.conn.execute(insert(dwellings), [dict(r) for r in rows])

    def dwellings_under(self, path: str) -> list[Dwelling]:
        d = dwellings.c
        query = (
            select(dwellings).join(units, units.c.id == d.unit_id).where(path_under(path))
            .order_by(d.unit_id, d.label)
        )  # fmt: skip
        return [
            Dwelling(id=r.id, unit_id=r.unit_id, label=r.label, area=r.area,
                     household_id=r.household_id)
            for r in self.conn.execute(query)
        ]  # fmt: skip

    def household_ids(self, ids: Sequence[int]) -> set[int]:
        """Which of ``ids`` are households."""
        found: set[int] = set()
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), 500):
            query = select(households.c.id).where(households.c.id.in_(wanted[start : start + 500]))
            found.update(int(i) for i in self.conn.execute(query).scalars())
        return found
