"""Closing wishes: a want fulfilled with evidence and its author's rating (its helpers paid
through the ledgers, once), a suggestion adopted as a case, a council topic or a project (its
author paid), wants expired past their date."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import attrs

from commgov.cases.service.cases import CaseService
from commgov.errors import ValidationError
from commgov.kernel.actors import Actor
from commgov.ledger.model import (
    ISSUANCE,
    SYSTEM,
    TransferRequest,
    internal_id,
    resident_account,
    resident_code,
)
from commgov.ledger.service.ledger import LedgerService
from commgov.ledger.service.points import PointsService
from commgov.ledger.service.timebank import LEDGER as TIME
from commgov.wishes.model import checks
from commgov.wishes.model.limits import EVIDENCE_MAX, NOTE_MAX, REF_MAX
from commgov.wishes.model.vocab import WANT_OPEN
from commgov.wishes.model.wish import Wish
from commgov.wishes.service.desk import WishDesk
from commgov.wishes.service.matching import end_matches, live_matches_held
from commgov.wishes.service.posting import close
from commgov.wishes.views import PaymentView

PAYER: Final = "wishes"
"""The ledgers record a wish's payments as made by ``system:wishes`` (the fulfilment's own
actor is in the wish's audit row): a resident fulfilling their own want may not write to the
ledgers, yet the fulfilment pays."""


class Payer:
    """Pays wish rewards through the points ledger (the town's table and caps) and the time
    bank, under client ids of the library's own: ``commgov:wish:<id>:<why>:<resident>``."""

    def __init__(self, ledger: LedgerService, points: PointsService) -> None:
        self.ledger = ledger
        self.points = points

    def pay(
        self, desk: WishDesk, wish: Wish, helpers: Sequence[tuple[str, int | None]], why: str
    ) -> list[PaymentView]:
        """What ``commgov_wish_reward`` gives each helper (``(kind, resident id)``, each paid
        once), paid to those who are residents still living in the town."""
        payer = Actor.system(PAYER)
        info = wish.info(desk.ctx.zone)
        out: list[PaymentView] = []
        for kind, resident_id in dict.fromkeys(helpers):
            reward = desk.rules.reward(info, kind)
            if resident_id is None or not (reward.points or reward.minutes):
                continue
            row = desk.resident(resident_id)
            if row is None or row.left_at is not None:
                continue  # a helper who left the town is paid nothing
            granted = 0
            if reward.points and reward.activity is not None:
                earning = self.points.earn_internal(
                    payer,
                    resident_id,
                    reward.activity,
                    key=("wish", wish.id, why, resident_id),
                    quantity=reward.points,
                )
                granted = earning.granted
            if reward.minutes:
                self._bank(
                    desk,
                    payer=payer,
                    wish=wish,
                    why=why,
                    resident_id=resident_id,
                    unit_id=row.unit_id,
                    minutes=reward.minutes,
                )
            out.append(
                PaymentView(
                    resident_id=resident_id,
                    activity=reward.activity if reward.points else None,
                    points=granted,
                    minutes=reward.minutes,
                )
            )
        return out

    def _bank(
        self,
        desk: WishDesk,
        *,
        payer: Actor,
        wish: Wish,
        why: str,
        resident_id: int,
        unit_id: int,
        minutes: int,
    ) -> None:
        code = resident_code(resident_id)
        batch = self.ledger.batch(desk.uow, payer)
        batch.hold(TIME, opening={ISSUANCE: SYSTEM, code: resident_account(resident_id, unit_id)})
        request = TransferRequest(
            internal_id("wish", wish.id, why, "time", resident_id),
            TIME,
            ISSUANCE,
            code,
            minutes,
            f"wish:{wish.id}",
        )
        self.ledger.apply(desk.uow, payer, [request], batch=batch)


def _payments(found: Sequence[PaymentView]) -> list[dict[str, Any]]:
    return [p.model_dump() for p in found]


def fulfil(
    desk: WishDesk,
    payer: Payer,
    wish_id: int,
    *,
    evidence: object,
    rating: object,
    note: object,
) -> tuple[Wish, list[PaymentView]]:
    """Fulfil a want: the want as it now is, and what its helpers were paid."""
    refs = checks.references("evidence", evidence, EVIDENCE_MAX)
    stars = checks.rating(rating)
    words = checks.optional_text("note", note, NOTE_MAX)
    want = desk.wish(wish_id, lock=True)  # a second fulfilment waits here, then finds it done
    if want.kind != "want":
        raise ValidationError(
            "wish_id", wish_id, f"wish {wish_id} is a {want.kind}: only a want is fulfilled"
        )
    desk.authorize_own(want)
    desk.refuse_state(want, WANT_OPEN, "fulfilled")
    matches, offers = live_matches_held(desk, {want.id: want})
    accepted = [m for m in matches if m.state == "accepted"]
    end_matches(desk, [m for m in matches if m.state == "proposed"], "cancelled", "want fulfilled")
    for match in accepted:
        desk.repo.update_match(match.id, {"state": "fulfilled"})
    helpers = [
        (offers[m.offer_id].author_kind, offers[m.offer_id].author_resident_id) for m in accepted
    ]
    paid = payer.pay(desk, want, helpers, "helped")
    rewards = _payments(paid)
    desk.repo.update(
        want.id,
        {
            "state": "fulfilled",
            "closed_at": desk.now,
            "rating": stars,
            "evidence": list(refs),
            "note": words,
            "rewards": rewards,
        },
    )
    desk.ctx.audit(
        desk.uow, desk.actor, "wish.fulfil", entity="wish", entity_id=want.id,
        detail={"matches": len(accepted), "rating": stars, "paid": len(paid)},
    )  # fmt: skip
    done = attrs.evolve(
        want, state="fulfilled", closed_at=desk.now, rating=stars, evidence=tuple(refs),
        note=words, rewards=tuple(rewards),
    )  # fmt: skip
    return done, paid


def adopt(
    desk: WishDesk,
    payer: Payer,
    wish_id: int,
    *,
    to: str,
    reference: str | None,
    grid: str | None = None,
    category: str | None = None,
) -> list[PaymentView]:
    """A suggestion becomes a case (``to="case"``: reported on the channel ``micro_wish``), a
    council topic or a project; its resident author is paid as ``commgov_wish_reward`` says."""
    wish = desk.wish(wish_id, lock=True)
    if wish.kind != "suggestion":
        raise ValidationError(
            "wish_id", wish_id, f"wish {wish_id} is a {wish.kind}: only a suggestion is adopted"
        )
    desk.authorize_manage(wish)
    desk.refuse_state(wish, ("open",), "adopted")
    values: dict[str, Any] = {"state": "adopted", "closed_at": desk.now, "referred_to": to}
    if to == "case":
        case = CaseService(desk.ctx).report(
            desk.actor,
            text=wish.text,
            channel="micro_wish",
            unit=grid or wish.unit_code,
            category=category,
            address=wish.address,
            lat=wish.lat,
            lon=wish.lon,
            photos=wish.photos,
        )
        values |= {"case_id": case.id, "reference": case.number}
    else:
        values["reference"] = reference
    paid = payer.pay(desk, wish, [(wish.author_kind, wish.author_resident_id)], "adopted")
    values["rewards"] = _payments(paid)
    desk.repo.update(wish.id, values)
    desk.ctx.audit(
        desk.uow, desk.actor, "wish.adopt", entity="wish", entity_id=wish.id,
        detail={"to": to, "reference": values.get("reference"), "paid": len(paid)},
    )  # fmt: skip
    return paid


def check_reference(reference: object) -> str:
    return checks.text("reference", reference, REF_MAX)


def expire(desk: WishDesk, path: str) -> list[int]:
    """Open wants under ``path`` (nobody accepted them) past their wanted-by day, expired."""
    due = desk.repo.due(path, desk.today)
    expired: list[int] = []
    for wish_id in due:
        wish = desk.wish(wish_id, lock=True)
        if wish.state != "open" or wish.wanted_by is None or wish.wanted_by >= desk.today:
            continue  # changed since it was listed
        reason = f"到期未能实现 nobody met it by {wish.wanted_by.isoformat()}"
        close(desk, [wish], "expired", reason)
        expired.append(wish_id)
    return expired


__all__ = ["PAYER", "Payer", "adopt", "check_reference", "expire", "fulfil"]
