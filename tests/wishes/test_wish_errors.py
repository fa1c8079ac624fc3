"""Bad input gets a clear error naming the field and the value, and writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from tests.conftest import NOW

import commgov

from .helpers import TODAY, WishTown, counts

Call = Callable[[WishTown, dict[str, int]], Any]


def _want(wt: WishTown, **fields: Any) -> Any:
    return wt.want(**fields)


CASES: list[tuple[str, Call, str, object]] = [
    ("unknown category", lambda wt, _: _want(wt, category="elder.moon"), "category", "elder.moon"),
    ("unknown top", lambda wt, _: _want(wt, category="pets"), "category", "pets"),
    ("empty text", lambda wt, _: _want(wt, text="  "), "text", "  "),
    ("past date", lambda wt, _: _want(wt, wanted_by=TODAY - dt.timedelta(days=1)), "wanted_by",
     TODAY - dt.timedelta(days=1)),
    ("zero quantity", lambda wt, _: _want(wt, quantity=0), "quantity", 0),
    ("half a point", lambda wt, _: _want(wt, lat=34.0), "lat/lon", (34.0, None)),
    ("bad kind", lambda wt, _: wt.wishes.post(wt.worker, kind="wish", category="elder", text="x",  # type: ignore[arg-type]
                                              unit=wt.town.grid_a1), "kind", "wish"),
    ("no such resident", lambda wt, _: wt.wishes.post(wt.worker, kind="want", category="elder",
                                                      text="x", resident_id=999),
     "resident_id", 999),
    ("self match", lambda wt, ids: wt.wishes.propose(wt.worker, ids["want"], ids["want"]),
     "offer_id", None),
    ("want to want", lambda wt, ids: wt.wishes.propose(wt.worker, ids["want"], ids["other"]),
     "offer_id", None),
    ("over capacity", lambda wt, ids: wt.wishes.propose(wt.worker, ids["want"], ids["offer"],
                                                        quantity=3), "quantity", 3),
    ("rating too high", lambda wt, ids: wt.wishes.fulfil(wt.worker, ids["want"], rating=6),
     "rating", 6),
    ("rating zero", lambda wt, ids: wt.wishes.fulfil(wt.worker, ids["want"], rating=0),
     "rating", 0),
    ("evidence as text", lambda wt, ids: wt.wishes.fulfil(wt.worker, ids["want"], evidence="a.jpg"),  # type: ignore[arg-type]
     "evidence", "a.jpg"),
    ("triage an offer", lambda wt, ids: wt.wishes.triage(wt.worker, ids["offer"]), "wish_id", None),
    ("target in the past", lambda wt, ids: wt.wishes.triage(wt.worker, ids["want"], tier="now",
                                                             target=TODAY - dt.timedelta(days=1)),
     "target", TODAY - dt.timedelta(days=1)),
    ("empty reason", lambda wt, ids: wt.wishes.withdraw(wt.actor("li"), ids["want"], reason=""),
     "reason", ""),
    ("candidates limit", lambda wt, ids: wt.wishes.candidates(wt.worker, ids["want"], limit=0),
     "limit", 0),
]  # fmt: skip


@pytest.mark.parametrize(("name", "call", "field", "value"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_names_the_field_and_writes_nothing(
    wt: WishTown, name: str, call: Call, field: str, value: object
) -> None:
    ids = {"want": wt.want().id, "other": wt.want("zhang").id, "offer": wt.offer(quantity=2).id}
    before = counts(wt.cg)
    with pytest.raises(commgov.ValidationError) as caught:
        call(wt, ids)
    assert caught.value.field == field
    if value is not None:
        assert caught.value.value == value
    else:
        assert caught.value.value in ids.values()
    assert counts(wt.cg) == before


def test_fulfilling_an_expired_or_withdrawn_want_writes_nothing(wt: WishTown) -> None:
    expired = wt.want(wanted_by=TODAY)
    withdrawn = wt.want("zhang")
    wt.wishes.withdraw(wt.actor("zhang"), withdrawn.id, reason="不需要了")
    wt.wishes.expire_due(wt.staff_a, wt.town.community_a, now=NOW + dt.timedelta(days=2))
    before = counts(wt.cg)
    for wish_id, state in ((expired.id, "expired"), (withdrawn.id, "withdrawn")):
        with pytest.raises(commgov.StateError, match=f"wish_id={wish_id}: the want is {state}"):
            wt.wishes.fulfil(wt.worker, wish_id, rating=5)
    with pytest.raises(commgov.NotFoundError):
        wt.wishes.fulfil(wt.worker, 9999, rating=5)
    assert counts(wt.cg) == before


def test_a_refused_action_writes_nothing(wt: WishTown) -> None:
    want = wt.want()
    offer = wt.offer()
    match = wt.wishes.propose(wt.worker, want.id, offer.id)
    before = counts(wt.cg)
    with pytest.raises(commgov.PermissionDenied):
        wt.wishes.accept_match(wt.actor("wang"), match.id)
    with pytest.raises(commgov.PermissionDenied):
        wt.wishes.fulfil(wt.actor("zhao"), want.id, rating=5)
    with pytest.raises(commgov.PermissionDenied):
        wt.wishes.expire_due(wt.actor("li"), wt.town.grid_a1)
    assert counts(wt.cg) == before
