"""The registry through ``cg.organisations``: kinds, the party tree laid over the units,
members and who may see their phones, dual registration and who serves where."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import NOW
from tests.organisations.conftest import END, START, Club, organisation_rows

import commgov


def test_the_registry_lists_by_unit_with_kinds_and_served_units(club: Club) -> None:
    cg, town = club.cg, club.town
    choir = cg.organisations.register(
        club.admin, unit=town.grid_b1, name="合唱团", kind="grassroots"
    )
    assert (choir.kind_label, choir.party, choir.unit_code) == ("草根组织", False, town.grid_b1)
    team = cg.organisations.get(club.admin, club.team.id)
    assert team.serves == [town.community_b]
    in_b = [o.name for o in cg.organisations.under(club.admin, unit=town.community_b)]
    assert in_b == ["夕阳红志愿服务队", "合唱团"]  # the team serves b; the choir lives there
    only = cg.organisations.under(club.admin, unit=town.town, kind="grassroots")
    assert [o.id for o in only] == [choir.id]


def test_a_name_taken_in_the_unit_is_a_conflict_and_changes_nothing(club: Club) -> None:
    before = organisation_rows(club.cg)
    with pytest.raises(commgov.ConflictError, match="already has an organisation"):
        club.cg.organisations.register(
            club.admin, unit=club.town.community_a, name="夕阳红志愿服务队", kind="grassroots"
        )
    assert organisation_rows(club.cg) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "secret_society"),
        ("name", ""),
        ("contact_phone", "12345"),
        ("serves", ["999"]),
        ("parent_id", 0),
    ],
)
def test_bad_registrations_name_the_field_and_change_nothing(
    club: Club, field: str, value: object
) -> None:
    before = organisation_rows(club.cg)
    fields: dict[str, object] = {
        "unit": club.town.community_a,
        "name": "新组织",
        "kind": "grassroots",
    }
    fields[field] = value
    with pytest.raises((commgov.ValidationError, commgov.NotFoundError)) as caught:
        club.cg.organisations.register(club.admin, **fields)  # type: ignore[arg-type]
    if isinstance(caught.value, commgov.ValidationError):
        assert caught.value.field == field
    assert "12345" not in str(caught.value) or field != "contact_phone"
    assert organisation_rows(club.cg) == before


def test_the_party_tree_is_laid_over_the_units(club: Club) -> None:
    cg, town = club.cg, club.town
    committee = cg.organisations.register(
        club.admin, unit=town.town, name="镇党委", kind="party_committee"
    )
    branch = cg.organisations.register(
        club.admin,
        unit=town.community_a,
        name="一社区党支部",
        kind="party_branch",
        parent_id=committee.id,
    )
    group = cg.organisations.register(
        club.admin, unit=town.grid_a1, name="一网格党小组", kind="party_group", parent_id=branch.id
    )
    tree = cg.organisations.under(club.admin, unit=town.town, party=True)
    assert [(o.id, o.parent_id) for o in tree] == [
        (committee.id, None),
        (branch.id, committee.id),
        (group.id, branch.id),
    ]
    assert all(o.party for o in tree)
    assert club.team.id not in {o.id for o in tree}
    with pytest.raises(commgov.ValidationError) as caught:  # b's grid is not under a's branch
        cg.organisations.register(
            club.admin,
            unit=town.grid_b1,
            name="二网格党小组",
            kind="party_group",
            parent_id=branch.id,
        )
    assert caught.value.field == "parent_id"
    with pytest.raises(commgov.ValidationError):  # a team does not sit in the party tree
        cg.organisations.register(
            club.admin, unit=town.grid_a1, name="队", kind="volunteer_team", parent_id=branch.id
        )
    with pytest.raises(commgov.StateError, match="organisations under it"):
        cg.organisations.dissolve(club.admin, branch.id, reason="合并")


def test_members_phones_are_shown_to_their_leaders_and_masked_to_others(club: Club) -> None:
    cg = club.cg
    cg.organisations.add_member(club.leader, club.team.id, resident_id=club.residents[1])
    other = cg.organisations.register(
        club.admin, unit=club.town.grid_b1, name="合唱团", kind="grassroots"
    )
    cg.organisations.add_member(club.admin, other.id, resident_id=club.residents[2], role="leader")
    cg.organisations.add_member(club.admin, other.id, resident_id=club.residents[3])
    by_leader = {
        m.resident_id: m.phone for m in cg.organisations.members(club.leader, club.team.id)
    }
    assert by_leader[club.residents[1]] == "13900000001"
    # an ordinary member reads the roll, the phones masked
    plain = {m.resident_id: m.phone for m in cg.organisations.members(club.actors[1], club.team.id)}
    assert plain[club.residents[0]] is not None and "*" in plain[club.residents[0]]
    # another organisation's leader sees neither this roll nor its phones
    with pytest.raises(commgov.PermissionDenied):
        cg.organisations.members(club.actors[2], club.team.id)
    # a grid worker of community b may not read a's household's phone
    worker_b = club.town.worker(club.town.grid_b1)
    seen = {m.resident_id: m.phone for m in cg.organisations.members(worker_b, other.id)}
    assert seen[club.residents[3]] == "13900000003"  # lives in b's grid: within reach
    assert "*" in (cg.organisations.get(worker_b, other.id).contact_phone or "*")


def test_the_contact_phone_is_masked_for_readers_who_do_not_run_it(club: Club) -> None:
    cg = club.cg
    assert cg.organisations.get(club.admin, club.team.id).contact_phone == "13800138000"
    assert cg.organisations.get(club.leader, club.team.id).contact_phone == "13800138000"
    cg.organisations.add_member(club.admin, club.team.id, resident_id=club.residents[1])
    shown = cg.organisations.get(club.actors[1], club.team.id).contact_phone
    assert shown is not None and shown != "13800138000" and shown.startswith("138")


def test_removing_a_member_keeps_the_record(club: Club) -> None:
    cg = club.cg
    cg.organisations.add_member(club.admin, club.team.id, resident_id=club.residents[1])
    left = cg.organisations.remove_member(club.admin, club.team.id, resident_id=club.residents[1])
    assert left.left_at == NOW
    assert club.residents[1] not in {
        m.resident_id for m in cg.organisations.members(club.admin, club.team.id)
    }
    former = cg.organisations.members(club.admin, club.team.id, former=True)
    assert club.residents[1] in {m.resident_id for m in former}
    with pytest.raises(commgov.ValidationError) as caught:
        cg.organisations.remove_member(club.admin, club.team.id, resident_id=club.residents[1])
    assert (caught.value.field, caught.value.value) == ("resident_id", club.residents[1])


def test_dual_registration_and_who_serves_where(club: Club) -> None:
    cg, town = club.cg, club.town
    branch_a = cg.organisations.register(
        club.admin, unit=town.community_a, name="一社区党支部", kind="party_branch"
    )
    branch_b = cg.organisations.register(
        club.admin, unit=town.community_b, name="二社区党支部", kind="party_branch"
    )
    at_home, away = club.residents[2], club.residents[3]  # a's grid; b's grid
    cg.organisations.register_party_member(
        club.admin,
        resident_id=at_home,
        branch_id=branch_a.id,
        workplace="县教育局",
        workplace_branch="教育局机关党支部",
    )
    registered = cg.organisations.register_party_member(
        club.admin, resident_id=away, branch_id=branch_b.id, workplace="县医院"
    )
    assert (registered.branch, registered.unit_code) == ("二社区党支部", town.grid_b1)
    with pytest.raises(commgov.ValidationError) as caught:  # b's resident cannot report to a
        cg.organisations.register_party_member(
            club.admin, resident_id=away, branch_id=branch_a.id, workplace="县医院"
        )
    assert caught.value.field == "branch_id"
    with pytest.raises(commgov.ValidationError):  # a team is not a party organisation
        cg.organisations.register_party_member(
            club.admin, resident_id=away, branch_id=club.team.id, workplace="县医院"
        )
    assert {m.role for m in cg.organisations.members(club.admin, branch_b.id)} == {"party_member"}
    # both serve at the team's activity held in community a
    activity = club.activity()
    for actor in (club.actors[2], club.actors[3]):
        cg.activities.sign_up(actor, activity.id)
    club.clock.now = END
    cg.activities.take_attendance(club.leader, activity.id, present=[at_home, away])
    day = START.date()
    frame = cg.organisations.party_service(
        club.admin, unit=town.town, start=day, end=day + dt.timedelta(days=1)
    ).set_index("resident_id")
    hours = (END - START) / dt.timedelta(hours=1)
    assert frame.loc[at_home, ["activities", "at_home", "elsewhere"]].tolist() == [1, 1, 0]
    assert frame.loc[away, ["activities", "at_home", "elsewhere"]].tolist() == [1, 0, 1]
    assert frame.loc[away, "hours"] == pytest.approx(hours)
    assert frame.loc[away, "served_units"] == town.community_a
    assert frame.loc[at_home, "workplace_branch"] == "教育局机关党支部"
    listed = cg.organisations.party_members(club.admin, unit=town.community_b)
    assert [r.resident_id for r in listed] == [away]


class PartyOfficeKinds:
    commgov_plugin_name = "party_office_kinds"

    @commgov.hookimpl
    def commgov_organisation_kinds(self) -> list[commgov.OrganisationKind]:
        return [
            commgov.OrganisationKind(
                "general_branch", "党总支", "general party branch", party=True
            ),
            commgov.OrganisationKind("grassroots", "群众团队", "residents' group"),
        ]


def test_hook_commgov_organisation_kinds() -> None:
    from tests.conftest import build_town

    with commgov.open(
        "sqlite:///:memory:",
        plugins=[PartyOfficeKinds()],
        discover_plugins=False,
        clock=lambda: NOW,
    ) as cg:
        town = build_town(cg)
        kinds = cg.organisations.kinds()
        assert kinds["grassroots"].label == "群众团队"  # a plugin relabels a core kind
        assert kinds["general_branch"].party and "party_branch" in kinds
        made = cg.organisations.register(
            town.admin, unit=town.community_a, name="一社区党总支", kind="general_branch"
        )
        assert (made.party, made.kind_label) == (True, "党总支")


def test_an_organisation_kind_answer_of_the_wrong_type_is_a_plugin_error() -> None:
    class Wrong:
        commgov_plugin_name = "wrong_kinds"

        @commgov.hookimpl
        def commgov_organisation_kinds(self) -> list[str]:
            return ["choir"]

    with (
        commgov.open("sqlite:///:memory:", plugins=[Wrong()], discover_plugins=False) as cg,
        pytest.raises(commgov.PluginError, match="commgov_organisation_kinds"),
    ):
        cg.organisations.kinds()
