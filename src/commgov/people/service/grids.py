"""Grids (网格) and the unit tree above them: create, query, move, retire."""

from __future__ import annotations

import datetime as dt

from commgov.errors import ConflictError, NotFoundError, StateError, ValidationError
from commgov.kernel.access import MANAGE_UNITS, READ, Target
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import optional_utc
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import check_text
from commgov.people.calls import dedicated_covers
from commgov.people.model import codes
from commgov.people.model.limits import COVERS_MAX, REASON_MAX, UNIT_CODE_MAX, UNIT_NAME_MAX
from commgov.people.model.residents import validate_name
from commgov.people.model.text import clean_text
from commgov.people.model.units import GRID_TYPES, UNIT_KINDS, Unit, unit_target
from commgov.people.repository import HouseholdRepository, ResidentRepository, UnitRepository
from commgov.people.views import UnitView

ROOT_TARGET = Target("the root of the unit tree")


def unit_view(unit: Unit, parent_code: str | None) -> UnitView:
    return UnitView(
        id=unit.id,
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        parent_code=parent_code,
        depth=unit.depth,
        grid_type=unit.grid_type,
        covers=unit.covers,
        retired=unit.retired,
    )


def load_unit(uow: UnitOfWork, code: str, *, field: str = "unit", live: bool = False) -> Unit:
    """The unit with ``code`` (or a former code); ``live`` refuses a retired one. A code that
    is not text the store can compare (NUL, look-alike digits, too long) is a
    ``ValidationError`` naming ``field``."""
    unit = uow.repo(UnitRepository).find_by_code(codes.lookup_code(code, field))
    if unit is None:
        raise NotFoundError("unit", code)
    if live and unit.retired:
        raise ValidationError(field, code, "unit is retired")
    return unit


