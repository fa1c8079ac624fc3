"""Grid codes and the default permission policy, as pure functions."""

from __future__ import annotations

import pytest

from commgov.errors import ValidationError
from commgov.kernel import actors as roles
from commgov.kernel.access import (
    LEDGER_WRITE,
    MANAGE_STAFF,
    MANAGE_UNITS,
    READ,
    READ_PERSONAL,
    WRITE,
    Target,
    default_allows,
)
from commgov.kernel.actors import Actor
from commgov.people.model.codes import child_code, next_segment, validate_code


@pytest.mark.parametrize(
    ("code", "parent", "dedicated"),
    [
        ("411425", None, False),
        ("411425100", "411425", False),
        ("411425100001", "411425100", False),
        ("411425100001899", "411425100001", False),
        ("411425100001901", "411425100001", True),
        ("411425100001999", "411425100001", True),
        ("411425100001001001", "411425100001001", False),  # a grid below a compound
    ],
)
def test_good_codes(code: str, parent: str | None, dedicated: bool) -> None:
    assert validate_code(code, parent_code=parent, dedicated=dedicated) == code


@pytest.mark.parametrize(
    ("code", "parent", "dedicated", "reason"),
    [
        ("41142", None, False, "6 digits"),
        ("4114250", None, False, "6 digits"),
        ("411425100", None, False, "root unit"),
        ("000000", None, False, "not a division code"),
        ("411426100", "411425", False, "parent's code"),  # does not extend its parent
        ("411425100001", "411425", False, "parent's code"),  # two levels at once
        ("4114251001", "411425", False, "6 digits followed by 3-digit"),
        ("411425000", "411425", False, "000"),
        ("411425100001900", "411425100001", False, "001-899"),
        ("411425100001901", "411425100001", False, "901-999 are for dedicated"),
        ("411425100001999", "411425100001", False, "901-999 are for dedicated"),
        ("411425100001001", "411425100001", True, "dedicated grid's segment must be 901-999"),
        ("411425100001900", "411425100001", True, "dedicated grid's segment must be 901-999"),
        ("41142510000A", "411425100", False, "6 digits"),
        (" 411425", None, False, "6 digits"),
    ],
)
def test_bad_codes_name_the_field_and_value(
    code: str, parent: str | None, dedicated: bool, reason: str
) -> None:
    with pytest.raises(ValidationError, match=reason) as caught:
        validate_code(code, parent_code=parent, dedicated=dedicated)
    assert caught.value.field == "code"
    assert caught.value.value == code


def test_next_segment_takes_the_lowest_free_one_in_the_right_block() -> None:
    assert next_segment(set(), dedicated=False) == 1
    assert next_segment({1, 2, 4}, dedicated=False) == 3
    assert next_segment({901, 902, 950}, dedicated=True) == 903
    assert next_segment({1, 2}, dedicated=True) == 901  # the blocks do not mix
    assert next_segment(set(range(901, 1000)), dedicated=False) == 1
    assert child_code("411425100001", 7) == "411425100001007"


def test_a_full_block_is_an_error() -> None:
    with pytest.raises(ValidationError, match="no free segment"):
        next_segment(set(range(901, 1000)), dedicated=True)
    with pytest.raises(ValidationError, match="no free segment"):
        next_segment(set(range(1, 900)), dedicated=False)


# The tree: county 1 → town 2 → community 3 → grids 7 and 8; community 4 → grid 9.
GRID = Target("grid 7", "/1/2/3/7/")
OTHER_GRID = Target("grid 9", "/1/2/4/9/")
HOME = Target("household 5", "/1/2/3/7/", household_id=5)
ELSEWHERE = Target("household 6", "/1/2/4/9/", household_id=6)
NO_UNIT = Target("something outside the tree")
LOOKALIKE = Target("unit 17", "/11/17/")  # ids 11 and 17 must not match 1 or 7

WORKER = Actor(roles.GRID_WORKER, "w", units={7})
COMMUNITY = Actor(roles.COMMUNITY_STAFF, "c", units={3})
TOWN = Actor(roles.TOWN_ADMIN, "t", units={2})
DEPARTMENT = Actor(roles.DEPARTMENT_STAFF, "d", units={2})
RESIDENT = Actor.resident("r", household_id=5)


@pytest.mark.parametrize(
    ("actor", "action", "target", "allowed"),
    [
        (WORKER, READ, GRID, True),
        (WORKER, WRITE, GRID, True),
        (WORKER, READ_PERSONAL, HOME, True),
        (WORKER, LEDGER_WRITE, HOME, True),
        (WORKER, READ, OTHER_GRID, False),
        (WORKER, WRITE, ELSEWHERE, False),
        (WORKER, MANAGE_UNITS, GRID, False),
        (WORKER, MANAGE_STAFF, GRID, False),
        (WORKER, READ, LOOKALIKE, False),
        (WORKER, READ, NO_UNIT, False),
        (COMMUNITY, MANAGE_UNITS, GRID, True),
        (COMMUNITY, MANAGE_STAFF, HOME, True),
        (COMMUNITY, READ_PERSONAL, HOME, True),
        (COMMUNITY, WRITE, OTHER_GRID, False),
        (TOWN, WRITE, OTHER_GRID, True),
        (TOWN, MANAGE_UNITS, ELSEWHERE, True),
        (TOWN, MANAGE_UNITS, Target("county", "/1/"), False),  # not above their town
        (DEPARTMENT, READ, GRID, True),
        (DEPARTMENT, READ_PERSONAL, HOME, False),
        (DEPARTMENT, WRITE, GRID, False),
        (RESIDENT, READ, HOME, True),
        (RESIDENT, WRITE, HOME, True),
        (RESIDENT, READ_PERSONAL, HOME, True),
        (RESIDENT, MANAGE_UNITS, HOME, False),
        (RESIDENT, READ, ELSEWHERE, False),
        (RESIDENT, READ, GRID, False),  # the grid is not their household
        (Actor.resident("r", household_id=6), READ, HOME, False),
        (Actor.system(), MANAGE_UNITS, NO_UNIT, True),
        (Actor("wizard", "m", units={1}), READ, GRID, False),  # unknown roles have no rights
    ],
)
def test_default_policy(actor: Actor, action: str, target: Target, allowed: bool) -> None:
    assert default_allows(actor, action, target, actor.role) is allowed


def test_a_plugin_role_has_the_reach_of_the_role_it_acts_as() -> None:
    mediator = Actor("mediator", "m", units={3})
    assert default_allows(mediator, MANAGE_UNITS, GRID, roles.COMMUNITY_STAFF)
    assert not default_allows(mediator, MANAGE_UNITS, GRID, roles.DEPARTMENT_STAFF)
