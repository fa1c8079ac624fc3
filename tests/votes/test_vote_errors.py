"""Bad input to votes: a clear error naming the field and the value, and nothing changed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.votes.conftest import Street, all_counts

import commgov


@pytest.fixture
def vote(street: Street) -> commgov.VoteView:
    return street.cg.votes.open(
        street.town.admin, question="选方案", electorate="households", unit=street.town.grid_a1,
        kind="several_of", options=["甲", "乙", "丙"], max_choices=2,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (["丁"], "is not an option"),
        (["甲", "乙", "丙"], "1 to 2 choices"),
        ([], "1 to 2 choices"),
        (["甲", "甲"], "chosen twice"),
        ("甲", "expected a list"),
    ],
)
def test_a_bad_ballot_is_refused_and_changes_nothing(
    street: Street, vote: commgov.VoteView, choices: object, message: str
) -> None:
    before = all_counts(street.cg)
    with pytest.raises(commgov.ValidationError, match=message) as caught:
        street.cg.votes.cast(street.voters[0], vote.id, choices=choices)  # type: ignore[arg-type]
    assert caught.value.field == "choices"
    assert all_counts(street.cg) == before


def test_voting_twice_after_close_or_off_the_roll_changes_nothing(
    street: Street, vote: commgov.VoteView
) -> None:
    cg = street.cg
    cg.votes.cast(street.voters[0], vote.id, choices=["甲"])
    attempts: list[tuple[Callable[[], object], type[Exception]]] = [
        (lambda: cg.votes.cast(street.voters[0], vote.id, choices=["乙"]), commgov.ConflictError),
        (lambda: cg.votes.cast(street.outsider, vote.id, choices=["乙"]), commgov.PermissionDenied),
        (lambda: cg.votes.cast(street.voters[1], 999, choices=["乙"]), commgov.NotFoundError),
        (
            lambda: cg.votes.cast_paper(
                street.town.admin, vote.id, voter="household:999", choices=["乙"]
            ),
            commgov.ValidationError,
        ),
    ]
    for attempt, kind in attempts:
        before = all_counts(cg)
        with pytest.raises(kind):
            attempt()
        assert all_counts(cg) == before
    cg.votes.close(street.town.admin, vote.id)
    before = all_counts(cg)
    with pytest.raises(commgov.StateError, match="takes no more ballots"):
        cg.votes.cast(street.voters[1], vote.id, choices=["乙"])
    assert all_counts(cg) == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"electorate": "everyone"}, "electorate"),
        ({"rule": "unanimity"}, "rule"),
        ({"rule": "civil_code_278", "matter": 6}, "rule"),  # weighs area: owners only
        ({"matter": 3}, "matter"),
        ({"question": ""}, "question"),
        ({"question": "问" * 501}, "question"),
        ({"electorate": "council"}, "council"),
        ({"unit": None}, "unit"),
        ({"secret": "yes"}, "secret"),
        ({"kind": "one_of", "options": ["甲"]}, "options"),
    ],
)
def test_bad_vote_settings_name_the_field_and_change_nothing(
    street: Street, fields: dict[str, object], field: str
) -> None:
    given: dict[str, object] = {
        "question": "q", "electorate": "households", "unit": street.town.grid_a1, **fields
    }  # fmt: skip
    before = all_counts(street.cg)
    with pytest.raises(commgov.ValidationError) as caught:
        street.cg.votes.open(street.town.admin, **given)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert all_counts(street.cg) == before


def test_an_owners_vote_needs_a_register_and_its_matter(street: Street) -> None:
    cg, admin, grid = street.cg, street.town.admin, street.town.grid_a1
    with pytest.raises(commgov.ValidationError, match="nobody is on") as caught:
        cg.votes.open(admin, question="q", electorate="owners", unit=grid)
    assert caught.value.field == "electorate"
    with pytest.raises(commgov.ValidationError) as missing:
        cg.votes.open(admin, question="q", electorate="owners", unit=grid, rule="civil_code_278")
    assert (missing.value.field, missing.value.value) == ("matter", None)


@pytest.mark.parametrize(
    ("entries", "total", "field", "message"),
    [
        ([("1-101", "90"), ("1-102", "80")], "180", "total_area", "add up to 170 m²"),
        ([("1-101", "90.125")], "90.125", "total_area", "two decimals"),
        ([("1-101", "-5")], "5", "dwellings[0].area", "more than 0"),
        ([("1-101", "90"), ("1-101", "90")], "180", "dwellings", "listed twice"),
        ([("", "90")], "90", "dwellings[0].label", "empty"),
        ([("1-101", "ninety")], "90", "dwellings[0].area", "square metres"),
    ],
)
def test_a_register_whose_weights_do_not_add_up_changes_nothing(
    street: Street, entries: list[tuple[str, str]], total: str, field: str, message: str
) -> None:
    home = street.homes[0].id
    dwellings = [commgov.DwellingEntry(label, area, home) for label, area in entries]
    before = all_counts(street.cg)
    with pytest.raises(commgov.ValidationError, match=message) as caught:
        street.cg.votes.register_dwellings(
            street.town.admin, unit=street.town.grid_a1, dwellings=dwellings, total_area=total
        )
    assert caught.value.field == field
    assert all_counts(street.cg) == before


def test_a_register_replaces_the_last_and_names_unknown_households(street: Street) -> None:
    cg, admin, grid = street.cg, street.town.admin, street.town.grid_a1
    first = [commgov.DwellingEntry("1-101", "90", street.homes[0].id)]
    cg.votes.register_dwellings(admin, unit=grid, dwellings=first, total_area="90")
    with pytest.raises(commgov.NotFoundError, match="household"):
        cg.votes.register_dwellings(
            admin, unit=grid, total_area="90",
            dwellings=[commgov.DwellingEntry("1-102", "90", 999)],
        )  # fmt: skip
    assert [d.label for d in cg.votes.dwellings(admin, grid)] == ["1-101"]
    second = [commgov.DwellingEntry("2-101", "75.25", street.homes[1].id)]
    found = cg.votes.register_dwellings(admin, unit=grid, dwellings=second, total_area="75.25")
    assert [(d.label, str(d.area)) for d in found] == [("2-101", "75.25")]


def test_only_those_who_manage_the_unit_open_and_close(street: Street) -> None:
    cg, town = street.cg, street.town
    vote = cg.votes.open(town.admin, question="q", electorate="households", unit=town.grid_a1)
    worker = town.worker(town.grid_a1)
    outsider = town.worker(town.grid_b1, role="community_staff")
    before = all_counts(cg)
    for act in (
        lambda: cg.votes.open(worker, question="q", electorate="households", unit=town.grid_a1),
        lambda: cg.votes.close(worker, vote.id),
        lambda: cg.votes.cancel(outsider, vote.id, reason="x"),
        lambda: cg.votes.cast_paper(outsider, vote.id, voter="household:1", choices=["yes"]),
        lambda: cg.votes.get(outsider, vote.id),
        lambda: cg.votes.get(street.outsider, vote.id),
    ):
        with pytest.raises(commgov.PermissionDenied):
            act()
    assert all_counts(cg) == before
    paper = cg.votes.cast_paper(
        worker, vote.id, voter=f"household:{street.homes[0].id}", choices=["yes"]
    )
    assert paper.paper  # a grid worker within reach enters paper ballots
