"""Posting a wish (我想要 / 我愿做 / 我期望) with its author, unit, category and place; triage
into the three tiers; withdrawal by its author."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from commgov.errors import ValidationError
from commgov.kernel.access import Target
from commgov.people.model.units import Unit
from commgov.wishes.model import checks
from commgov.wishes.model.limits import (
    CODE_MAX,
    NAME_MAX,
    NOTE_MAX,
    PHOTOS_MAX,
    REF_MAX,
    TEXT_MAX,
)
from commgov.wishes.model.rules import Tier, TierDecision
from commgov.wishes.model.vocab import TIER_DAYS, WANT_OPEN, WISH_POST
from commgov.wishes.model.wish import Wish
from commgov.wishes.service.desk import WishDesk
from commgov.wishes.service.matching import end_matches, live_matches_locked


@attrs.frozen
class Posting:
    """A wish as the caller gave it, its fields checked (nothing read yet)."""

    kind: str
    category: str
    text: str
    unit: str | None
    resident_id: int | None
    author_kind: str
    author_name: str | None
    author_ref: str | None
    address: str | None
    lat: float | None
    lon: float | None
    photos: tuple[str, ...]
    wanted_by: dt.date | None
    quantity: int

    @classmethod
    def checked(
        cls,
        *,
        kind: object,
        category: object,
        text: object,
        unit: object,
        resident_id: object,
        author_kind: object,
        author_name: object,
        author_ref: object,
        address: object,
        lat: object,
        lon: object,
        photos: object,
        wanted_by: object,
        quantity: object,
    ) -> Posting:
        found_kind = checks.kind(kind)
        words = checks.text("text", text, TEXT_MAX)
        if unit is not None and not isinstance(unit, str):
            raise ValidationError("unit", unit, "expected a unit code")
        if resident_id is not None:
            checks.entity_id("resident_id", resident_id)
        who = checks.author_kind(
            author_kind if author_kind is not None else "resident" if resident_id else "staff"
        )
        name = checks.optional_text("author_name", author_name, NAME_MAX)
        ref = checks.optional_text("author_ref", author_ref, REF_MAX)
        if who == "resident" and resident_id is None:
            raise ValidationError("resident_id", None, "a resident author needs their id")
        if who != "resident" and resident_id is not None:
            raise ValidationError("resident_id", resident_id, f"a {who} author has no resident id")
        if who in ("organisation", "partner") and name is None:
            raise ValidationError("author_name", None, f"name the {who}")
        if who in ("resident", "staff") and name is not None:
            raise ValidationError("author_name", name, f"a {who} author is named by their record")
        address_, lat_, lon_ = checks.place(address, lat, lon)
        return cls(
            kind=found_kind,
            category=checks.text("category", category, CODE_MAX),
            text=words,
            unit=unit,
            resident_id=resident_id,  # type: ignore[arg-type]
            author_kind=who,
            author_name=name,
            author_ref=ref,
            address=address_,
            lat=lat_,
            lon=lon_,
            photos=checks.references("photos", photos, PHOTOS_MAX),
            wanted_by=None if wanted_by is None else checks.day("wanted_by", wanted_by),
            quantity=checks.quantity(quantity),
        )


def post(desk: WishDesk, p: Posting) -> Wish:
    """Write a new wish; the wish as stored."""
    desk.categories.get(p.category)
    if p.wanted_by is not None and p.wanted_by < desk.today:
        raise ValidationError("wanted_by", p.wanted_by, f"is in the past (today is {desk.today})")
    household: int | None = None
    home: Unit | None = None
    staff_id: int | None = None
    if p.resident_id is not None:
        row = desk.resident(p.resident_id)
        if row is None:
            raise ValidationError("resident_id", p.resident_id, "no such resident")
        if row.left_at is not None:
            raise ValidationError("resident_id", p.resident_id, "has left the town's files")
        household, home = int(row.household_id), desk.unit(row.unit_id)
    elif p.author_kind == "staff":
        staff_id = desk.actor.staff_id
        if staff_id is None:
            raise ValidationError(
                "resident_id", None, f"{desk.actor.label()} is no staff member: name the author"
            )
    if p.unit is None:
        if home is None:
            raise ValidationError("unit", None, "name the community or grid of the wish")
        unit = home
    else:
        unit = desk.unit_by_code(p.unit, live=True)
    if unit.retired:
        raise ValidationError("unit", unit.code, "unit is retired")
    if home is not None and not home.is_within(unit.id):
        raise ValidationError("unit", unit.code, f"resident {p.resident_id} does not live there")
    target = Target(f"unit {unit.code} ({unit.name})", unit.path, household)
    desk.ctx.authorize(desk.actor, WISH_POST, target)
    values: dict[str, Any] = {
        "kind": p.kind,
        "state": "open",
        "unit_id": unit.id,
        "category": p.category,
        "text": p.text,
        "author_kind": p.author_kind,
        "author_resident_id": p.resident_id,
        "author_staff_id": staff_id,
        "author_name": p.author_name,
        "author_ref": p.author_ref,
        "address": p.address,
        "lat": p.lat,
        "lon": p.lon,
        "photos": list(p.photos),
        "wanted_by": p.wanted_by,
        "quantity": p.quantity,
        "committed": 0,
        "created_at": desk.now,
        "created_by": desk.actor.label(),
        "evidence": [],
        "rewards": [],
    }
    wish_id = desk.repo.add(values)
    desk.ctx.audit(
        desk.uow, desk.actor, "wish.post", entity="wish", entity_id=wish_id,
        detail={"kind": p.kind, "unit": unit.code, "category": p.category, "author": p.author_kind},
    )  # fmt: skip
    return Wish(
        id=wish_id,
        kind=p.kind,  # type: ignore[arg-type]
        state="open",
        unit_id=unit.id,
        unit_code=unit.code,
        unit_path=unit.path,
        unit_parent_id=unit.parent_id,
        category=p.category,
        text=p.text,
        author_kind=p.author_kind,  # type: ignore[arg-type]
        author_resident_id=p.resident_id,
        author_staff_id=staff_id,
        author_name=p.author_name,
        author_ref=p.author_ref,
        address=p.address,
        lat=p.lat,
        lon=p.lon,
        photos=p.photos,
        wanted_by=p.wanted_by,
        quantity=p.quantity,
        committed=0,
        tier=None,
        target=None,
        created_at=desk.now,
        created_by=desk.actor.label(),
    )


def triage(desk: WishDesk, wish: Wish, tier: object, target: object) -> TierDecision:
    """The tier and target of a want or a suggestion: as given, else by ``commgov_wish_tier``."""
    if wish.kind == "offer":
        raise ValidationError("wish_id", wish.id, "an offer is not triaged: wants and suggestions")
    desk.authorize_manage(wish)
    desk.refuse_state(wish, WANT_OPEN if wish.kind == "want" else ("open",), "triaged")
    if tier is None:
        if target is not None:
            raise ValidationError("tier", None, "name the tier the target belongs to")
        decision = desk.rules.tier(wish.info(desk.ctx.zone))
    else:
        found: Tier = checks.tier(tier)  # type: ignore[assignment]
        day = desk.today + dt.timedelta(days=TIER_DAYS[found])
        if target is not None:
            day = checks.day("target", target)
            if day < desk.today:
                raise ValidationError("target", day, f"is in the past (today is {desk.today})")
        decision = TierDecision(found, day)
    desk.repo.update(wish.id, {"tier": decision.tier, "target": decision.target})
    desk.ctx.audit(
        desk.uow, desk.actor, "wish.triage", entity="wish", entity_id=wish.id,
        detail={"tier": decision.tier, "target": decision.target.isoformat()},
    )  # fmt: skip
    return decision


def close(desk: WishDesk, wishes: Sequence[Wish], state: str, reason: str) -> int:
    """Close open wishes (``withdrawn``, ``expired``) with a reason, ending their live matches;
    returns how many matches ended. The wishes are locked here."""
    ids = [w.id for w in wishes]
    matches = live_matches_locked(desk, ids)
    end_matches(desk, matches, "cancelled", reason)
    for wish_id in ids:
        desk.repo.update(wish_id, {"state": state, "closed_at": desk.now, "closed_reason": reason})
    return len(matches)


def withdraw(desk: WishDesk, wish_id: int, reason: object) -> Wish:
    why = checks.text("reason", reason, NOTE_MAX)
    wish = desk.wish(wish_id, lock=True)
    desk.authorize_own(wish)
    desk.refuse_state(wish, WANT_OPEN if wish.kind == "want" else ("open",), "withdrawn")
    ended = close(desk, [wish], "withdrawn", why)
    desk.ctx.audit(
        desk.uow, desk.actor, "wish.withdraw", entity="wish", entity_id=wish.id,
        detail={"matches_ended": ended},
    )  # fmt: skip
    return wish
