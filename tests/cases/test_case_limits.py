"""Case fields beyond their limits, or holding text no store can keep, are refused at the
boundary with the caller's field name, on SQLite and PostgreSQL alike, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import Town

from commgov.cases.model.limits import DEVICE_ID_MAX, NOTE_MAX, TEXT_MAX
from commgov.errors import ValidationError


def _case_counts(town: Town) -> tuple[int, int]:
    cases = town.cg.cases.under(town.admin, town.town)
    return len(cases), sum(len(town.cg.cases.history(town.admin, c.id)) for c in cases)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "井" * (TEXT_MAX + 1)}, "text"),
        ({"text": "路灯\x00坏了"}, "text"),
        ({"text": "路灯\udfff坏了"}, "text"),
        (
            {"text": "报警", "channel": "sensor", "device_id": "d" * (DEVICE_ID_MAX + 1)},
            "device_id",
        ),
        ({"text": "报警", "address": "路" * 201}, "address"),
        ({"text": "报警", "photos": ("p" * 501,)}, "photos.0"),
        ({"text": "报警", "household_id": 2**40}, "household_id"),
    ],
)
def test_a_report_beyond_its_limits_is_refused(
    any_town: Town, fields: dict[str, Any], field: str
) -> None:
    before = _case_counts(any_town)
    with pytest.raises(ValidationError) as raised:
        any_town.cg.cases.report(any_town.admin, unit=any_town.grid_a1, **fields)
    assert raised.value.field == field
    assert len(str(raised.value)) < 300  # the value is shortened, not repeated in full
    assert _case_counts(any_town) == before


def test_a_note_up_to_its_limit_is_kept_and_one_past_it_refused(any_town: Town) -> None:
    cg = any_town.cg
    worker = any_town.worker(any_town.grid_a1)
    case = cg.cases.report(worker, text="占道经营", unit=any_town.grid_a1)
    cg.cases.accept(worker, case.id)
    cg.cases.triage(worker, case.id)
    cg.cases.dispatch(worker, case.id, lead=f"staff:{worker.staff_id}")
    cg.cases.start(worker, case.id)
    before = _case_counts(any_town)
    with pytest.raises(ValidationError) as raised:
        cg.cases.resolve(worker, case.id, outcome="办" * (NOTE_MAX + 1))
    assert raised.value.field == "outcome"
    assert _case_counts(any_town) == before
    assert cg.cases.get(worker, case.id).state == "in_progress"
    done = cg.cases.resolve(worker, case.id, outcome="办" * NOTE_MAX)
    assert done.state == "resolved"
    assert cg.cases.history(worker, case.id)[-1].note == "办" * NOTE_MAX


@pytest.mark.parametrize("reason", ["理" * (NOTE_MAX + 1), "无效\x00"])
def test_a_reject_reason_the_store_cannot_keep_is_refused(any_town: Town, reason: str) -> None:
    cg = any_town.cg
    case = cg.cases.report(any_town.admin, text="重复上报", unit=any_town.grid_a1)
    with pytest.raises(ValidationError) as raised:
        cg.cases.reject(any_town.admin, case.id, kind="invalid", reason=reason)
    assert raised.value.field == "reason"
    assert cg.cases.get(any_town.admin, case.id).state == "reported"
