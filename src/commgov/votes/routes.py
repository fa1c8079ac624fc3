"""Votes over HTTP: open a vote, cast one ballot per voter (online or on paper), turnout,
close, the result with its receipts' digests, verify a receipt, recount.

A secret ballot's receipt is never kept by the server: a ballot of a secret vote is cast
without the ``Idempotency-Key`` store (which keeps the caller, the request and the answer),
so a retry is refused by the store's one-ballot-per-voter key (409) rather than replayed."""

from __future__ import annotations

from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from commgov.kernel.values import INT32
from commgov.kernel.views import View
from commgov.kernel.web.once import IdempotencyKey, once
from commgov.kernel.web.pages import Cursor, Limit, Page, decode_cursor, page_of, stale_cursor
from commgov.kernel.web.routes import PROBLEMS, PathId
from commgov.kernel.web.state import Caller, service
from commgov.people.model.limits import UNIT_CODE_MAX
from commgov.votes.model.ballots import Electorate, OptionKind
from commgov.votes.model.limits import (
    CODE_MAX,
    NOTE_MAX,
    OPTION_MAX,
    OPTIONS_MAX,
    QUESTION_MAX,
    VOTER_KEY_MAX,
)
from commgov.votes.service.votes import VoteService
from commgov.votes.views import (
    BallotReceipt,
    RecountView,
    ResultView,
    TurnoutView,
    VoteView,
)

T = TypeVar("T")
router = APIRouter(tags=["votes"], responses=PROBLEMS)
Votes = Annotated[VoteService, Depends(service(VoteService))]
UnitCode = Annotated[
    str, Query(min_length=1, max_length=UNIT_CODE_MAX, description="A unit's code.")
]
Option = Annotated[str, StringConstraints(min_length=1, max_length=OPTION_MAX)]
Choices = Annotated[tuple[Option, ...], Field(min_length=1, max_length=OPTIONS_MAX)]
Receipt = Annotated[str, StringConstraints(min_length=8, max_length=64)]


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class VoteRuleView(View):
    """A rule a vote may be put under: the weights it counts and the matters it needs."""

    code: str
    label: str
    label_en: str
    weights: list[str]
    matters: list[int]


class VoteOpening(_Body):
    """A vote and its electorate: a council's members or representatives (``council``), or
    the households or owners under ``unit``; ``yes_no``, ``one_of`` or ``several_of``
    ``options``; a rule of ``/vote-rules`` (``civil_code_278`` with its ``matter``)."""

    question: Annotated[str, StringConstraints(min_length=1, max_length=QUESTION_MAX)]
    electorate: Electorate
    unit: Annotated[str, StringConstraints(min_length=1, max_length=UNIT_CODE_MAX)] | None = None
    council: Annotated[int, Field(ge=1, le=INT32)] | None = None
    kind: OptionKind = "yes_no"
    options: Annotated[tuple[Option, ...], Field(max_length=OPTIONS_MAX)] | None = None
    max_choices: Annotated[int, Field(ge=1, le=OPTIONS_MAX)] | None = None
    rule: Annotated[str, StringConstraints(min_length=1, max_length=CODE_MAX)] = "simple_majority"
    matter: Annotated[int, Field(ge=1, le=9)] | None = None
    secret: bool = True
    changeable: bool = False
    closes_at: AwareDatetime | None = None


class OnlineBallot(_Body):
    """Option labels (a yes/no vote also takes ``yes``, ``no``, ``abstain``); ``replaces``:
    the receipt of the caller's secret ballot to change, where the vote allows it."""

    choices: Choices
    replaces: Receipt | None = None


class PaperBallot(_Body):
    """A paper ballot entered by staff for a voter on the roll (``household:12`` …)."""

    voter: Annotated[str, StringConstraints(min_length=1, max_length=VOTER_KEY_MAX)]
    choices: Choices


class VoteCancellation(_Body):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=NOTE_MAX)]


class ReceiptCheck(_Body):
    receipt: Receipt


class ReceiptCounted(View):
    """Whether the ballot with the receipt was counted."""

    counted: bool


class MyBallot(View):
    """The caller's own choices in an open (not secret) vote; ``None``: not voted yet."""

    choices: list[str] | None


@router.get("/vote-rules", response_model=list[VoteRuleView])
def vote_rules(*, actor: Caller, votes: Votes) -> list[VoteRuleView]:
    """Every rule a vote may be put under, by code (the core's and the plugins')."""
    return [
        VoteRuleView(
            code=r.code,
            label=r.label,
            label_en=r.label_en,
            weights=list(r.weights),
            matters=sorted(r.matters),
        )
        for r in votes.rules()
    ]


