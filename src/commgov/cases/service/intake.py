"""Intake: a report becomes a case in its grid, or folds into an open one (sensor alarms from
one device within the window; duplicates a plugin recognises)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from commgov.cases.model.actions import ACTIONS
from commgov.cases.model.case import Case, ReportDetails
from commgov.cases.model.limits import ADDRESS_MAX, PHOTO_MAX, TEXT_MAX
from commgov.cases.model.machine import open_case, step
from commgov.cases.model.numbers import TOWN_KINDS
from commgov.cases.model.rules import CaseInfo
from commgov.cases.model.vocab import (
    CHANNELS,
    KIND_LEVEL,
    LEVELS,
    SEVERITIES,
    UNRESOLVED,
    Action,
)
from commgov.cases.service.actions import absorb
from commgov.cases.service.batch import CaseBatch
from commgov.cases.views import CaseReport
from commgov.errors import NotFoundError, PluginError, ValidationError
from commgov.kernel import actors as roles
from commgov.kernel.access import Target
from commgov.people.model.personal import Phone
from commgov.people.model.units import Unit
from commgov.people.repository import UnitRepository


class Intake:
    """Takes reports into one batch; ``ids`` hands out the ids reserved for new cases (an id
    left unused is a gap in ids only: numbers are given when the batch is written)."""

    def __init__(self, batch: CaseBatch, ids: Iterator[int], alarm_window: dt.timedelta) -> None:
        self.batch = batch
        self.ids = ids
        self.window = alarm_window
        self._grids: dict[str, Unit] = {}
        self._devices: dict[str, int] = {}

    def take(self, report: CaseReport, *, resolve_within: dt.timedelta | None = None) -> int:
        """The id of the case the report opened or folded into; ``resolve_within`` replaces
        the deadline rule's time to resolve."""
        r = _checked(report)
        batch = self.batch
        if r.category is not None:
            batch.rules.categories.get(r.category)
        grid, household_id = self._place(r)
        permission = ACTIONS[Action.REPORT].permission
        batch.authorize(permission, Target(f"unit {grid.code}", grid.path, household_id))
        if r.device_id is not None:
            folded = self._fold(r.device_id)
            if folded is not None:
                return folded
        case = self._open(r, grid, household_id, resolve_within)
        if r.device_id is not None:
            self._devices[r.device_id] = case.id
        self._deduplicate(case)
        return case.id

    # -- where ---------------------------------------------------------------------------
    def _place(self, r: CaseReport) -> tuple[Unit, int | None]:
        """The grid (explicit code, else a located point, else the resident's household) and
        the reporting household; with ``town`` and none of these, the town itself (its own
        queue)."""
        batch, actor = self.batch, self.batch.actor
        resident = batch.ctx.roles.get(actor.role)
        is_resident = resident is not None and resident.acts_as == roles.RESIDENT
        household_id = actor.household_id if is_resident else r.household_id
        if is_resident and r.household_id not in (None, actor.household_id):
            raise ValidationError("household_id", r.household_id, "not the reporter's household")
        home: Unit | None = None
        if household_id is not None:
            try:
                home = batch.unit(batch.household_unit(household_id))
            except NotFoundError:
                raise ValidationError("household_id", household_id, "no such household") from None
        town = None if r.town is None else self._town(r.town)
        code, field = r.unit, "unit"
        if code is None and r.lat is not None and r.lon is not None:
            code, field = batch.rules.locate(r.lat, r.lon), "lat/lon"
            if code is None and town is None:
                raise ValidationError(
                    "lat/lon", (r.lat, r.lon), "no locate plugin places this point in a grid"
                )
        if code is None:
            if home is None:
                if town is not None:  # nothing places it: the town's own queue triages it
                    return town, None
                raise ValidationError(
                    "unit", None, "give a grid code, a point to locate, or the town (its queue)"
                )
            code = home.code
        grid = self._grid(code, field)
        if town is not None and not grid.is_within(town.id):
            given = (r.lat, r.lon) if field == "lat/lon" else code
            raise ValidationError(field, given, f"in {grid.code}, not in town {town.code}")
        if is_resident and (home is None or home.id != grid.id):
            household_id = None  # a resident reports in their own household's grid only
        elif home is not None and home.id != grid.id:
            raise ValidationError("household_id", household_id, f"does not live in {grid.code}")
        return grid, household_id

    def _town(self, code: str) -> Unit:
        """The town (or street) a report is for."""
        units = self.batch.uow.repo(UnitRepository)
        unit = self.batch.known_unit(code) or units.find_by_code(str(code))
        if unit is None:
            raise ValidationError("town", code, "no unit with this code")
        if unit.retired:
            raise ValidationError("town", code, "unit is retired")
        if unit.kind not in TOWN_KINDS:
            raise ValidationError("town", code, f"expected a town or a street, not a {unit.kind}")
        self.batch.remember(unit)
        return unit

    def _grid(self, code: str, field: str) -> Unit:
        found = self._grids.get(code)
        if found is None:
            units = self.batch.uow.repo(UnitRepository)
            unit = self.batch.known_unit(code) or units.find_by_code(str(code))
            if unit is None:
                raise ValidationError(field, code, "no unit with this code")
            if unit.retired:
                raise ValidationError(field, code, "unit is retired")
            if not unit.is_grid:
                raise ValidationError(field, code, f"a case belongs to a grid, not a {unit.kind}")
            found = self._grids[code] = unit
            self.batch.remember(unit)
        return found

    # -- folding -------------------------------------------------------------------------
    def _fold(self, device_id: str) -> int | None:
        """Count the alarm on the device's open case if its last alarm is within the window
        (a window of zero folds nothing)."""
        batch = self.batch
        if self.window <= dt.timedelta(0):
            return None
        since = batch.now - self.window
        case_id = self._devices.get(device_id)
        if case_id is None:
            case_id = batch.repo.open_for_device(device_id, since)
        if case_id is None:
            return None
        case = batch.case(case_id)
        if case.state not in UNRESOLVED or case.last_alarm_at is None:
            return None
        if case.last_alarm_at < since:
            return None
        batch.authorize_case(ACTIONS[Action.ALARM].permission, case)
        new, event = step(case, Action.ALARM, at=batch.now, actor=batch.actor.label())
        batch.record(new, event)
        return case_id

    def _deduplicate(self, case: Case) -> None:
        batch = self.batch

        def recent() -> list[CaseInfo]:
            stored = batch.repo.recent_open(case.unit_id)
            return [batch.info(batch.adopt(*s)) for s in stored if s[0].id != case.id]

        target = batch.rules.duplicate(batch.info(case), recent)
        if target is None:
            return
        try:
            batch.case(target)
        except NotFoundError:
            raise PluginError(f"commgov_case_duplicate returned {target!r}: no such case") from None
        new, event = step(
            case,
            Action.MERGE,
            at=batch.now,
            actor=batch.actor.label(),
            note=f"duplicate of case {target} (commgov_case_duplicate)",
            data={"into": target},
        )
        batch.record(new, event)
        absorb(batch, new, target)

    # -- opening -------------------------------------------------------------------------
    def _open(
        self,
        r: CaseReport,
        grid: Unit,
        household_id: int | None,
        resolve_within: dt.timedelta | None,
    ) -> Case:
        batch = self.batch
        level = LEVELS[0] if grid.is_grid else KIND_LEVEL[grid.kind]  # a town's own queue
        due = batch.rules.due_times(
            grid.path,
            category=r.category,
            severity=r.severity,
            level=level,
            respond_from=batch.now,
            resolve_from=batch.now,
            resolve_within=resolve_within,
        )
        data: dict[str, Any] = {
            "unit_id": grid.id,
            "channel": r.channel,
            "severity": r.severity,
            "category": r.category,
            "owner_level": level,
            "household_id": household_id,
            "device_id": r.device_id,
            "photos": list(r.photos),
            **due,
            **({"resolve_within": int(resolve_within.total_seconds())} if resolve_within else {}),
        }
        case, event = open_case(
            next(self.ids), at=batch.now, actor=batch.actor.label(), data=data, note=r.text
        )
        phone = r.reporter_phone
        contact = batch.ctx.cipher.encrypt(phone) if phone is not None else None
        details = ReportDetails(r.text, r.address, r.lat, r.lon, r.photos, contact)
        batch.add(case, event, details)
        return case


