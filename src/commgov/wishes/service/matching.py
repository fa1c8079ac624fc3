"""Matching offers to wants: ranked candidates, proposals (each holding part of the offer's
capacity, checked under the offer's row lock), acceptance and refusal by the want's side, and
ending matches when a wish closes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from commgov.errors import ConflictError, NotFoundError, StateError, ValidationError
from commgov.wishes.model.categories import top
from commgov.wishes.model.checks import entity_id, optional_text, quantity
from commgov.wishes.model.limits import NOTE_MAX
from commgov.wishes.model.matching import Placed, Score, rank
from commgov.wishes.model.rules import MatchInfo
from commgov.wishes.model.vocab import LIVE_MATCHES, WANT_OPEN, WISH_MANAGE, WISH_POST, MatchState
from commgov.wishes.model.wish import Match, Wish
from commgov.wishes.service.desk import WishDesk
from commgov.wishes.views import CandidateView, MatchView

LIMIT_MAX: Final = 100


def match_view(match: Match) -> MatchView:
    return MatchView(
        id=match.id,
        want_id=match.want_id,
        offer_id=match.offer_id,
        quantity=match.quantity,
        score=match.score,
        reasons=match.reasons,
        state=match.state,
        proposed_by=match.proposed_by,
        proposed_at=match.proposed_at,
        decided_by=match.decided_by,
        decided_at=match.decided_at,
        note=match.note,
    )


def _placed(wish: Wish) -> Placed:
    return Placed(wish.category, wish.unit_id, wish.unit_parent_id, wish.lat, wish.lon)


def _author_key(wish: Wish) -> tuple[str, int | str]:
    person = wish.author_resident_id or wish.author_staff_id
    return wish.author_kind, person if person is not None else (wish.author_ref or "")


def _score(desk: WishDesk, want: Wish, offer: Wish, need: int) -> Score | None:
    ratings = desk.repo.ratings([offer])
    mean, count = ratings.get(_author_key(offer), (None, 0))
    return rank(
        _placed(want), _placed(offer), need=need, spare=offer.spare, rating=mean, rated=count
    )


def _want(wish: Wish, field: str = "want_id") -> Wish:
    if wish.kind != "want":
        raise ValidationError(field, wish.id, f"wish {wish.id} is a {wish.kind}, not a want")
    return wish


# -- candidates ----------------------------------------------------------------------------
def candidates(desk: WishDesk, want_id: int, limit: int) -> list[CandidateView]:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= LIMIT_MAX:
        raise ValidationError("limit", limit, f"expected a whole number from 1 to {LIMIT_MAX}")
    want = _want(desk.wish(want_id, field="want_id"))
    desk.authorize_read(want)
    desk.refuse_state(want, WANT_OPEN, "matched")
    need = want.spare
    if need <= 0:
        return []
    paired = {m.offer_id for m in desk.repo.matches(want_ids=[want.id], states=LIVE_MATCHES)}
    offers = [o for o in desk.repo.open_offers(top(want.category)) if o.id not in paired]
    ratings = desk.repo.ratings(offers)
    scored: list[tuple[Score, Wish]] = []
    for offer in offers:
        mean, count = ratings.get(_author_key(offer), (None, 0))
        found = rank(
            _placed(want), _placed(offer), need=need, spare=offer.spare, rating=mean, rated=count
        )
        if found is not None:
            scored.append((found, offer))
    scored.sort(key=lambda pair: (-pair[0].value, pair[1].id))
    chosen = scored[:limit]
    views = desk.views([offer for _, offer in chosen])
    return [
        CandidateView(offer=view, score=score.value, reasons=score.reasons)
        for (score, _), view in zip(chosen, views, strict=True)
    ]


# -- proposing -----------------------------------------------------------------------------
def propose(desk: WishDesk, want_id: int, offer_id: int, amount: int) -> Match:
    entity_id("want_id", want_id)
    entity_id("offer_id", offer_id)
    quantity(amount)
    if want_id == offer_id:
        raise ValidationError("offer_id", offer_id, "a want cannot be matched to itself")
    locked = desk.lock([want_id, offer_id])
    for field, wish_id in (("want_id", want_id), ("offer_id", offer_id)):
        if wish_id not in locked:
            raise NotFoundError("wish", wish_id, message=f"{field}={wish_id}: no such wish")
    want, offer = _want(locked[want_id]), locked[offer_id]
    if offer.kind != "offer":
        raise ValidationError(
            "offer_id", offer_id, f"wish {offer_id} is a {offer.kind}, not an offer"
        )
    if not desk.may(WISH_MANAGE, desk.unit_target(want)):
        desk.ctx.authorize(desk.actor, WISH_POST, desk.own_target(offer))
        desk.authorize_read(want)
    desk.refuse_state(want, WANT_OPEN, "matched")
    desk.refuse_state(offer, ("open",), "proposed")
    if desk.repo.live_pair(want.id, offer.id) is not None:
        raise ConflictError(f"offer {offer.id} is proposed for want {want.id} already")
    if amount > offer.spare:
        raise ValidationError(
            "quantity", amount, f"offer {offer.id} has {offer.spare} of {offer.quantity} left"
        )
    if amount > want.spare:
        raise ValidationError(
            "quantity", amount, f"want {want.id} needs {want.spare} more of {want.quantity}"
        )
    found = _score(desk, want, offer, want.spare)
    score = found or Score(0.0, ("chosen by hand",))
    match_id = desk.repo.add_match(
        {
            "want_id": want.id,
            "offer_id": offer.id,
            "quantity": amount,
            "score": score.value,
            "reasons": list(score.reasons),
            "state": "proposed",
            "proposed_by": desk.actor.label(),
            "proposed_at": desk.now,
        }
    )
    if not desk.repo.commit_capacity(offer.id, amount):  # the check constraint's twin
        raise ValidationError("quantity", amount, f"offer {offer.id} has not that much left")
    zone = desk.ctx.zone
    info = MatchInfo(
        match_id, want.info(zone), offer.info(zone), amount, score.value, score.reasons
    )
    desk.rules.matched(info)
    desk.ctx.audit(
        desk.uow,
        desk.actor,
        "wish.propose",
        entity="wish",
        entity_id=want.id,
        detail={"match": match_id, "offer": offer.id, "quantity": amount},
    )
    return Match(
        id=match_id,
        want_id=want.id,
        offer_id=offer.id,
        quantity=amount,
        score=score.value,
        reasons=tuple(score.reasons),
        state="proposed",
        proposed_by=desk.actor.label(),
        proposed_at=desk.now,
    )


def _reload(desk: WishDesk, match_id: int) -> Match:
    found = desk.repo.match(match_id)
    assert found is not None
    return found


def _locked_match(desk: WishDesk, match_id: int) -> tuple[Match, Wish, Wish]:
    """The match (read again once its want and offer are locked, where locks are taken row
    by row) and both wishes."""
    entity_id("match_id", match_id)
    first = desk.repo.match(match_id)
    if first is None:
        raise NotFoundError("match", match_id, message=f"no match with id {match_id}")
    locked = desk.lock([first.want_id, first.offer_id])
    match = _reload(desk, match_id) if desk.repo.row_locks else first
    return match, locked[first.want_id], locked[first.offer_id]


def _not_proposed(match_id: int, state: str) -> StateError:
    return StateError(f"match_id={match_id}: the match is {state}; only a proposed one is accepted")


def accept(desk: WishDesk, match_id: int) -> Match:
    entity_id("match_id", match_id)
    match = desk.repo.match(match_id)
    if match is None:
        raise NotFoundError("match", match_id, message=f"no match with id {match_id}")
    locked = desk.lock([match.want_id, match.offer_id])
    want, offer = locked[match.want_id], locked[match.offer_id]
    desk.authorize_own(want)
    if match.state != "proposed":  # a match that left "proposed" never comes back to it
        raise _not_proposed(match_id, match.state)
    desk.refuse_state(want, WANT_OPEN, "matched")
    decided = {"state": "accepted", "decided_by": desk.actor.label(), "decided_at": desk.now}
    if not desk.repo.decide_match(match.id, "proposed", decided):  # changed before the locks
        raise _not_proposed(match_id, _reload(desk, match_id).state)
    if not desk.repo.commit_capacity(want.id, match.quantity, matched=True):
        raise ValidationError(
            "match_id",
            match_id,
            f"want {want.id} needs {want.spare} more; this match gives {match.quantity}",
        )
    desk.ctx.audit(
        desk.uow, desk.actor, "wish.accept", entity="wish", entity_id=want.id,
        detail={"match": match.id, "offer": offer.id, "quantity": match.quantity},
    )  # fmt: skip
    return attrs.evolve(match, state="accepted", decided_by=desk.actor.label(), decided_at=desk.now)


def decline(desk: WishDesk, match_id: int, reason: str | None) -> Match:
    note = optional_text("reason", reason, NOTE_MAX)
    match, want, offer = _locked_match(desk, match_id)
    if not desk.may(WISH_POST, desk.own_target(offer)):
        desk.authorize_own(want)
    if match.state not in LIVE_MATCHES:
        raise StateError(
            f"match_id={match_id}: the match is {match.state}; only a proposed or accepted one "
            "is declined"
        )
    end_matches(desk, [match], "declined", note)
    desk.ctx.audit(
        desk.uow, desk.actor, "wish.decline", entity="wish", entity_id=want.id,
        detail={"match": match.id, "offer": offer.id, "was": match.state},
    )  # fmt: skip
    return _reload(desk, match.id)


# -- ending matches ------------------------------------------------------------------------
def live_matches_locked(desk: WishDesk, wish_ids: Sequence[int]) -> list[Match]:
    """The live matches of these wishes (as want or offer), with every wish they touch locked
    (in id order, those named first), read again under the locks."""
    return live_matches_held(desk, desk.lock(wish_ids))[0]


def live_matches_held(
    desk: WishDesk, held: Mapping[int, Wish]
) -> tuple[list[Match], dict[int, Wish]]:
    """The live matches of the wishes ``held`` (locked already), with every other wish they
    touch locked too; and every wish locked, as read under its lock. Every call that adds or
    changes a match holds the locks of both its wishes, so the matches of a held wish read
    once stay as read."""
    ids = sorted(held)
    if len(ids) == 1:  # one statement: the matches and the wishes at their other ends
        found, others = desk.repo.live_with_others(ids[0])
        return found, {**others, **held}
    found = desk.repo.matches(want_ids=ids, offer_ids=ids, states=LIVE_MATCHES)
    touched = {m.want_id for m in found} | {m.offer_id for m in found}
    locked = dict(held)
    if not touched <= set(locked):
        locked |= desk.lock(touched - set(locked))
    return found, locked


def end_matches(
    desk: WishDesk, matches: Sequence[Match], state: MatchState, note: str | None
) -> None:
    """End live matches (their wishes locked): each gives its offer's capacity back, and an
    accepted one its want's cover (a want nobody covers any more is open again)."""
    reopened: set[int] = set()
    for match in matches:
        desk.repo.update_match(
            match.id,
            {
                "state": state,
                "decided_by": desk.actor.label(),
                "decided_at": desk.now,
                "note": note,
            },
        )
        desk.repo.commit_capacity(match.offer_id, -match.quantity)
        if match.state == "accepted":
            desk.repo.commit_capacity(match.want_id, -match.quantity)
            reopened.add(match.want_id)
    for want in desk.repo.many(reopened).values():
        if want.state == "matched" and want.committed == 0:
            desk.repo.update(want.id, {"state": "open"})


__all__ = [
    "accept",
    "candidates",
    "decline",
    "end_matches",
    "live_matches_held",
    "live_matches_locked",
    "propose",
]
