"""Repositories: each loads and saves one kind of record through the unit of work's connection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Table,
    and_,
    bindparam,
    case,
    delete,
    distinct,
    func,
    insert,
    or_,
    select,
    update,
)

from commgov.errors import NotFoundError
from commgov.kernel.ids import reserve_ids
from commgov.kernel.repository import Repository
from commgov.people import tables as t
from commgov.people.model.units import Unit
from commgov.people.views import FileCounts


def escape_like(value: str) -> str:
    """``value`` with the wildcards of ``LIKE`` escaped (escape character ``\\``)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_prefix(prefix: str) -> str:
    """A ``LIKE`` pattern for text starting with ``prefix`` (use ``escape="\\"``)."""
    return escape_like(prefix) + "%"


def path_under(path: str) -> ColumnElement[bool]:
    """The units at ``path`` or below, on the units table (joined by the caller)."""
    return t.units.c.path.like(like_prefix(path), escape="\\")


def under(column: Any, path: str) -> ColumnElement[bool]:
    """Rows whose unit (``column``, a unit id) lies at ``path`` or below: a sub-select on
    the unit tree."""
    condition: ColumnElement[bool] = column.in_(select(t.units.c.id).where(path_under(path)))
    return condition


_UNIT_FIELDS: Final = (
    "id", "code", "name", "kind", "parent_id", "path", "depth", "grid_type", "covers",
    "created_at", "retired_at",
)  # fmt: skip


def unit_columns(prefix: str) -> list[Any]:
    """The units table's columns labelled ``<prefix><name>``, to join a unit into another
    capability's query (read back with ``unit_from_row``)."""
    return [t.units.c[name].label(f"{prefix}{name}") for name in _UNIT_FIELDS]


def unit_from_row(row: Any, prefix: str = "") -> Unit:
    """The unit of a units row, or of the columns ``unit_columns(prefix)`` joined in."""
    values = row._mapping
    return Unit(**{name: values[f"{prefix}{name}"] for name in _UNIT_FIELDS})


def _unit(row: Any) -> Unit:
    return unit_from_row(row)


_BY_ID: dict[Table, Any] = {}
"""One statement per table, built once: a statement built anew is costlier to run than the
query itself (SQLAlchemy keys its compiled cache on the statement's structure)."""


def _by_id(conn: Connection, table: Table, key: int, kind: str) -> Any:
    statement = _BY_ID.get(table)
    if statement is None:
        statement = _BY_ID[table] = select(table).where(table.c.id == bindparam("key"))
    row = conn.execute(statement, {"key": key}).one_or_none()
    if row is None:
        raise NotFoundError(kind, key)
    return row


_UNIT_BY_CODE = select(t.units).where(t.units.c.code == bindparam("code"))
_HOUSEHOLD_PATH = (
    select(t.units.c.path)
    .join(t.households, t.households.c.unit_id == t.units.c.id)
    .where(t.households.c.id == bindparam("id"))
)
_DEPARTMENT_CODES = select(t.departments.c.code).where(
    t.departments.c.code.in_(bindparam("codes", expanding=True))
)


