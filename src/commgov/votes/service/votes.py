"""``cg.votes``: questions put to an electorate under a rule (表决), with the store keeping one
ballot per voter, secret where asked, and counting only after close.

- Staff who may manage a unit (``manage_units``) open, close and cancel its votes and keep
  its owners' register; staff within reach (``write``) enter paper ballots; staff within
  reach (``read``) and the voters on the roll read votes and, once closed, results.
- A voter votes as themselves: a household's resident for the household, a council member
  (a resident or a staff member) for themselves. Who may vote is the roll frozen at opening.
- Every write runs in one unit of work and is audited; a secret ballot's audit entry says
  that the voter voted, never what they chose."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Final, TypeVar

from commgov.councils.service.councils import load_council
from commgov.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    PluginError,
    StateError,
    ValidationError,
)
from commgov.kernel.access import MANAGE_UNITS, READ, WRITE
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import local_date, optional_utc
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import row_id, whole_number
from commgov.people.model.units import Unit, unit_target
from commgov.people.repository import UnitRepository
from commgov.people.service.grids import load_unit
from commgov.votes.calls import vote_rules
from commgov.votes.model import checks
from commgov.votes.model.ballots import (
    ELECTORATES,
    check_receipt,
    choices_mask,
    chosen,
    new_receipt,
    options_of,
    owner_tag,
    receipt_digest,
)
from commgov.votes.model.limits import (
    DWELLING_MAX,
    DWELLINGS_MAX,
    NOTE_MAX,
    QUESTION_MAX,
    VOTER_KEY_MAX,
)
from commgov.votes.model.rules import VoteRule
from commgov.votes.model.tally import as_record, count, decide, from_record
from commgov.votes.model.values import DwellingEntry, RollEntry, Vote
from commgov.votes.repository import VoteRepository
from commgov.votes.service import events
from commgov.votes.service.reading import option_results, result_view, vote_view
from commgov.votes.service.roll import build_roll, voter_keys
from commgov.votes.views import (
    BallotReceipt,
    DwellingView,
    RecountView,
    ResultView,
    TurnoutEntry,
    TurnoutView,
    VoteView,
)

T = TypeVar("T")
COUNCIL_ELECTORATES = ("council", "representatives")
LIST_MAX: Final = 100_000
"""The most votes one call of ``of_unit`` answers."""


class VoteService:
    """Votes, ballots and results. Reach it as ``cg.votes``."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def rules(self) -> list[VoteRule]:
        """Every rule a vote may be put under, by code (``commgov_vote_rules``)."""
        return sorted(vote_rules(self._ctx).values(), key=lambda r: r.code)

    # -- opening ---------------------------------------------------------------------------
    def open(
        self,
        actor: Actor,
        *,
        question: str,
        electorate: str,
        unit: str | None = None,
        council: int | None = None,
        kind: str = "yes_no",
        options: Sequence[str] | None = None,
        max_choices: int | None = None,
        rule: str = "simple_majority",
        matter: int | None = None,
        secret: bool = True,
        changeable: bool = False,
        closes_at: dt.datetime | None = None,
    ) -> VoteView:
        """Open a vote and freeze its roll. ``electorate``: ``council`` or
        ``representatives`` (of ``council``), ``households`` (one ballot each) or ``owners``
        (weighted by floor area, from the register) under ``unit``. ``kind``: ``yes_no``
        (同意/不同意/弃权), ``one_of`` or ``several_of`` ``options`` (at most ``max_choices``).
        ``rule`` is a code of ``rules()``; ``civil_code_278`` needs the article's ``matter``
        (1–9). ``secret`` ballots are kept apart from their voters; ``changeable`` lets a
        voter replace their ballot until close; ``closes_at`` ends the casting."""
        question = checks.text("question", question, QUESTION_MAX)
        if electorate not in ELECTORATES:
            raise ValidationError(
                "electorate", electorate, f"expected one of {', '.join(ELECTORATES)}"
            )
        kind_code, labels, most = options_of(kind, options, max_choices)
        found_rule = self._rule(rule, matter, electorate)
        council_id = checks.optional_id("council", council)
        if electorate in COUNCIL_ELECTORATES and council_id is None:
            raise ValidationError("council", None, f"a {electorate} vote needs its council")
        if council_id is None and unit is None:
            raise ValidationError("unit", None, f"a {electorate} vote needs its unit")
        for flag, value in (("secret", secret), ("changeable", changeable)):
            if not isinstance(value, bool):
                raise ValidationError(flag, value, "expected True or False")
        now = self._ctx.clock()
        closes = optional_utc("closes_at", closes_at)
        if closes is not None and closes <= now:
            raise ValidationError("closes_at", closes_at, "is not in the future")
        with self._ctx.uow() as uow:
            home = self._vote_unit(uow, unit, council_id)
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(home))
            roll = build_roll(uow, electorate, home, council_id, local_date(now, self._ctx.zone))
            repo = uow.repo(VoteRepository)
            vote_id = repo.add(
                {
                    "unit_id": home.id, "council_id": council_id, "question": question,
                    "kind": kind_code, "options": list(labels), "max_choices": most,
                    "electorate": electorate, "rule": found_rule.code, "matter": matter,
                    "secret": secret, "changeable": changeable, "state": "open",
                    "opened_at": now, "closes_at": closes, "created_by": actor.label(),
                    "roll_headcount": sum(e.headcount for e in roll),
                    "roll_area": sum(e.area for e in roll),
                }
            )  # fmt: skip
            repo.add_roll(vote_id, roll)
            events.emit(uow, "vote.opened", self._vote(uow, vote_id), unit=home.code, now=now)
            self._ctx.audit(
                uow, actor, "vote.open", entity="vote", entity_id=vote_id,
                detail={"unit": home.code, "electorate": electorate, "rule": found_rule.code,
                        "voters": len(roll), "secret": secret},
            )  # fmt: skip
            return vote_view(self._vote(uow, vote_id), home.code)

    def _rule(self, code: object, matter: object, electorate: str) -> VoteRule:
        rules = vote_rules(self._ctx)
        if not isinstance(code, str) or code not in rules:
            raise ValidationError("rule", code, f"expected one of {', '.join(sorted(rules))}")
        found = rules[code]
        if found.matters and matter not in found.matters:
            raise ValidationError(
                "matter", matter, f"rule {code} needs one of its matters "
                f"({', '.join(str(m) for m in sorted(found.matters))})",
            )  # fmt: skip
        if not found.matters and matter is not None:
            raise ValidationError("matter", matter, f"rule {code} takes no matter")
        if "area" in found.weights and electorate != "owners":
            raise ValidationError(
                "rule", code, "weighs floor area: only the owners electorate has it"
            )
        return found

    def _vote_unit(self, uow: UnitOfWork, unit: str | None, council_id: int | None) -> Unit:
        if council_id is None:
            assert unit is not None
            return load_unit(uow, unit, live=True)
        council, home = load_council(uow, council_id)
        if council.dissolved_at is not None:
            raise StateError(f"council {council.id} is dissolved")
        if unit is not None and load_unit(uow, unit).id != home.id:
            raise ValidationError("unit", unit, f"council {council.id} belongs to {home.code}")
        return home

    # -- casting ---------------------------------------------------------------------------
    def cast(
        self, actor: Actor, vote_id: int, *, choices: Sequence[str], replaces: str | None = None
    ) -> BallotReceipt:
        """Cast the actor's ballot: ``choices`` are option labels (a yes/no vote also takes
        ``yes``, ``no``, ``abstain``). Where the vote is ``changeable`` a voter may cast
        again until close; a secret ballot is replaced by giving its receipt as
        ``replaces``. Returns a new receipt."""
        key = checks.entity_id("vote", vote_id)
        token = None if replaces is None else check_receipt(replaces)

        def work(uow: UnitOfWork, vote: Vote, entry: RollEntry) -> BallotReceipt:
            mask = choices_mask(vote.options, vote.max_choices, choices)
            return self._ballot(uow, actor, vote, entry, mask, paper=False, replaces=token)

        return self._casting(actor, key, voter_keys(actor), work)

    def cast_paper(
        self, actor: Actor, vote_id: int, *, voter: str, choices: Sequence[str]
    ) -> BallotReceipt:
        """Enter a paper ballot for ``voter`` (a key of the roll, e.g. ``household:12``),
        marked as paper; staff within reach of the vote's unit (``write``) only. Hand the
        receipt to the voter. A paper ballot is not changed."""
        key = checks.entity_id("vote", vote_id)
        who = checks.text("voter", voter, VOTER_KEY_MAX)

        def work(uow: UnitOfWork, vote: Vote, entry: RollEntry) -> BallotReceipt:
            home = uow.repo(UnitRepository).get(vote.unit_id)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            mask = choices_mask(vote.options, vote.max_choices, choices)
            return self._ballot(uow, actor, vote, entry, mask, paper=True, replaces=None)

        return self._casting(actor, key, [who], work, voter_field="voter")

    def _casting(
        self,
        actor: Actor,
        vote_id: int,
        keys: Sequence[str],
        work: Callable[[UnitOfWork, Vote, RollEntry], BallotReceipt],
        voter_field: str | None = None,
    ) -> BallotReceipt:
        with self._ctx.uow() as uow:
            found = uow.repo(VoteRepository).for_cast(vote_id, keys, lock=True)
            if found is None:
                raise NotFoundError("vote", vote_id)
            vote, entry = found
            now = self._ctx.clock()
            if not vote.accepts_ballots_at(now):
                state = vote.state
                if state == "open":
                    state = "not open yet" if now < vote.opened_at else "past its closing time"
                raise StateError(f"vote {vote.id} is {state}: it takes no more ballots")
            if entry is None:
                if voter_field is not None:
                    raise ValidationError(voter_field, keys[0], f"is not on vote {vote.id}'s roll")
                raise PermissionDenied(
                    actor.label(), "vote in", f"vote {vote.id} (not on its roll)"
                )
            return work(uow, vote, entry)

    def _ballot(
        self,
        uow: UnitOfWork,
        actor: Actor,
        vote: Vote,
        entry: RollEntry,
        mask: int,
        *,
        paper: bool,
        replaces: str | None,
    ) -> BallotReceipt:
        repo = uow.repo(VoteRepository)
        now = self._ctx.clock()
        receipt = new_receipt()
        digest = receipt_digest(vote.id, receipt)
        ballot = {
            "vote_id": vote.id, "digest": digest, "choices": mask, "headcount": entry.headcount,
            "owner": owner_tag(vote.id, entry.voter_key, receipt), "area": entry.area,
            "paper": paper, "voter_key": None if vote.secret else entry.voter_key,
        }  # fmt: skip
        changed = replaces is not None or not repo.add_turnout(
            {
                "vote_id": vote.id,
                "voter_key": entry.voter_key,
                "cast_at": now,
                "paper": paper,
                "entered_by": actor.label(),
            }
        )
        if changed:
            self._replace(repo, vote, entry, ballot, paper=paper, replaces=replaces)
            repo.mark_changed(vote.id, entry.voter_key, {"changed_at": now})
        else:
            repo.add_ballot(ballot)
        detail: dict[str, object] = {"channel": "paper" if paper else "online", "changed": changed}
        if paper:
            detail["voter"] = entry.voter_key
        if not vote.secret:
            detail["choices"] = chosen(vote.options, mask)
        self._ctx.audit(uow, actor, "vote.cast", entity="vote", entity_id=vote.id, detail=detail)
        return BallotReceipt(
            vote_id=vote.id, receipt=receipt, digest=digest.hex(), changed=changed, paper=paper
        )

    def _replace(
        self,
        repo: VoteRepository,
        vote: Vote,
        entry: RollEntry,
        ballot: dict[str, object],
        *,
        paper: bool,
        replaces: str | None,
    ) -> None:
        on_paper = repo.voted_on_paper(vote.id, entry.voter_key)
        if on_paper is None:
            raise ValidationError("replaces", "…", "there is no ballot of yours to replace")
        if paper or not vote.changeable:
            raise ConflictError(
                f"{entry.voter_key} has already voted in vote {vote.id}, "
                "which does not let a ballot be changed"
            )
        if on_paper:
            raise ConflictError(
                f"{entry.voter_key} voted on paper in vote {vote.id}: a paper ballot is not changed"
            )
        if vote.secret:
            if replaces is None:
                raise ConflictError(
                    f"{entry.voter_key} has already voted in vote {vote.id}: to change a secret "
                    "ballot, give its receipt as replaces"
                )
            mine = owner_tag(vote.id, entry.voter_key, replaces)
            if not repo.drop_ballot(vote.id, receipt_digest(vote.id, replaces), mine):
                raise ValidationError(
                    "replaces", "…", f"is not the receipt of your ballot in vote {vote.id}"
                )
            repo.add_ballot(ballot)
            return
        mask, digest, owner = ballot["choices"], ballot["digest"], ballot["owner"]
        assert isinstance(mask, int) and isinstance(digest, bytes) and isinstance(owner, bytes)
        if not repo.rechoose(vote.id, entry.voter_key, mask, digest, owner):
            raise ConflictError(f"the ballot of {entry.voter_key} changed meanwhile; try again")

    # -- closing ---------------------------------------------------------------------------
    def close(self, actor: Actor, vote_id: int) -> ResultView:
        """Close the vote, count it and publish the result: both weights, the outcome under
        its rule, and the digest of every counted ballot's receipt."""
        key = checks.entity_id("vote", vote_id)
        self._stop_casting(actor, key)
        with self._ctx.uow() as uow:
            repo = uow.repo(VoteRepository)
            vote, home = self._load(uow, key, lock=True)
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(home))
            if vote.state != "open":
                raise StateError(f"vote {vote.id} is {vote.state}: only an open vote closes")
            rule = self._rule_of(vote)
            counts = repo.sums(vote)
            decision = decide(rule, vote.matter, counts, vote.kind == "yes_no")
            repo.update(
                vote.id,
                {
                    "state": "closed",
                    "closed_at": self._ctx.clock(),
                    "record": as_record(counts, decision),
                },
            )
            if vote.secret:
                repo.seal(vote.id)
            events.emit(
                uow, "vote.closed", self._vote(uow, vote.id), unit=home.code,
                now=self._ctx.clock(), outcome=str(decision.outcome), ballots=counts.ballots,
            )  # fmt: skip
            self._ctx.audit(
                uow, actor, "vote.close", entity="vote", entity_id=vote.id,
                detail={"outcome": decision.outcome, "ballots": counts.ballots},
            )  # fmt: skip
            return self._result(uow, self._vote(uow, vote.id))

    def _stop_casting(self, actor: Actor, vote_id: int) -> None:
        """First, in a transaction of its own, bring the vote's closing time to now (unless it
        has passed): from then on no new ballot starts, so closing, which locks the vote for
        update, waits only for the ballots already being cast. Changing the closing time
        does not wait for them (on PostgreSQL it takes a lock a ballot's hold does not block),
        so a steady stream of ballots cannot keep the vote from closing."""
        with self._ctx.uow() as uow:
            vote, home = self._load(uow, vote_id)
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(home))
            if vote.state != "open":
                raise StateError(f"vote {vote.id} is {vote.state}: only an open vote closes")
            now = self._ctx.clock()
            if vote.closes_at is None or vote.closes_at > now:
                uow.repo(VoteRepository).update(vote.id, {"closes_at": now})
                self._ctx.audit(
                    uow, actor, "vote.stop_casting", entity="vote", entity_id=vote.id,
                    detail={"closes_at": now.isoformat()},
                )  # fmt: skip

    def cancel(self, actor: Actor, vote_id: int, *, reason: str) -> VoteView:
        """Cancel an open vote: its ballots are kept and never counted."""
        key = checks.entity_id("vote", vote_id)
        why = checks.text("reason", reason, NOTE_MAX)
        with self._ctx.uow() as uow:
            vote, home = self._load(uow, key, lock=True)
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(home))
            if vote.state != "open":
                raise StateError(f"vote {vote.id} is {vote.state}: only an open vote is cancelled")
            uow.repo(VoteRepository).update(
                vote.id,
                {"state": "cancelled", "closed_at": self._ctx.clock(), "cancel_reason": why},
            )
            cancelled = self._vote(uow, vote.id)
            events.emit(uow, "vote.cancelled", cancelled, unit=home.code, now=self._ctx.clock())
            self._ctx.audit(uow, actor, "vote.cancel", entity="vote", entity_id=vote.id, detail={})
            return vote_view(self._vote(uow, vote.id), home.code)

    # -- reading ---------------------------------------------------------------------------
    def get(self, actor: Actor, vote_id: int) -> VoteView:
        """The vote (no counts: those come with ``result`` once it closes)."""
        return self._read(actor, vote_id, lambda uow, vote, home: vote_view(vote, home.code))

    def of_unit(
        self, actor: Actor, unit: str, *, after_id: int | None = None, limit: int | None = None
    ) -> list[VoteView]:
        """The votes of the unit with code ``unit`` and the units below it, oldest first; at
        most ``limit``, continuing after the id ``after_id`` (the last of a previous page)
        when given."""
        if after_id is not None:
            row_id("after_id", after_id)
        if limit is not None:
            whole_number("limit", limit, 1, LIST_MAX)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            found = uow.repo(VoteRepository).of_unit(top.path, after_id=after_id, limit=limit)
            units = {
                u.id: u.code for u in uow.repo(UnitRepository).many({v.unit_id for v in found})
            }
            return [vote_view(v, units[v.unit_id]) for v in found]

    def result(self, actor: Actor, vote_id: int) -> ResultView:
        """The result of a closed vote (none before: no peeking). Open votes also publish who
        chose what; secret ones only the receipts' digests."""

        def read(uow: UnitOfWork, vote: Vote, _home: Unit) -> ResultView:
            self._closed(vote)
            return self._result(uow, vote)

        return self._read(actor, vote_id, read)

    def verify(self, actor: Actor, vote_id: int, *, receipt: str) -> bool:
        """Was the ballot with this receipt counted? Asked once the vote has closed."""
        token = check_receipt(receipt)

        def read(uow: UnitOfWork, vote: Vote, _home: Unit) -> bool:
            self._closed(vote)
            return uow.repo(VoteRepository).has_digest(vote.id, receipt_digest(vote.id, token))

        return self._read(actor, vote_id, read)

    def my_ballot(self, actor: Actor, vote_id: int) -> list[str] | None:
        """The actor's own choices in an open (not secret) vote, ``None`` if they have not
        voted. A secret ballot is kept apart from its voter: nobody reads it back."""
        key = checks.entity_id("vote", vote_id)
        with self._ctx.uow(readonly=True) as uow:
            found = uow.repo(VoteRepository).for_cast(key, voter_keys(actor))
            if found is None:
                raise NotFoundError("vote", vote_id)
            vote, entry = found
            if entry is None:
                raise PermissionDenied(
                    actor.label(), "read a ballot of", f"vote {vote.id} (not on its roll)"
                )
            if vote.secret:
                raise StateError(f"vote {vote.id} is secret: no ballot is kept with its voter")
            held = uow.repo(VoteRepository).open_ballot(vote.id, entry.voter_key)
            return None if held is None else chosen(vote.options, held[1])

    def turnout(self, actor: Actor, vote_id: int) -> TurnoutView:
        """How many on the roll have voted (never what they chose), while open too; staff
        within reach also see who, when and how."""

        def read(uow: UnitOfWork, vote: Vote, home: Unit) -> TurnoutView:
            repo = uow.repo(VoteRepository)
            if not self._ctx.allowed(actor, READ, unit_target(home)):
                return TurnoutView(
                    vote_id=vote.id, roll_headcount=vote.roll_headcount,
                    voted=repo.turnout_count(vote.id),
                )  # fmt: skip
            rows = repo.turnout(vote.id)
            voters = [
                TurnoutEntry(voter=r.label, cast_at=r.cast_at, changed_at=r.changed_at,
                             paper=r.paper, entered_by=r.entered_by)
                for r in rows
            ]  # fmt: skip
            return TurnoutView(
                vote_id=vote.id, roll_headcount=vote.roll_headcount, voted=len(rows),
                voters=voters,
            )  # fmt: skip

        return self._read(actor, vote_id, read)

    def recount(self, actor: Actor, vote_id: int) -> RecountView:
        """Count a closed vote's ballots again, one by one, and compare with its result."""

        def read(uow: UnitOfWork, vote: Vote, home: Unit) -> RecountView:
            self._ctx.authorize(actor, READ, unit_target(home))
            self._closed(vote)
            kept, decision = from_record(vote.record or {})
            again = count(kept.roll, uow.repo(VoteRepository).ballots(vote.id), len(vote.options))
            carried = decide(self._rule_of(vote), vote.matter, again, vote.kind == "yes_no")
            return RecountView(
                vote_id=vote.id, matches=again == kept and carried == decision,
                ballots=again.ballots, options=option_results(vote, again, carried.carried),
            )  # fmt: skip

        return self._read(actor, vote_id, read)

    # -- owners' register ------------------------------------------------------------------
    def register_dwellings(
        self,
        actor: Actor,
        *,
        unit: str,
        dwellings: Sequence[DwellingEntry],
        total_area: object,
    ) -> list[DwellingView]:
        """Replace the owners' register of ``unit`` (a compound, a building): each dwelling's
        label, floor area and owning household. The areas must add up to ``total_area`` (m²,
        the buildings' registered total of 专有部分), or nothing is changed."""
        total = checks.area("total_area", total_area)
        if isinstance(dwellings, str) or not isinstance(dwellings, Sequence):
            raise ValidationError("dwellings", dwellings, "expected a list of DwellingEntry")
        if len(dwellings) > DWELLINGS_MAX:
            raise ValidationError("dwellings", len(dwellings), f"more than {DWELLINGS_MAX}")
        rows = [self._dwelling(i, d) for i, d in enumerate(dwellings)]
        labels = [str(r["label"]) for r in rows]
        if len(set(labels)) != len(labels):
            twice = next(label for label in labels if labels.count(label) > 1)
            raise ValidationError("dwellings", twice, "the same dwelling is listed twice")
        added = sum(int(str(r["area"])) for r in rows)
        if added != total:
            raise ValidationError(
                "total_area", total_area,
                f"the dwellings add up to {checks.square_metres(added)} m², not "
                f"{checks.square_metres(total)} m²",
            )  # fmt: skip
        with self._ctx.uow() as uow:
            home = load_unit(uow, unit, live=True)
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(home))
            repo = uow.repo(VoteRepository)
            owners = [int(str(r["household_id"])) for r in rows]
            missing = sorted(set(owners) - repo.household_ids(owners))
            if missing:
                raise NotFoundError("household", missing[0])
            now = self._ctx.clock()
            repo.replace_dwellings(
                home.id, [{**r, "unit_id": home.id, "registered_at": now} for r in rows]
            )
            self._ctx.audit(
                uow, actor, "votes.register_dwellings", entity="unit", entity_id=home.id,
                detail={"dwellings": len(rows), "area": str(checks.square_metres(total))},
            )  # fmt: skip
            return self._dwellings(uow, home)

    def dwellings(self, actor: Actor, unit: str) -> list[DwellingView]:
        """The owners' register under ``unit``, by unit and label."""
        with self._ctx.uow(readonly=True) as uow:
            home = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(home))
            return self._dwellings(uow, home)

    def _dwelling(self, index: int, entry: object) -> dict[str, object]:
        if not isinstance(entry, DwellingEntry):
            raise ValidationError(f"dwellings[{index}]", entry, "expected a DwellingEntry")
        return {
            "label": checks.text(f"dwellings[{index}].label", entry.label, DWELLING_MAX),
            "area": checks.area(f"dwellings[{index}].area", entry.area),
            "household_id": checks.entity_id(
                f"dwellings[{index}].household_id", entry.household_id
            ),
        }

    def _dwellings(self, uow: UnitOfWork, top: Unit) -> list[DwellingView]:
        found = uow.repo(VoteRepository).dwellings_under(top.path)
        units = {u.id: u.code for u in uow.repo(UnitRepository).many({d.unit_id for d in found})}
        return [
            DwellingView(id=d.id, unit_code=units[d.unit_id], label=d.label,
                         area=checks.square_metres(d.area), household_id=d.household_id)
            for d in found
        ]  # fmt: skip

    # -- helpers ---------------------------------------------------------------------------
    def _vote(self, uow: UnitOfWork, vote_id: int) -> Vote:
        found = uow.repo(VoteRepository).get(vote_id)
        if found is None:
            raise NotFoundError("vote", vote_id)
        return found

    def _load(self, uow: UnitOfWork, vote_id: int, *, lock: bool = False) -> tuple[Vote, Unit]:
        found = uow.repo(VoteRepository).get(vote_id, lock=lock)
        if found is None:
            raise NotFoundError("vote", vote_id)
        return found, uow.repo(UnitRepository).get(found.unit_id)

    def _read(self, actor: Actor, vote_id: int, read: Callable[[UnitOfWork, Vote, Unit], T]) -> T:
        """Run ``read`` for staff within reach of the vote's unit or a voter on its roll."""
        key = checks.entity_id("vote", vote_id)
        with self._ctx.uow(readonly=True) as uow:
            found = uow.repo(VoteRepository).for_cast(key, voter_keys(actor))
            if found is None:
                raise NotFoundError("vote", vote_id)
            vote, entry = found
            home = uow.repo(UnitRepository).get(vote.unit_id)
            if entry is None:
                self._ctx.authorize(actor, READ, unit_target(home))
            return read(uow, vote, home)

    def _closed(self, vote: Vote) -> None:
        if vote.state != "closed":
            raise StateError(
                f"vote {vote.id} is {vote.state}: results are published once it closes"
            )

    def _rule_of(self, vote: Vote) -> VoteRule:
        found = vote_rules(self._ctx).get(vote.rule)
        if found is None:
            raise PluginError(
                f"vote {vote.id} is under rule {vote.rule!r}, which no plugin offers any more"
            )
        return found

    def _result(self, uow: UnitOfWork, vote: Vote) -> ResultView:
        repo = uow.repo(VoteRepository)
        counts, decision = from_record(vote.record or {})
        choices = None if vote.secret else repo.open_choices(vote.id)
        return result_view(
            vote,
            rule=self._rule_of(vote),
            counts=counts,
            decision=decision,
            digests=repo.digests(vote.id),
            open_choices=choices,
        )
