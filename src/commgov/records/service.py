"""Plugin records: dated JSON documents a town plugin keeps on units (see ``docs/plugins.md``).

The kinds are declared with the ``commgov_record_kinds`` hook. Writing needs ``write`` and
reading ``read`` on the unit, decided by the permission hooks like any other data. Records are
never edited: a correction is a new record (plugins read the latest by ``ref``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from commgov.errors import ValidationError
from commgov.kernel.access import READ, WRITE
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import as_utc, optional_utc
from commgov.kernel.values import check_json, check_text, row_id, whole_number
from commgov.people.model.units import Unit, unit_target
from commgov.people.service.grids import load_unit
from commgov.records.calls import record_kinds
from commgov.records.model import DATA_MAX_BYTES, REF_MAX
from commgov.records.repository import RecordRepository
from commgov.records.views import RecordView


class RecordService:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def kinds(self) -> dict[str, str]:
        """The record kinds the available plugins declare, ``{name: label}``."""
        return dict(record_kinds(self._ctx))

    def add(
        self,
        actor: Actor,
        *,
        kind: str,
        unit: str,
        data: Mapping[str, Any],
        at: dt.datetime | None = None,
        ref: str | None = None,
    ) -> RecordView:
        """Keep one record of ``kind`` on the unit ``unit`` (a code)."""
        return self.add_many(
            actor, [{"kind": kind, "unit": unit, "data": data, "at": at, "ref": ref}]
        )[0]

    def add_many(self, actor: Actor, records: Sequence[Mapping[str, Any]]) -> list[RecordView]:
        """Keep many records in one unit of work: all are written or none."""
        now = self._ctx.clock()
        checked = [self._check(i, r, now) for i, r in enumerate(records)]
        with self._ctx.uow() as uow:
            units: dict[str, Unit] = {}
            rows: list[dict[str, Any]] = []
            codes: list[str] = []
            for row in checked:
                code = row.pop("unit")
                unit = units.get(code)
                if unit is None:
                    unit = units[code] = load_unit(uow, code, live=True)
                    self._ctx.authorize(actor, WRITE, unit_target(unit))
                rows.append({**row, "unit_id": unit.id, "actor": actor.label(), "created_at": now})
                codes.append(code)
            out = uow.repo(RecordRepository).add(rows, codes)
            if out:
                self._ctx.audit(
                    uow,
                    actor,
                    "records.add",
                    entity="plugin_record",
                    entity_id=str(out[0].id) if len(out) == 1 else "batch",
                    detail={"kinds": sorted({r.kind for r in out}), "count": len(out)},
                )
            return out

    def find(
        self,
        actor: Actor,
        *,
        kind: str,
        under: str,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        ref: str | None = None,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[RecordView]:
        """Records of ``kind`` on ``under`` and the units below it, oldest first; ``since`` is
        inclusive and ``until`` exclusive. ``limit`` caps the rows; ``after_id`` continues
        after that record (the last of a previous page)."""
        self._kind(kind)
        if after_id is not None:
            row_id("after_id", after_id)
        if limit is not None:
            whole_number("limit", limit, 1, 100_000)
        since, until = optional_utc("since", since), optional_utc("until", until)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, under, field="under")
            self._ctx.authorize(actor, READ, unit_target(top))
            if after_id is not None and not uow.repo(RecordRepository).exists(after_id):
                raise ValidationError("after_id", after_id, "no such record")
            return uow.repo(RecordRepository).find(
                kind, top.path, since=since, until=until, ref=ref, after_id=after_id, limit=limit
            )

    # -- checks ----------------------------------------------------------------------------
    def _kind(self, kind: object) -> str:
        known = record_kinds(self._ctx)
        if not isinstance(kind, str) or kind not in known:
            raise ValidationError("kind", kind, f"expected one of {', '.join(sorted(known))}")
        return kind

    def _check(self, index: int, record: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
        unknown = set(record) - {"kind", "unit", "data", "at", "ref"}
        if unknown:
            name = sorted(unknown)[0]
            raise ValidationError(f"records[{index}].{name}", record[name], "unknown field")
        kind = self._kind(record.get("kind"))
        unit = record.get("unit")
        if not isinstance(unit, str) or not unit:
            raise ValidationError(f"records[{index}].unit", unit, "a unit code")
        data = record.get("data")
        if not isinstance(data, Mapping):
            raise ValidationError(f"records[{index}].data", data, "a JSON object")
        check_json(f"records[{index}].data", dict(data))
        try:
            encoded = json.dumps(dict(data), ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"records[{index}].data", "…", f"not JSON: {exc}") from None
        if len(encoded.encode()) > DATA_MAX_BYTES:
            raise ValidationError(
                f"records[{index}].data", f"{len(encoded)} characters", "larger than 64 KiB"
            )
        given = record.get("at")
        at = now if given is None else as_utc(f"records[{index}].at", given)
        ref = record.get("ref")
        if ref is not None and not check_text(f"records[{index}].ref", ref, REF_MAX):
            raise ValidationError(f"records[{index}].ref", ref, "must not be empty")
        return {
            "kind": kind,
            "unit": unit,
            "data": json.loads(encoded),
            "at": at,
            "ref": ref,
        }