class UnitRepository(Repository):
    """Units for one transaction. A unit found by code is remembered until this repository
    writes a unit (units change only through it), so a request that names its town twice
    reads it once."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._by_code: dict[str, Unit] = {}

    def add(
        self,
        *,
        code: str,
        name: str,
        kind: str,
        parent: Unit | None,
        grid_type: str | None,
        covers: str | None,
        now: dt.datetime,
    ) -> Unit:
        values = {
            "code": code,
            "name": name,
            "kind": kind,
            "grid_type": grid_type,
            "covers": covers,
            "parent_id": parent.id if parent else None,
            "path": "/",
            "depth": parent.depth + 1 if parent else 0,
            "created_at": now,
        }
        self._by_code.clear()
        unit_id = self.conn.execute(insert(t.units).returning(t.units.c.id), values).scalar_one()
        path = f"{parent.path if parent else '/'}{unit_id}/"
        self.conn.execute(update(t.units).where(t.units.c.id == unit_id).values(path=path))
        return self.get(unit_id)

    def get(self, unit_id: int) -> Unit:
        return _unit(_by_id(self.conn, t.units, unit_id, "unit"))

    def find_by_code(self, code: str) -> Unit | None:
        """The unit with ``code`` now, or the one that carried it before a move."""
        known = self._by_code.get(code)
        if known is not None:
            return known
        row = self.conn.execute(_UNIT_BY_CODE, {"code": code}).one_or_none()
        if row is not None:
            found = self._by_code[code] = _unit(row)
            return found
        former = self.conn.execute(
            select(t.unit_code_history.c.unit_id)
            .where(t.unit_code_history.c.code == code)
            .order_by(t.unit_code_history.c.replaced_at.desc())
            .limit(1)
        ).scalar_one_or_none()
        return self.get(former) if former is not None else None

    def many(self, ids: Iterable[int]) -> list[Unit]:
        id_list = list(ids)
        rows = self.conn.execute(select(t.units).where(t.units.c.id.in_(id_list))).all()
        by_id = {r.id: _unit(r) for r in rows}
        return [by_id[i] for i in id_list if i in by_id]

    def children(self, unit_id: int) -> list[Unit]:
        rows = self.conn.execute(
            select(t.units).where(t.units.c.parent_id == unit_id).order_by(t.units.c.code)
        ).all()
        return [_unit(r) for r in rows]

    def subtree(self, unit: Unit, *, include_retired: bool = True) -> list[Unit]:
        """The unit and all units below it, ordered by code."""
        query = select(t.units).where(t.units.c.path.like(like_prefix(unit.path), escape="\\"))
        if not include_retired:
            query = query.where(t.units.c.retired_at.is_(None))
        return [_unit(r) for r in self.conn.execute(query.order_by(t.units.c.code)).all()]

    def roots(self) -> list[Unit]:
        rows = self.conn.execute(
            select(t.units).where(t.units.c.parent_id.is_(None)).order_by(t.units.c.code)
        ).all()
        return [_unit(r) for r in rows]

    def all(self) -> list[Unit]:
        return [_unit(r) for r in self.conn.execute(select(t.units).order_by(t.units.c.code))]

    def child_segments(self, parent: Unit) -> set[int]:
        """Segments used under ``parent`` now or before a move (former codes are not reused)."""
        now = select(t.units.c.code).where(t.units.c.parent_id == parent.id)
        history = t.unit_code_history.c.code
        before = select(history).where(
            history.like(like_prefix(parent.code), escape="\\"),
            func.length(history) == len(parent.code) + 3,
        )
        codes = [*self.conn.execute(now).scalars(), *self.conn.execute(before).scalars()]
        return {int(c[-3:]) for c in codes}

    def code_taken(self, code: str) -> bool:
        now = self.conn.execute(select(t.units.c.id).where(t.units.c.code == code)).first()
        before = self.conn.execute(
            select(t.unit_code_history.c.id).where(t.unit_code_history.c.code == code)
        ).first()
        return now is not None or before is not None

    def rehome(self, unit: Unit, new_parent: Unit, new_code: str, now: dt.datetime) -> None:
        """Move ``unit`` with its subtree under ``new_parent``: new paths, codes and depths."""
        self._by_code.clear()
        old_path, new_path = unit.path, f"{new_parent.path}{unit.id}/"
        depth_shift = new_parent.depth + 1 - unit.depth
        moved = self.subtree(unit)
        self.conn.execute(
            insert(t.unit_code_history),
            [{"unit_id": u.id, "code": u.code, "replaced_at": now} for u in moved],
        )
        for u in moved:
            self.conn.execute(
                update(t.units)
                .where(t.units.c.id == u.id)
                .values(
                    path=new_path + u.path[len(old_path) :],
                    code=new_code + u.code[len(unit.code) :],
                    depth=u.depth + depth_shift,
                    parent_id=new_parent.id if u.id == unit.id else u.parent_id,
                )
            )

    def retire(self, unit: Unit, now: dt.datetime, reason: str) -> int:
        self._by_code.clear()
        result = self.conn.execute(
            update(t.units)
            .where(
                and_(
                    t.units.c.path.like(like_prefix(unit.path), escape="\\"),
                    t.units.c.retired_at.is_(None),
                )
            )
            .values(retired_at=now, retired_reason=reason)
        )
        return int(result.rowcount)

    def plugin_settings(self) -> dict[int, list[str]]:
        rows = self.conn.execute(select(t.unit_plugins)).all()
        settings: dict[int, list[str]] = {}
        for row in rows:
            settings.setdefault(row.unit_id, []).append(row.plugin)
        return settings

    def set_plugins(self, unit_id: int, plugins: Sequence[str]) -> None:
        self.conn.execute(t.unit_plugins.delete().where(t.unit_plugins.c.unit_id == unit_id))
        if plugins:
            self.conn.execute(
                insert(t.unit_plugins), [{"unit_id": unit_id, "plugin": p} for p in plugins]
            )

    def grid_ids(self) -> set[int]:
        """The ids of every grid in the store (retired ones too)."""
        query = select(t.units.c.id).where(t.units.c.kind == "grid")
        return {int(i) for i in self.conn.execute(query).scalars()}


def _has_member(column: Any, value: str) -> Any:
    """A ``;a;b;`` list column containing ``value`` exactly (LIKE wildcards escaped)."""
    return column.like(f"%;{escape_like(value)};%", escape="\\")


class HouseholdRepository(Repository):
    def add_many(self, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Insert households; their ids come back in the order given."""
        if not rows:
            return []
        ids = reserve_ids(self.conn, t.households, len(rows))
        self.conn.execute(
            insert(t.households), [{**r, "id": i} for r, i in zip(rows, ids, strict=True)]
        )
        return ids

    def get(self, household_id: int) -> Any:
        return _by_id(self.conn, t.households, household_id, "household")

    def unit_path(self, household_id: int) -> str | None:
        """The path of the unit the household lives in (``None``: no such household)."""
        found = self.conn.execute(_HOUSEHOLD_PATH, {"id": household_id}).scalar_one_or_none()
        return None if found is None else str(found)

    def under(
        self, path: str, *, limit: int | None = None, after_id: int | None = None
    ) -> list[Any]:
        query = select(t.households).where(under(t.households.c.unit_id, path))
        if after_id is not None:
            query = query.where(t.households.c.id > after_id)
        return list(self.conn.execute(query.order_by(t.households.c.id).limit(limit)).all())

    def count_under(self, path: str, *, at: dt.datetime | None = None) -> int:
        """Households under ``path``; with ``at``, those on file by then."""
        query = select(func.count()).select_from(t.households)
        query = query.where(under(t.households.c.unit_id, path))
        if at is not None:
            query = query.where(t.households.c.created_at <= at)
        return int(self.conn.execute(query).scalar_one())

    def move_unit(self, household_id: int, unit_id: int) -> None:
        self.conn.execute(
            update(t.households).where(t.households.c.id == household_id).values(unit_id=unit_id)
        )
        self.conn.execute(
            update(t.residents)
            .where(t.residents.c.household_id == household_id)
            .values(unit_id=unit_id)
        )

    def file_counts(self, codes: Mapping[int, str]) -> dict[str, FileCounts]:
        """一户一档 counts for the units ``{id: code}`` that have households, by unit code; in
        SQL, without decrypting: a file is complete when identity number and phone are on it."""
        h, r = t.households, t.residents
        homes = (
            select(h.c.unit_id, func.count().label("n"))
            .where(h.c.unit_id.in_(list(codes)))
            .group_by(h.c.unit_id)
        )
        complete = case((r.c.id_cipher.is_not(None) & r.c.phone_cipher.is_not(None), 1), else_=0)
        cared = case((r.c.care_groups != "", r.c.household_id), else_=None)
        people = (
            select(
                r.c.unit_id,
                func.count().label("residents"),
                func.sum(complete.cast(Integer)).label("complete"),
                func.count(distinct(r.c.household_id)).label("with_members"),
                func.count(distinct(cared)).label("care"),
            )
            .where(r.c.unit_id.in_(list(codes)), r.c.left_at.is_(None))
            .group_by(r.c.unit_id)
        )
        by_unit = {row.unit_id: row for row in self.conn.execute(people)}
        out: dict[str, FileCounts] = {}
        for row in self.conn.execute(homes):
            members = by_unit.get(row.unit_id)
            out[codes[row.unit_id]] = FileCounts(
                unit_code=codes[row.unit_id],
                households=int(row.n),
                households_with_members=int(members.with_members) if members else 0,
                residents=int(members.residents) if members else 0,
                complete_files=int(members.complete or 0) if members else 0,
                care_households=int(members.care) if members else 0,
            )
        return out