@router.post("/votes", status_code=201, response_model=VoteView)
def open_vote(
    *, request: Request, body: VoteOpening, actor: Caller, votes: Votes, key: IdempotencyKey = None
) -> JSONResponse:
    """Open a vote and freeze its roll (those who manage the vote's unit)."""

    def work() -> VoteView:
        return votes.open(
            actor, question=body.question, electorate=body.electorate, unit=body.unit,
            council=body.council, kind=body.kind, options=body.options,
            max_choices=body.max_choices, rule=body.rule, matter=body.matter,
            secret=body.secret, changeable=body.changeable, closes_at=body.closes_at,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.get("/votes", response_model=Page[VoteView])
def list_votes(
    *, actor: Caller, votes: Votes, unit: UnitCode, cursor: Cursor = None, limit: Limit = 50
) -> Page[VoteView]:
    """The votes of a unit and the units below it, oldest first, a page at a time."""
    with stale_cursor(cursor):
        found = votes.of_unit(actor, unit, after_id=decode_cursor(cursor), limit=limit + 1)
    return page_of(found, limit, key=lambda v: v.id)


@router.get("/votes/{vote_id}", response_model=VoteView)
def get_vote(*, vote_id: PathId, actor: Caller, votes: Votes) -> VoteView:
    """The vote, to staff within reach and voters on its roll (no counts before close)."""
    return votes.get(actor, vote_id)


@router.post("/votes/{vote_id}/ballots", status_code=201, response_model=BallotReceipt)
def cast_ballot(
    *,
    request: Request,
    vote_id: PathId,
    body: OnlineBallot,
    actor: Caller,
    votes: Votes,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Cast the caller's ballot: one per voter (a second is a 409 unless the vote lets a
    ballot be changed). The receipt comes back once: keep it to verify the ballot was
    counted. A secret vote's ballot is never replayed under an ``Idempotency-Key``."""
    kept = None if votes.get(actor, vote_id).secret else key

    def work() -> BallotReceipt:
        return votes.cast(actor, vote_id, choices=body.choices, replaces=body.replaces)

    return once(request, actor, kept, body, work)


@router.post("/votes/{vote_id}/paper-ballots", status_code=201, response_model=BallotReceipt)
def cast_paper_ballot(
    *,
    request: Request,
    vote_id: PathId,
    body: PaperBallot,
    actor: Caller,
    votes: Votes,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Staff within reach enter a paper ballot for a voter on the roll; hand the receipt to
    the voter. As online, a secret vote's ballot is never replayed."""
    kept = None if votes.get(actor, vote_id).secret else key

    def work() -> BallotReceipt:
        return votes.cast_paper(actor, vote_id, voter=body.voter, choices=body.choices)

    return once(request, actor, kept, body, work)


@router.get("/votes/{vote_id}/turnout", response_model=TurnoutView)
def turnout(*, vote_id: PathId, actor: Caller, votes: Votes) -> TurnoutView:
    """How many on the roll have voted (never what they chose); staff also see who."""
    return votes.turnout(actor, vote_id)


@router.get("/votes/{vote_id}/my-ballot", response_model=MyBallot)
def my_ballot(*, vote_id: PathId, actor: Caller, votes: Votes) -> MyBallot:
    """The caller's own choices in an open vote (a secret ballot is not read back: 409)."""
    return MyBallot(choices=votes.my_ballot(actor, vote_id))


@router.post("/votes/{vote_id}/closing", response_model=ResultView)
def close_vote(
    *, request: Request, vote_id: PathId, actor: Caller, votes: Votes, key: IdempotencyKey = None
) -> JSONResponse:
    """Close the vote, count it and publish the result."""
    return once(request, actor, key, None, lambda: votes.close(actor, vote_id), status=200)


@router.post("/votes/{vote_id}/cancellation", response_model=VoteView)
def cancel_vote(
    *,
    request: Request,
    vote_id: PathId,
    body: VoteCancellation,
    actor: Caller,
    votes: Votes,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Cancel an open vote: its ballots are kept and never counted."""

    def work() -> VoteView:
        return votes.cancel(actor, vote_id, reason=body.reason)

    return once(request, actor, key, body, work, status=200)


@router.get("/votes/{vote_id}/result", response_model=ResultView)
def vote_result(*, vote_id: PathId, actor: Caller, votes: Votes) -> ResultView:
    """The result of a closed vote (before it closes: 409, no peeking)."""
    return votes.result(actor, vote_id)


@router.get("/votes/{vote_id}/recount", response_model=RecountView)
def recount(*, vote_id: PathId, actor: Caller, votes: Votes) -> RecountView:
    """The closed vote's ballots counted again one by one, beside the result."""
    return votes.recount(actor, vote_id)


@router.post("/votes/{vote_id}/verification", response_model=ReceiptCounted)
def verify_receipt(
    *,
    request: Request,
    vote_id: PathId,
    body: ReceiptCheck,
    actor: Caller,
    votes: Votes,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Was the ballot with this receipt counted? (A POST, so the receipt stays out of URLs
    and logs; it writes nothing, so it is answered afresh, never from the key store.)"""

    def work() -> ReceiptCounted:
        return ReceiptCounted(counted=votes.verify(actor, vote_id, receipt=body.receipt))

    return once(request, actor, None, body, work, status=200)
