"""An activity placed in a booking of a shared resource: the booking must be live and cover
the activity's time."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.organisations.conftest import END, START, Club, organisation_rows

import commgov


def hall(club: Club) -> commgov.ResourceView:
    return club.cg.resources.publish(
        club.admin, unit=club.town.community_a, name="社区活动室", kind="room",
        hours={"daily": ["08:00-21:00"]}, capacity=1,
    )  # fmt: skip


def test_an_activity_takes_place_in_a_booking_that_covers_it(club: Club) -> None:
    cg = club.cg
    room = hall(club)
    booked = cg.resources.book(
        club.admin, room.id, starts_at=START, ends_at=END, for_unit=club.town.community_a
    )
    activity = club.activity(booking_id=booked.id)
    assert activity.booking_id == booked.id


def test_a_booking_that_does_not_cover_the_activity_or_is_cancelled_is_refused(club: Club) -> None:
    cg = club.cg
    room = hall(club)
    short = cg.resources.book(
        club.admin, room.id, starts_at=START, ends_at=START + dt.timedelta(hours=1),
        for_unit=club.town.community_a,
    )  # fmt: skip
    before = organisation_rows(cg)
    with pytest.raises(commgov.ValidationError, match="does not cover") as caught:
        club.activity(booking_id=short.id)
    assert (caught.value.field, caught.value.value) == ("booking_id", short.id)
    cg.resources.cancel(club.admin, short.id, reason="改期")
    with pytest.raises(commgov.ValidationError, match="cancelled"):
        club.activity(booking_id=short.id, ends_at=START + dt.timedelta(hours=1))
    with pytest.raises(commgov.ValidationError, match="no such booking"):
        club.activity(booking_id=999_999)
    assert organisation_rows(cg) == before


def test_another_organisations_booking_cannot_be_borrowed(club: Club) -> None:
    cg = club.cg
    room = hall(club)
    booked = cg.resources.book(
        club.admin, room.id, starts_at=START, ends_at=END, for_unit=club.town.community_a
    )
    choir = cg.organisations.register(
        club.admin, unit=club.town.grid_b1, name="合唱团", kind="grassroots"
    )
    before = organisation_rows(cg)
    with pytest.raises(commgov.ValidationError, match="neither lives in nor serves") as caught:
        cg.activities.publish(
            club.admin, organisation_id=choir.id, title="排练", kind="rehearsal",
            starts_at=START, ends_at=END, places=10, booking_id=booked.id,
        )  # fmt: skip
    assert (caught.value.field, caught.value.value) == ("booking_id", booked.id)
    assert organisation_rows(cg) == before