def lived_here(at: dt.datetime) -> ColumnElement[bool]:
    """Residents whose current residency (on their own row) covers ``at``."""
    r = t.residents.c
    since = func.coalesce(r.moved_in_at, r.created_at)
    return and_(since <= at, or_(r.left_at.is_(None), r.left_at > at))


def _active() -> ColumnElement[bool]:
    return t.residents.c.left_at.is_(None)


_AT_HOME = (
    select(t.residents, *unit_columns("home_"))
    .join(t.units, t.units.c.id == t.residents.c.unit_id)
    .where(t.residents.c.id == bindparam("id"))
)
_AT_HOME_LOCKED = _AT_HOME.with_for_update(of=t.residents)
_ALL_AT_HOME = (
    select(t.residents, *unit_columns("home_"))
    .join(t.units, t.units.c.id == t.residents.c.unit_id)
    .where(t.residents.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(t.residents.c.id)
)
_ALL_AT_HOME_LOCKED = _ALL_AT_HOME.with_for_update(of=t.residents)


class ResidentRepository(Repository):
    def at_home(self, resident_id: int, *, lock: bool = False) -> tuple[Any, Unit] | None:
        """The resident's row and the unit they live in, in one statement (``None`` when there
        is no such resident); with ``lock`` the resident's row is locked for update (on
        PostgreSQL; SQLite's writer holds the database lock already)."""
        query = _AT_HOME_LOCKED if lock and self.dialect == "postgresql" else _AT_HOME
        row = self.conn.execute(query, {"id": resident_id}).one_or_none()
        return None if row is None else (row, unit_from_row(row, "home_"))

    def all_at_home(
        self, resident_ids: Iterable[int], *, lock: bool = False
    ) -> dict[int, tuple[Any, Unit]]:
        """``at_home`` for many residents in one statement (locked in id order with ``lock``);
        a resident who does not exist is missing from the answer."""
        wanted = sorted(set(resident_ids))
        if not wanted:
            return {}
        query = _ALL_AT_HOME_LOCKED if lock and self.dialect == "postgresql" else _ALL_AT_HOME
        rows = self.conn.execute(query, {"ids": wanted})
        return {row.id: (row, unit_from_row(row, "home_")) for row in rows}

    def add_many(self, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        if not rows:
            return []
        stmt = insert(t.residents).returning(t.residents.c.id, sort_by_parameter_order=True)
        return list(self.conn.execute(stmt, list(rows)).scalars())

    def insert(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert many rows without fetching their ids (the bulk path)."""
        if rows:
            self.conn.execute(insert(t.residents), list(rows))

    def get(self, resident_id: int, *, lock: bool = False) -> Any:
        if not lock:
            return _by_id(self.conn, t.residents, resident_id, "resident")
        query = select(t.residents).where(t.residents.c.id == resident_id).with_for_update()
        row = self.conn.execute(query).first()
        if row is None:
            raise NotFoundError("resident", resident_id)
        return row

    def of_household(self, household_id: int, *, include_left: bool = False) -> list[Any]:
        """The household's members (those who live there now, unless ``include_left``)."""
        query = select(t.residents).where(t.residents.c.household_id == household_id)
        if not include_left:
            query = query.where(_active())
        return list(self.conn.execute(query.order_by(t.residents.c.id)).all())

    def under(
        self, path: str, *, care_group: str | None = None, limit: int | None = None
    ) -> list[Any]:
        """Residents living under ``path`` now."""
        query = select(t.residents).where(under(t.residents.c.unit_id, path), _active())
        if care_group is not None:
            query = query.where(_has_member(t.residents.c.care_groups, care_group))
        return list(self.conn.execute(query.order_by(t.residents.c.id).limit(limit)).all())

    def count_under(
        self, path: str, *, care_group: str | None = None, at: dt.datetime | None = None
    ) -> int:
        """Residents living under ``path`` now, or at ``at``: by the residency covering that
        moment (their current one, or one that ended later)."""
        r, h = t.residents, t.residencies
        now = select(func.count()).select_from(r).where(under(r.c.unit_id, path))
        now = now.where(_active() if at is None else lived_here(at))
        if care_group is not None:
            now = now.where(_has_member(r.c.care_groups, care_group))
        total = int(self.conn.execute(now).scalar_one())
        if at is None:
            return total
        before = (
            select(func.count())
            .select_from(h.join(r, r.c.id == h.c.resident_id))
            .where(under(h.c.unit_id, path), h.c.from_at <= at, h.c.until_at > at)
        )
        if care_group is not None:
            before = before.where(_has_member(r.c.care_groups, care_group))
        return total + int(self.conn.execute(before).scalar_one())

    def count_by_unit(self, unit_ids: Sequence[int], at: dt.datetime) -> dict[int, int]:
        """Residents living at ``at`` in each of ``unit_ids`` (units with none left out)."""
        r, h = t.residents.c, t.residencies.c
        out: dict[int, int] = {}
        now = (
            select(r.unit_id, func.count())
            .where(r.unit_id.in_(list(unit_ids)), lived_here(at))
            .group_by(r.unit_id)
        )
        before = (
            select(h.unit_id, func.count())
            .where(h.unit_id.in_(list(unit_ids)), h.from_at <= at, h.until_at > at)
            .group_by(h.unit_id)
        )
        for query in (now, before):
            for unit_id, n in self.conn.execute(query):
                out[int(unit_id)] = out.get(int(unit_id), 0) + int(n)
        return out

    def exists_any(self) -> bool:
        return self.conn.execute(select(t.residents.c.id).limit(1)).first() is not None

    def existing_hashes(self, hashes: Sequence[bytes]) -> set[bytes]:
        found: set[bytes] = set()
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            query = select(t.residents.c.id_hash).where(t.residents.c.id_hash.in_(chunk))
            found.update(self.conn.execute(query).scalars())
        return found

    def find_by_hash(self, column: str, digest: bytes) -> list[Any]:
        query = select(t.residents).where(t.residents.c[column] == digest)
        return list(self.conn.execute(query.order_by(t.residents.c.id)).all())

    def update(self, resident_id: int, values: Mapping[str, Any]) -> None:
        self.conn.execute(
            update(t.residents).where(t.residents.c.id == resident_id).values(**values)
        )

    def care_household_ids(self, unit_ids: Sequence[int]) -> list[int]:
        """Households on these units with at least one member in a care group (重点人群)."""
        r = t.residents
        query = (
            select(r.c.household_id)
            .distinct()
            .where(r.c.unit_id.in_(list(unit_ids)), r.c.care_groups != "", _active())
            .order_by(r.c.household_id)
        )
        return [int(x) for x in self.conn.execute(query).scalars()]

    # -- life events ---------------------------------------------------------------------
    def end_residency(self, row: Any, until: dt.datetime, reason: str) -> None:
        """Keep the residency on ``row`` (a resident's row) in the history, ended ``until``."""
        self.conn.execute(
            insert(t.residencies),
            {
                "resident_id": row.id,
                "household_id": row.household_id,
                "unit_id": row.unit_id,
                "from_at": min(row.moved_in_at or row.created_at, until),
                "until_at": until,
                "end_reason": reason,
            },
        )

    def residencies(
        self, *, resident_id: int | None = None, household_id: int | None = None
    ) -> list[Any]:
        """Ended residencies of a resident or of a household, oldest first."""
        h = t.residencies.c
        query = select(t.residencies)
        if resident_id is not None:
            query = query.where(h.resident_id == resident_id)
        if household_id is not None:
            query = query.where(h.household_id == household_id)
        return list(self.conn.execute(query.order_by(h.from_at, h.id)).all())


class StaffRepository(Repository):
    def add(self, values: Mapping[str, Any], unit_ids: Sequence[int]) -> int:
        staff_id = int(
            self.conn.execute(insert(t.staff).returning(t.staff.c.id), dict(values)).scalar_one()
        )
        self.assign(staff_id, unit_ids)
        return staff_id

    def assign(
        self, staff_id: int, unit_ids: Sequence[int], since: dt.datetime | None = None
    ) -> None:
        if unit_ids:
            rows = [{"staff_id": staff_id, "unit_id": u, "since": since} for u in unit_ids]
            self.conn.execute(insert(t.staff_units), rows)

    def update(self, staff_id: int, values: Mapping[str, Any]) -> None:
        self.conn.execute(update(t.staff).where(t.staff.c.id == staff_id).values(**values))

    def get_locked(self, staff_id: int) -> Any:
        row = self.conn.execute(
            select(t.staff).where(t.staff.c.id == staff_id).with_for_update()
        ).first()
        if row is None:
            raise NotFoundError("staff member", staff_id)
        return row

    def end_postings(
        self, staff: Any, unit_ids: Sequence[int], until: dt.datetime, reason: str
    ) -> None:
        """Keep the staff member's postings to ``unit_ids`` in the history, ended ``until``."""
        su = t.staff_units.c
        current = self.conn.execute(
            select(su.unit_id, su.since).where(
                su.staff_id == staff.id, su.unit_id.in_(list(unit_ids))
            )
        ).all()
        if not current:
            return
        self.conn.execute(
            insert(t.staff_postings),
            [
                {
                    "staff_id": staff.id,
                    "unit_id": unit_id,
                    "from_at": min(since or staff.created_at, until),
                    "until_at": until,
                    "end_reason": reason,
                }
                for unit_id, since in current
            ],
        )
        self.conn.execute(
            delete(t.staff_units).where(su.staff_id == staff.id, su.unit_id.in_(list(unit_ids)))
        )

    def postings(self, staff_id: int) -> list[tuple[int, dt.datetime, dt.datetime | None, str]]:
        """Every posting, ended or current: ``(unit id, from, until or None, end reason)``."""
        p, su = t.staff_postings.c, t.staff_units.c
        staff = self.get(staff_id)
        ended = self.conn.execute(
            select(p.unit_id, p.from_at, p.until_at, p.end_reason).where(p.staff_id == staff_id)
        ).all()
        current = self.conn.execute(
            select(su.unit_id, su.since).where(su.staff_id == staff_id)
        ).all()
        out = [(int(u), f, until, str(why)) for u, f, until, why in ended]
        out += [(int(u), since or staff.created_at, None, "") for u, since in current]
        return sorted(out, key=lambda posting: (posting[1], posting[0]))

    def recorded_since(self, staff_id: int) -> list[dt.datetime]:
        """When the staff member's current postings began, where that was recorded."""
        su = t.staff_units.c
        query = select(su.since).where(su.staff_id == staff_id, su.since.is_not(None))
        return list(self.conn.execute(query).scalars())

    def last_unit_ids(self, staff_id: int) -> list[int]:
        """The units a staff member answers for, or, once they left, answered for last."""
        current = self.unit_ids(staff_id)
        if current:
            return current
        p = t.staff_postings.c
        last = select(func.max(p.until_at)).where(p.staff_id == staff_id).scalar_subquery()
        query = select(p.unit_id).where(p.staff_id == staff_id, p.until_at == last)
        return [int(u) for u in self.conn.execute(query).scalars()]

    def get(self, staff_id: int) -> Any:
        return _by_id(self.conn, t.staff, staff_id, "staff member")

    def unit_ids(self, staff_id: int) -> list[int]:
        query = select(t.staff_units.c.unit_id).where(t.staff_units.c.staff_id == staff_id)
        return list(self.conn.execute(query).scalars())

    def under(self, path: str, role: str | None = None) -> list[Any]:
        """Staff assigned to the unit at ``path`` or to any unit below it."""
        query = (
            select(t.staff)
            .join(t.staff_units, t.staff_units.c.staff_id == t.staff.c.id)
            .where(under(t.staff_units.c.unit_id, path))
            .distinct()
        )
        if role is not None:
            query = query.where(t.staff.c.role == role)
        return list(self.conn.execute(query.order_by(t.staff.c.id)).all())

    def active_ids(self, ids: Sequence[int]) -> set[int]:
        """Which of ``ids`` are active staff members."""
        found: set[int] = set()
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            query = select(t.staff.c.id).where(t.staff.c.id.in_(chunk), t.staff.c.active.is_(True))
            found.update(int(i) for i in self.conn.execute(query).scalars())
        return found

    def active_at(self, unit_ids: Sequence[int]) -> list[tuple[int, str, int]]:
        """Active staff assigned directly to one of ``unit_ids``, by staff id: one
        ``(staff id, role, unit id)`` per assignment."""
        query = (
            select(t.staff.c.id, t.staff.c.role, t.staff_units.c.unit_id)
            .join(t.staff_units, t.staff_units.c.staff_id == t.staff.c.id)
            .where(t.staff_units.c.unit_id.in_(list(unit_ids)), t.staff.c.active.is_(True))
            .order_by(t.staff.c.id)
        )
        return [(int(i), str(role), int(unit)) for i, role, unit in self.conn.execute(query)]


class DepartmentRepository(Repository):
    def add(self, values: Mapping[str, Any]) -> int:
        stmt = insert(t.departments).returning(t.departments.c.id)
        return int(self.conn.execute(stmt, dict(values)).scalar_one())

    def get(self, department_id: int) -> Any:
        return _by_id(self.conn, t.departments, department_id, "department")

    def id_of(self, code: str) -> int | None:
        query = select(t.departments.c.id).where(t.departments.c.code == code)
        found = self.conn.execute(query).scalar_one_or_none()
        return None if found is None else int(found)

    def code_taken(self, code: str) -> bool:
        return self.id_of(code) is not None

    def under(self, path: str) -> list[Any]:
        query = select(t.departments).where(under(t.departments.c.unit_id, path))
        return list(self.conn.execute(query.order_by(t.departments.c.code)).all())

    def existing_codes(self, codes: Sequence[str]) -> set[str]:
        """Which of ``codes`` are department codes."""
        found: set[str] = set()
        for start in range(0, len(codes), 500):
            chunk = list(codes[start : start + 500])
            rows = self.conn.execute(_DEPARTMENT_CODES, {"codes": chunk})
            found.update(str(c) for c in rows.scalars())
        return found

    def at_units(self, unit_ids: Sequence[int]) -> list[tuple[str, str, int]]:
        """Departments attached to one of ``unit_ids``, by code: ``(code, kind, unit id)``."""
        d = t.departments.c
        query = select(d.code, d.kind, d.unit_id).where(d.unit_id.in_(list(unit_ids)))
        rows = self.conn.execute(query.order_by(d.code))
        return [(str(code), str(kind), int(unit)) for code, kind, unit in rows]
