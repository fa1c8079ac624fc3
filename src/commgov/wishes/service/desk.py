"""The desk every wish call works at: one unit of work, its actor and time, the wishes it
loads (locked for a write), who may do what with them, and the views it hands out with personal
data masked as the actor's rights require."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Final

from commgov.errors import NotFoundError, StateError
from commgov.kernel.access import READ_PERSONAL, Target
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import local_date
from commgov.kernel.uow import UnitOfWork
from commgov.people.model.personal import mask_name
from commgov.people.model.units import Unit, household_target_at
from commgov.people.repository import HouseholdRepository, UnitRepository
from commgov.people.service.grids import load_unit
from commgov.wishes import calls
from commgov.wishes.calls import WishRules
from commgov.wishes.model.categories import WishCategories
from commgov.wishes.model.checks import entity_id
from commgov.wishes.model.rules import TIER_LABELS, WISH_KINDS
from commgov.wishes.model.vocab import STATE_LABELS, WISH_MANAGE, WISH_POST, WISH_READ
from commgov.wishes.model.wish import Wish
from commgov.wishes.repository import WishRepository
from commgov.wishes.views import WishView

CATEGORIES_KEY: Final = "wishes.categories"
"""Where the store's context caches the wish categories (``ctx.refresh`` rebuilds them)."""


def wish_categories(ctx: Context) -> WishCategories:
    """The store's wish categories and items, from the registry hook, cached."""
    return ctx.cached(CATEGORIES_KEY, lambda: calls.categories(ctx.plugins))


