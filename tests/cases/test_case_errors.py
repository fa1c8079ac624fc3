"""Bad input gives an error naming the field and the value, and the case stays as it was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import commgov

from .conftest import Town


def _unchanged(
    town: Town, case_id: int, attempt: Callable[[], Any], error: type[Exception], *parts: str
) -> None:
    before = town.cases.get(town.admin, case_id)
    events = len(town.cases.history(town.admin, case_id))
    with pytest.raises(error) as caught:
        attempt()
    for part in parts:
        assert part in str(caught.value)
    assert town.cases.get(town.admin, case_id) == before
    assert len(town.cases.history(town.admin, case_id)) == events


def _informed(town: Town) -> int:
    worker = town.workers[0]
    case = town.report()
    town.cases.accept(worker, case.id)
    town.cases.triage(worker, case.id, category="environment")
    town.cases.dispatch(worker, case.id, lead=f"staff:{worker.staff_id}")
    town.cases.start(worker, case.id)
    town.cases.resolve(worker, case.id, outcome="swept")
    town.cases.inform(worker, case.id)
    return case.id


def test_unknown_category(town: Town) -> None:
    case = town.report()
    town.cases.accept(town.workers[0], case.id)
    _unchanged(
        town,
        case.id,
        lambda: town.cases.triage(town.workers[0], case.id, category="weather.rain"),
        commgov.ValidationError,
        "category='weather.rain'",
        "unknown category",
    )
    with pytest.raises(commgov.ValidationError, match="category='nope'"):
        town.cases.report(town.workers[0], text="x", unit=town.grids[0], category="nope")


def test_grid_outside_the_actors_reach(town: Town) -> None:
    case = town.report()  # in grid 0
    outsider = town.workers[3]
    _unchanged(
        town,
        case.id,
        lambda: town.cases.accept(outsider, case.id),
        commgov.PermissionDenied,
        outsider.label(),
        town.grids[0],
    )
    with pytest.raises(commgov.PermissionDenied, match=town.grids[0]):
        town.cases.report(outsider, text="x", unit=town.grids[0])
    with pytest.raises(commgov.PermissionDenied, match=town.grids[1]):
        town.cases.report(town.residents[0], text="x", unit=town.grids[1])


@pytest.mark.parametrize("rating", [0, 6, -1, "5", 4.5, True])
def test_rating_out_of_range(town: Town, rating: object) -> None:
    case_id = _informed(town)
    _unchanged(
        town,
        case_id,
        lambda: town.cases.visit(town.workers[0], case_id, rating=rating),  # type: ignore[arg-type]
        commgov.ValidationError,
        "rating=",
    )


def test_second_rating(town: Town) -> None:
    case_id = _informed(town)
    town.cases.visit(town.workers[0], case_id, rating=4)
    _unchanged(
        town,
        case_id,
        lambda: town.cases.visit(town.workers[0], case_id, rating=5),
        commgov.ValidationError,
        "rating=5",
        "already rated 4",
    )


def test_illegal_action_names_case_state_and_action(town: Town) -> None:
    case = town.report()
    _unchanged(
        town,
        case.id,
        lambda: town.cases.resolve(town.workers[0], case.id, outcome="x"),
        commgov.StateError,
        f"case {case.id}",
        "reported",
        "resolve",
    )


def test_bad_lead_and_co_operators(town: Town) -> None:
    worker = town.workers[0]
    case = town.report()
    town.cases.accept(worker, case.id)
    town.cases.triage(worker, case.id)
    for lead, field in (
        ("staff:999", "lead='staff:999'"),
        ("mayor:1", "lead='mayor:1'"),
        ("department:X", "department:X"),
    ):
        _unchanged(
            town,
            case.id,
            lambda lead=lead: town.cases.dispatch(worker, case.id, lead=lead),
            commgov.ValidationError,
            field,
        )
    _unchanged(
        town,
        case.id,
        lambda: town.cases.dispatch(
            worker, case.id, lead=f"staff:{worker.staff_id}", co_operators=["nope"]
        ),
        commgov.ValidationError,
        "co_operators='nope'",
    )


def test_unknown_case_and_bad_fields(town: Town) -> None:
    with pytest.raises(commgov.NotFoundError, match="case"):
        town.cases.accept(town.admin, 404)
    with pytest.raises(commgov.ValidationError, match="severity='whenever'"):
        town.cases.report(town.admin, text="x", unit=town.grids[0], severity="whenever")
    with pytest.raises(commgov.ValidationError, match="text"):
        town.cases.report(town.admin, text="   ", unit=town.grids[0])
    with pytest.raises(commgov.ValidationError, match="colour"):
        town.cases.report(town.admin, text="x", unit=town.grids[0], colour="red")
    with pytest.raises(commgov.ValidationError, match="by='street'"):
        town.cases.metrics(town.admin, town.town, by="street")