class GridService:
    """The unit tree: city → town/street → community/village → compound → grid, any depth."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def _views(self, uow: UnitOfWork, units: list[Unit]) -> list[UnitView]:
        parent_ids = {u.parent_id for u in units if u.parent_id is not None}
        codes_by_id = {p.id: p.code for p in uow.repo(UnitRepository).many(parent_ids)}
        return [unit_view(u, codes_by_id.get(u.parent_id or -1)) for u in units]

    def create(
        self,
        actor: Actor,
        *,
        name: str,
        kind: str,
        parent: str | None = None,
        code: str | None = None,
        grid_type: str | None = None,
        covers: str | None = None,
    ) -> UnitView:
        """Add a unit under ``parent`` (a code). Without ``code`` the next free segment is used."""
        name = validate_name(name, limit=UNIT_NAME_MAX)
        if not isinstance(kind, str) or kind not in UNIT_KINDS:
            raise ValidationError("kind", kind, f"expected one of {', '.join(UNIT_KINDS)}")
        grid_type, covers = self._check_grid_fields(kind, grid_type, covers)
        dedicated = grid_type == "dedicated"
        with self._ctx.uow() as uow:
            parent_unit = load_unit(uow, parent, field="parent", live=True) if parent else None
            if parent_unit is not None and parent_unit.is_grid:
                raise ValidationError("parent", parent, "a grid cannot have units below it")
            self._ctx.authorize(
                actor, MANAGE_UNITS, unit_target(parent_unit) if parent_unit else ROOT_TARGET
            )
            if code is None:
                if parent_unit is None:
                    raise ValidationError(
                        "code", None, "a root unit needs its 6-digit division code"
                    )
                used = uow.repo(UnitRepository).child_segments(parent_unit)
                code = codes.child_code(
                    parent_unit.code, codes.next_segment(used, dedicated=dedicated)
                )
            codes.validate_code(
                code, parent_code=parent_unit.code if parent_unit else None, dedicated=dedicated
            )
            if uow.repo(UnitRepository).code_taken(code):
                raise ConflictError(f"code={code!r}: already used by another unit (now or before)")
            unit = uow.repo(UnitRepository).add(
                code=code,
                name=name,
                kind=kind,
                parent=parent_unit,
                grid_type=grid_type,
                covers=covers,
                now=self._ctx.clock(),
            )
            self._ctx.audit(
                uow,
                actor,
                "unit.create",
                entity="unit",
                entity_id=unit.id,
                detail={"code": code, "kind": kind},
            )
            return unit_view(unit, parent_unit.code if parent_unit else None)

    def _check_grid_fields(
        self, kind: str, grid_type: str | None, covers: str | None
    ) -> tuple[str | None, str | None]:
        if kind != "grid":
            if grid_type is not None or covers is not None:
                raise ValidationError("grid_type", grid_type, "only grids have a grid type")
            return None, None
        grid_type = grid_type or "comprehensive"
        if not isinstance(grid_type, str) or grid_type not in GRID_TYPES:
            raise ValidationError(
                "grid_type", grid_type, f"expected one of {', '.join(GRID_TYPES)}"
            )
        if grid_type == "comprehensive":
            if covers is not None:
                raise ValidationError("covers", covers, "only a dedicated grid covers something")
            return grid_type, None
        known = dedicated_covers(self._ctx)
        if not isinstance(covers, str) or covers not in known:
            raise ValidationError("covers", covers, f"expected one of {', '.join(sorted(known))}")
        return grid_type, check_text("covers", covers, COVERS_MAX)

    def get(self, code: str) -> UnitView:
        with self._ctx.uow(readonly=True) as uow:
            return self._views(uow, [load_unit(uow, code, field="code")])[0]

    def assigned(self, actor: Actor) -> list[UnitView]:
        """The units ``actor`` is assigned to, by code (none for the system and residents)."""
        with self._ctx.uow(readonly=True) as uow:
            units = uow.repo(UnitRepository).many(sorted(actor.units))
            return self._views(uow, sorted(units, key=lambda u: u.code))

    def roots(self) -> list[UnitView]:
        with self._ctx.uow(readonly=True) as uow:
            return self._views(uow, uow.repo(UnitRepository).roots())

    def children(self, code: str, *, include_retired: bool = False) -> list[UnitView]:
        with self._ctx.uow(readonly=True) as uow:
            kids = uow.repo(UnitRepository).children(load_unit(uow, code, field="code").id)
            return self._views(uow, [k for k in kids if include_retired or not k.retired])

    def ancestors(self, code: str) -> list[UnitView]:
        """From the root down to the unit's parent."""
        with self._ctx.uow(readonly=True) as uow:
            unit = load_unit(uow, code, field="code")
            return self._views(uow, uow.repo(UnitRepository).many(unit.ancestor_ids))

    def descendants(self, code: str, *, include_retired: bool = False) -> list[UnitView]:
        """Every unit below ``code`` (not the unit itself), ordered by code."""
        with self._ctx.uow(readonly=True) as uow:
            unit = load_unit(uow, code, field="code")
            below = uow.repo(UnitRepository).subtree(unit, include_retired=include_retired)
            return self._views(uow, [u for u in below if u.id != unit.id])

    def move(
        self, actor: Actor, code: str, *, new_parent: str, new_code: str | None = None
    ) -> UnitView:
        """Move a unit with its subtree; codes below are re-prefixed and the old ones kept so
        look-ups by a former code still find the unit."""
        with self._ctx.uow() as uow:
            unit = load_unit(uow, code, field="code", live=True)
            target = load_unit(uow, new_parent, field="new_parent", live=True)
            if target.is_within(unit.id):
                raise ValidationError("new_parent", new_parent, f"lies inside unit {unit.code}")
            if target.is_grid:
                raise ValidationError("new_parent", new_parent, "a grid cannot have units below it")
            if target.id == unit.parent_id:
                raise ValidationError("new_parent", new_parent, "the unit is already there")
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(unit))
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(target))
            dedicated = unit.grid_type == "dedicated"
            if new_code is None:
                used = uow.repo(UnitRepository).child_segments(target)
                new_code = codes.child_code(
                    target.code, codes.next_segment(used, dedicated=dedicated)
                )
            codes.validate_code(
                new_code, parent_code=target.code, dedicated=dedicated, field="new_code"
            )
            longest = max(len(u.code) for u in uow.repo(UnitRepository).subtree(unit))
            if longest - len(unit.code) + len(new_code) > UNIT_CODE_MAX:
                raise ValidationError(
                    "new_parent",
                    new_parent,
                    f"the codes below {unit.code} would grow past {UNIT_CODE_MAX} digits there",
                )
            if uow.repo(UnitRepository).code_taken(new_code):
                raise ConflictError(f"new_code={new_code!r}: already used by another unit")
            uow.repo(UnitRepository).rehome(unit, target, new_code, self._ctx.clock())
            moved = uow.repo(UnitRepository).get(unit.id)
            self._ctx.audit(
                uow,
                actor,
                "unit.move",
                entity="unit",
                entity_id=moved.id,
                detail={"from": unit.code, "to": new_code},
            )
            return unit_view(moved, target.code)

    def retire(self, actor: Actor, code: str, *, reason: str) -> int:
        """Retire a unit and its subtree; records stay for history. Returns units retired.

        Refused while households still live under it: move them first."""
        why = clean_text("reason", reason, REASON_MAX, required=False)
        if not why:
            raise ValidationError("reason", reason, "say why the unit is retired")
        with self._ctx.uow() as uow:
            unit = load_unit(uow, code, field="code", live=True)
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(unit))
            households = uow.repo(HouseholdRepository).count_under(unit.path)
            if households:
                raise StateError(
                    f"unit {unit.code} still holds {households} household(s); "
                    "move them before retiring it"
                )
            count = uow.repo(UnitRepository).retire(unit, self._ctx.clock(), why)
            self._ctx.audit(
                uow,
                actor,
                "unit.retire",
                entity="unit",
                entity_id=unit.id,
                detail={"reason": why, "units": count},
            )
            return count

    def counts(self, actor: Actor, code: str, *, at: dt.datetime | None = None) -> dict[str, int]:
        """Units by kind, households and residents under ``code`` (retired units excluded);
        the actor needs ``read`` on the unit. Residents are those living there now, or at the
        moment ``at`` (households: those on file by then)."""
        moment = optional_utc("at", at)
        with self._ctx.uow(readonly=True) as uow:
            unit = load_unit(uow, code, field="code")
            self._ctx.authorize(actor, READ, unit_target(unit))
            result: dict[str, int] = {}
            for u in uow.repo(UnitRepository).subtree(unit, include_retired=False):
                key = f"{u.grid_type}_grid" if u.is_grid else u.kind
                result[key] = result.get(key, 0) + 1
            result["households"] = uow.repo(HouseholdRepository).count_under(unit.path, at=moment)
            result["residents"] = uow.repo(ResidentRepository).count_under(unit.path, at=moment)
            return result