class WishDesk:
    def __init__(
        self,
        ctx: Context,
        uow: UnitOfWork,
        actor: Actor,
        now: dt.datetime,
        categories: WishCategories,
    ) -> None:
        self.ctx, self.uow, self.actor, self.now = ctx, uow, actor, now
        self.categories = categories
        self.repo = uow.repo(WishRepository)
        self.rules = WishRules(ctx.plugins)
        self._units: dict[int, Unit] = {}
        self._people: dict[int, Any] = {}
        self._staff: dict[int, tuple[str, bool]] = {}
        self._home: Unit | bool | None = False

    @property
    def today(self) -> dt.date:
        return local_date(self.now, self.ctx.zone)

    # -- loading -------------------------------------------------------------------------
    def unit(self, unit_id: int) -> Unit:
        found = self._units.get(unit_id)
        if found is None:
            found = self._units[unit_id] = self.uow.repo(UnitRepository).get(unit_id)
        return found

    def unit_by_code(self, code: str, *, field: str = "unit", live: bool = False) -> Unit:
        unit = load_unit(self.uow, code, field=field, live=live)
        self._units[unit.id] = unit
        return unit

    def wish(self, wish_id: int, *, field: str = "wish_id", lock: bool = False) -> Wish:
        entity_id(field, wish_id)
        found = self.repo.lock([wish_id]).get(wish_id) if lock else self.repo.get(wish_id)
        if found is None:
            raise NotFoundError("wish", wish_id, message=f"no wish with id {wish_id}")
        return found

    def lock(self, wish_ids: Iterable[int]) -> dict[int, Wish]:
        return self.repo.lock(wish_ids)

    def resident(self, resident_id: int) -> Any | None:
        """The resident (a ``Person`` or a row with the same fields), ``None`` if unknown."""
        if resident_id not in self._people:
            known = self.repo.authors.get(resident_id)
            if known is not None:
                self._people[resident_id] = known
            else:
                self._load_residents([resident_id])
        return self._people.get(resident_id)

    def _load_residents(self, ids: Iterable[int]) -> None:
        """Residents and the units they live in (kept for ``unit``)."""
        rows, homes = self.repo.residents_at_home(ids)
        self._people.update(rows)
        for unit_id, home in homes.items():
            self._units.setdefault(unit_id, home)

    def load_people(self, wishes: Sequence[Wish]) -> None:
        wanted = {w.author_resident_id for w in wishes if w.author_resident_id is not None}
        for resident_id in wanted - set(self._people):
            if resident_id in self.repo.authors:
                self._people[resident_id] = self.repo.authors[resident_id]
        self._load_residents(wanted - set(self._people))
        staff = {w.author_staff_id for w in wishes if w.author_staff_id is not None}
        self._staff.update(self.repo.staff_names(staff - set(self._staff)))

    # -- who may do what -----------------------------------------------------------------
    def household_of(self, wish: Wish) -> int | None:
        """The household a resident author lives in now (``None`` for other authors)."""
        if wish.author_resident_id is None:
            return None
        row = self.resident(wish.author_resident_id)
        return None if row is None else int(row.household_id)

    def own_target(self, wish: Wish) -> Target:
        """The wish as its author's own: the unit, and the household of a resident author."""
        return Target(
            f"wish {wish.id} in unit {wish.unit_code}", wish.unit_path, self.household_of(wish)
        )

    def unit_target(self, wish: Wish) -> Target:
        return Target(f"wish {wish.id} in unit {wish.unit_code}", wish.unit_path)

    def reader_target(self, unit: Unit) -> Target:
        """A unit as a reader sees it: a resident living under it reads it as their household."""
        home = self.actor_home()
        household = (
            self.actor.household_id if home is not None and home.is_within(unit.id) else None
        )
        return Target(f"unit {unit.code} ({unit.name})", unit.path, household)

    def actor_home(self) -> Unit | None:
        """The unit of the actor's household, if the actor has one."""
        if self._home is False:
            self._home = None
            if self.actor.household_id is not None:
                try:
                    row = self.uow.repo(HouseholdRepository).get(self.actor.household_id)
                except NotFoundError:
                    return None
                self._home = self.unit(row.unit_id)
        return self._home if isinstance(self._home, Unit) else None

    def authorize_own(self, wish: Wish) -> None:
        """The author (a resident for their household) or staff within reach."""
        self.ctx.authorize(self.actor, WISH_POST, self.own_target(wish))

    def authorize_manage(self, wish: Wish) -> None:
        self.ctx.authorize(self.actor, WISH_MANAGE, self.unit_target(wish))

    def may(self, action: str, target: Target) -> bool:
        return self.ctx.allowed(self.actor, action, target)

    def authorize_read(self, wish: Wish) -> None:
        """The author's household, residents living under the wish's unit, staff in reach."""
        if self.may(WISH_POST, self.own_target(wish)):
            return
        unit = self.unit(wish.unit_id)
        self.ctx.authorize(self.actor, WISH_READ, self.reader_target(unit))

    # -- states --------------------------------------------------------------------------
    @staticmethod
    def refuse_state(wish: Wish, allowed: Sequence[str], doing: str) -> None:
        """A ``StateError`` unless the wish is in one of ``allowed``."""
        if wish.state in allowed:
            return
        when = ""
        if wish.closed_at is not None:
            when = f" since {wish.closed_at:%Y-%m-%d}"
        why = f" ({wish.closed_reason})" if wish.closed_reason else ""
        raise StateError(
            f"wish_id={wish.id}: the {wish.kind} is {wish.state}{when}{why}; "
            f"it cannot be {doing} (only when {' or '.join(allowed)})"
        )

    # -- views ---------------------------------------------------------------------------
    def author(self, wish: Wish) -> tuple[str, bool]:
        """The author as this actor may see them, and whether personal data is held back."""
        if wish.author_resident_id is not None:
            row = self.resident(wish.author_resident_id)
            if row is None:
                return f"resident:{wish.author_resident_id}", True
            target = household_target_at(row.home_code, row.home_path, row.household_id)
            if self.may(READ_PERSONAL, target):
                return str(row.name), False
            return mask_name(str(row.name)), True
        if wish.author_staff_id is not None:
            if wish.author_staff_id not in self._staff:
                self._staff.update(self.repo.staff_names([wish.author_staff_id]))
            name = self._staff.get(wish.author_staff_id, (f"staff:{wish.author_staff_id}", False))[
                0
            ]
            if self.may(READ_PERSONAL, self.unit_target(wish)):
                return name, False
            return mask_name(name), True
        return wish.author_name or wish.author_kind, False

    def view(self, wish: Wish) -> WishView:
        author, masked = self.author(wish)
        personal = masked and wish.author_resident_id is not None
        return WishView(
            id=wish.id,
            kind=wish.kind,
            kind_label=WISH_KINDS[wish.kind],
            state=wish.state,
            state_label=STATE_LABELS[wish.state],
            unit_code=wish.unit_code,
            category=wish.category,
            category_label=self.categories.label(wish.category),
            text=wish.text,
            author_kind=wish.author_kind,
            author_id=wish.author_resident_id or wish.author_staff_id,
            author=author,
            author_ref=wish.author_ref,
            masked=masked,
            address=None if personal else wish.address,
            lat=None if personal else wish.lat,
            lon=None if personal else wish.lon,
            photos=wish.photos,
            wanted_by=wish.wanted_by,
            quantity=wish.quantity,
            committed=wish.committed,
            spare=wish.spare,
            tier=wish.tier,
            tier_label=None if wish.tier is None else TIER_LABELS[wish.tier],
            target=wish.target,
            created_at=wish.created_at,
            closed_at=wish.closed_at,
            closed_reason=wish.closed_reason,
            rating=wish.rating,
            evidence=wish.evidence,
            note=wish.note,
            case_id=wish.case_id,
            referred_to=wish.referred_to,
            reference=wish.reference,
        )

    def views(self, wishes: Sequence[Wish]) -> list[WishView]:
        self.load_people(wishes)
        return [self.view(w) for w in wishes]


__all__ = ["CATEGORIES_KEY", "WishDesk", "wish_categories"]