def _checked(r: CaseReport) -> CaseReport:
    """Field checks that need no database; returns the report with its text stripped."""
    text = r.text.strip()
    if not text:
        raise ValidationError("text", r.text, "must not be empty")
    if len(text) > TEXT_MAX:
        raise ValidationError("text", text[:20] + "…", f"longer than {TEXT_MAX} characters")
    if r.channel not in CHANNELS:
        raise ValidationError("channel", r.channel, f"expected one of {', '.join(CHANNELS)}")
    if r.severity not in SEVERITIES:
        raise ValidationError("severity", r.severity, f"expected one of {', '.join(SEVERITIES)}")
    if (r.channel == "sensor") != (r.device_id is not None):
        raise ValidationError(
            "device_id", r.device_id, "sensor alarms need a device id, other channels none"
        )
    if (r.lat is None) != (r.lon is None):
        raise ValidationError("lat/lon", (r.lat, r.lon), "give both or neither")
    if r.lat is not None and not -90 <= r.lat <= 90:
        raise ValidationError("lat", r.lat, "must lie within -90..90")
    if r.lon is not None and not -180 <= r.lon <= 180:
        raise ValidationError("lon", r.lon, "must lie within -180..180")
    if r.address is not None and len(r.address) > ADDRESS_MAX:
        raise ValidationError("address", r.address[:20] + "…", f"longer than {ADDRESS_MAX}")
    for photo in r.photos:
        if not photo or len(photo) > PHOTO_MAX:
            raise ValidationError("photos", photo, f"a reference of 1 to {PHOTO_MAX} characters")
    phone = r.reporter_phone
    if phone is not None:
        phone = Phone.parse(phone, field="reporter_phone").reveal()
    return r.model_copy(update={"text": text, "reporter_phone": phone})
