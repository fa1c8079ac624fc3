"""People change: residents move out, die, move house or are merged when entered twice; staff
leave or are reassigned. Each event is dated and audited, history is kept, counts follow the
people living there at the time asked, and nothing half-done is left on a refusal."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from tests.conftest import SECRET, make_identity, row_counts

import commgov
from commgov.kernel.tables import audit_log

START = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


class Clock:
    """A clock the test moves forward."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, days: int) -> dt.datetime:
        self.now += days * DAY
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["sqlite", "postgresql"])
def cg(request: pytest.FixtureRequest, tmp_path: object, clock: Clock) -> Iterator[commgov.Commgov]:
    if request.param == "sqlite":
        url = f"sqlite:///{request.getfixturevalue('tmp_path') / 'store.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    with commgov.open(url, secret_key=SECRET, discover_plugins=False, clock=clock) as store:
        yield store


ADMIN = commgov.Actor.system("clerk")


def person(name: str, **extra: object) -> dict[str, object]:
    """A resident's fields: without an identity number, a birth date and sex are needed."""
    return {"name": name, "birth_date": "1980-01-01", "sex": "F", **extra}


def town(cg: commgov.Commgov) -> commgov.testing.BuiltTown:
    return commgov.testing.build_town(cg, code="411425100", grids_per_community=2)


def audit_actions(cg: commgov.Commgov) -> list[str]:
    with cg.context.uow(readonly=True) as uow:
        query = select(audit_log.c.action).order_by(audit_log.c.id)
        return [str(a) for a in uow.conn.execute(query).scalars()]


def test_a_resident_who_dies_is_counted_until_that_day_and_kept_in_the_file(
    cg: commgov.Commgov, clock: Clock
) -> None:
    built = town(cg)
    grid = built.grids[0]
    home = built.household(
        grid,
        {"name": "张秀英", "identity_number": make_identity("19450302", 2)},
        {"name": "李建国", "identity_number": make_identity("19440101", 1)},
    )
    elder, husband = home.member_ids
    clock.advance(30)
    died = clock.now - 2 * DAY
    event = cg.residents.leave(ADMIN, husband, reason="died", at=died)
    assert (event.kind, event.person_id, event.at, event.reason) == (
        "resident_left", husband, died, "died"
    )  # fmt: skip

    assert cg.grids.counts(ADMIN, grid)["residents"] == 1
    assert cg.grids.counts(ADMIN, grid, at=died - dt.timedelta(seconds=1))["residents"] == 2
    assert cg.residents.count_under(ADMIN, built.town, at=died) == 1
    assert cg.residents.household(ADMIN, home.id).member_ids == (elder,)
    assert [r.id for r in cg.residents.under(ADMIN, grid)] == [elder]

    gone = cg.residents.get(ADMIN, husband)
    assert (gone.active, gone.left_at, gone.left_reason) == (False, died, "died")
    file = cg.residents.household_history(ADMIN, home.id)
    assert [(r.resident_id, r.from_at, r.until_at, r.end_reason) for r in file] == [
        (elder, START, None, None),
        (husband, START, died, "died"),
    ]
    assert audit_actions(cg)[-1] == "resident.leave"


def test_a_move_out_in_the_future_or_before_moving_in_is_refused_and_changes_nothing(
    cg: commgov.Commgov, clock: Clock
) -> None:
    built = town(cg)
    (rid,) = built.household(built.grids[0], person("王五")).member_ids
    clock.advance(10)
    cg.residents.move(ADMIN, rid, household_id=built.household(built.grids[1]).id)
    moved_in = clock.now
    clock.advance(10)
    before = row_counts(cg)
    with pytest.raises(commgov.ValidationError) as future:
        cg.residents.leave(ADMIN, rid, reason="moved_out", at=clock.now + 3 * DAY)
    assert future.value.field == "at" and "future" in str(future.value)
    with pytest.raises(commgov.ValidationError) as early:
        cg.residents.leave(ADMIN, rid, reason="moved_out", at=moved_in - DAY)
    assert early.value.field == "at" and "before" in str(early.value)
    with pytest.raises(commgov.ValidationError) as why:
        cg.residents.leave(ADMIN, rid, reason="vanished", at=None)  # type: ignore[arg-type]
    assert (why.value.field, why.value.value) == ("reason", "vanished")
    assert row_counts(cg) == before
    assert cg.residents.get(ADMIN, rid).active


def test_a_death_registered_late_for_a_resident_entered_today_counts_them_nowhere(
    cg: commgov.Commgov, clock: Clock
) -> None:
    built = town(cg)
    clock.advance(30)
    (rid,) = built.household(built.grids[0], person("王五")).member_ids
    died = clock.now - 7 * DAY  # before the record was entered: the files knew nothing then
    cg.residents.leave(ADMIN, rid, reason="died", at=died)
    for moment in (died - DAY, died, clock.now - DAY, clock.now):
        assert cg.grids.counts(ADMIN, built.town, at=moment)["residents"] == 0
    (stay,) = cg.residents.history(ADMIN, rid)
    assert (stay.from_at, stay.until_at, stay.end_reason) == (died, died, "died")


def test_a_resident_who_left_cannot_leave_again_or_be_changed(cg: commgov.Commgov) -> None:
    built = town(cg)
    (rid,) = built.household(built.grids[0], person("王五")).member_ids
    cg.residents.leave(ADMIN, rid, reason="moved_out")
    with pytest.raises(commgov.StateError, match="left the files"):
        cg.residents.leave(ADMIN, rid, reason="died")
    with pytest.raises(commgov.StateError):
        cg.residents.update_resident(ADMIN, rid, name="王六")
    with pytest.raises(commgov.StateError):
        cg.residents.move(ADMIN, rid, household_id=built.household(built.grids[1]).id)


def test_moving_house_to_another_grid_keeps_both_files_and_counts_by_date(
    cg: commgov.Commgov, clock: Clock
) -> None:
    built = town(cg)
    old_grid, new_grid = built.grids[0], built.grids[2]
    old = built.household(old_grid, person("赵六"), person("赵小"))
    new = built.household(new_grid)
    mover = old.member_ids[1]
    clock.advance(10)
    moved = clock.now - DAY
    event = cg.residents.move(ADMIN, mover, household_id=new.id, at=moved)
    assert event.kind == "resident_moved"

    assert cg.residents.get(ADMIN, mover).unit_code == new_grid
    assert cg.grids.counts(ADMIN, old_grid)["residents"] == 1
    assert cg.grids.counts(ADMIN, new_grid)["residents"] == 1
    before = moved - dt.timedelta(hours=1)
    assert cg.grids.counts(ADMIN, old_grid, at=before)["residents"] == 2
    assert cg.grids.counts(ADMIN, new_grid, at=before)["residents"] == 0
    assert cg.grids.counts(ADMIN, built.town, at=before)["residents"] == 2  # not counted twice
    assert cg.grids.counts(ADMIN, built.town, at=moved)["residents"] == 2

    stays = cg.residents.history(ADMIN, mover)
    assert [(s.household_id, s.unit_code, s.until_at, s.end_reason) for s in stays] == [
        (old.id, old_grid, moved, "moved"),
        (new.id, new_grid, None, None),
    ]
    old_file = cg.residents.household_history(ADMIN, old.id)
    assert {(s.resident_id, s.until_at) for s in old_file} == {
        (old.member_ids[0], None),
        (mover, moved),
    }
    assert [s.resident_id for s in cg.residents.household_history(ADMIN, new.id)] == [mover]


def test_a_resident_entered_twice_is_merged_into_the_kept_record(cg: commgov.Commgov) -> None:
    built = town(cg)
    number = make_identity("19600101", 3)
    kept_home = built.household(built.grids[0], person("孙七", care_groups="living_alone"))
    dup_home = built.household(
        built.grids[1],
        {"name": "孙七", "identity_number": number, "phone": "13800138000", "skills": "电工"},
    )
    kept, dup = kept_home.member_ids[0], dup_home.member_ids[0]
    event = cg.residents.merge(ADMIN, dup, into=kept)
    assert (event.kind, event.person_id, event.successor_id) == ("resident_merged", dup, kept)

    view = cg.residents.get(ADMIN, kept)
    assert (view.identity_number, view.phone) == (number, "13800138000")
    assert view.care_groups == ("living_alone",) and "电工" in view.skills
    found = cg.residents.find_by_identity(ADMIN, number)
    assert found is not None and found.id == kept
    gone = cg.residents.get(ADMIN, dup)
    assert (gone.left_reason, gone.merged_into) == ("merged", kept)
    assert cg.grids.counts(ADMIN, built.town)["residents"] == 1
    assert audit_actions(cg)[-1] == "resident.merge"


def test_merges_that_make_no_sense_are_refused(cg: commgov.Commgov) -> None:
    built = town(cg)
    a, b = built.household(built.grids[0], person("甲"), person("乙")).member_ids
    with pytest.raises(commgov.ValidationError) as same:
        cg.residents.merge(ADMIN, a, into=a)
    assert same.value.field == "into"
    cg.residents.leave(ADMIN, b, reason="moved_out")
    before = row_counts(cg)
    with pytest.raises(commgov.StateError, match="into="):
        cg.residents.merge(ADMIN, a, into=b)
    with pytest.raises(commgov.NotFoundError):
        cg.residents.merge(ADMIN, a, into=999_999)
    assert row_counts(cg) == before


def test_a_grid_worker_may_not_move_out_a_resident_of_another_grid(cg: commgov.Commgov) -> None:
    built = town(cg)
    (rid,) = built.household(built.grids[1], person("钱八")).member_ids
    worker = built.add_staff("grid_worker", built.grids[0])
    with pytest.raises(commgov.PermissionDenied):
        cg.residents.leave(worker, rid, reason="moved_out")
    assert cg.residents.get(ADMIN, rid).active


def test_names_of_care_group_members_in_a_household_file_are_masked(cg: commgov.Commgov) -> None:
    built = town(cg)
    home = built.household(built.grids[0], person("周九", care_groups="living_alone"))
    cg.staff.add_department(ADMIN, code="police", name="派出所", kind="police", unit=built.town)
    police = built.add_staff("department_staff", built.town, department="police")
    other_grid = built.add_staff("grid_worker", built.grids[1])
    with pytest.raises(commgov.PermissionDenied):
        cg.residents.household_history(other_grid, home.id)
    assert [s.name for s in cg.residents.household_history(police, home.id)] == ["周*"]
    own_grid = built.add_staff("grid_worker", built.grids[0])
    assert [s.name for s in cg.residents.household_history(own_grid, home.id)] == ["周九"]


# -- staff -----------------------------------------------------------------------------------


def test_a_staff_member_who_leaves_acts_no_more_and_keeps_their_postings(
    cg: commgov.Commgov, clock: Clock
) -> None:
    built = town(cg)
    worker = cg.staff.add(ADMIN, name="李网格", role="grid_worker", units=[built.grids[0]])
    clock.advance(100)
    event = cg.staff.deactivate(ADMIN, worker.id, reason="调离 transferred")
    assert (event.kind, event.at) == ("staff_left", clock.now)

    view = cg.staff.get(ADMIN, worker.id)
    assert (view.active, view.left_at, view.unit_codes) == (False, clock.now, ())
    assert [(p.unit_code, p.from_at, p.until_at) for p in cg.staff.postings(ADMIN, worker.id)] == [
        (built.grids[0], START, clock.now)
    ]
    assert cg.staff.workers(ADMIN, built.grids[0]) == []
    with pytest.raises(commgov.StateError, match="left"):
        cg.staff.actor(worker.id)
    with pytest.raises(commgov.StateError):
        cg.staff.deactivate(ADMIN, worker.id, reason="again")
    assert audit_actions(cg)[-1] == "staff.deactivate"


def test_a_successor_must_be_another_active_staff_member(cg: commgov.Commgov) -> None:
    built = town(cg)
    a = cg.staff.add(ADMIN, name="甲", role="grid_worker", units=[built.grids[0]])
    b = cg.staff.add(ADMIN, name="乙", role="grid_worker", units=[built.grids[0]])
    cg.staff.deactivate(ADMIN, b.id, reason="退休 retired")
    before = row_counts(cg)
    for bad in (a.id, b.id, 999_999):
        with pytest.raises(commgov.ValidationError) as refused:
            cg.staff.deactivate(ADMIN, a.id, reason="调离", hand_over_to=bad)
        assert (refused.value.field, refused.value.value) == ("hand_over_to", bad)
    with pytest.raises(commgov.ValidationError) as no_reason:
        cg.staff.deactivate(ADMIN, a.id, reason="  ")
    assert no_reason.value.field == "reason"
    assert row_counts(cg) == before
    assert cg.staff.get(ADMIN, a.id).active


def test_a_reassigned_worker_answers_for_the_new_grid_from_that_day(
    cg: commgov.Commgov, clock: Clock
) -> None:
    built = town(cg)
    worker = cg.staff.add(ADMIN, name="王网格", role="grid_worker", units=[built.grids[0]])
    clock.advance(40)
    event = cg.staff.reassign(ADMIN, worker.id, units=[built.grids[1]])
    assert (event.kind, event.reason) == ("staff_moved", "reassigned")
    assert cg.staff.get(ADMIN, worker.id).unit_codes == (built.grids[1],)
    assert [(p.unit_code, p.until_at) for p in cg.staff.postings(ADMIN, worker.id)] == [
        (built.grids[0], clock.now),
        (built.grids[1], None),
    ]
    assert cg.staff.actor(worker.id).units == frozenset(
        {cg.grids.get(built.grids[1]).id}
    )  # fmt: skip
    with pytest.raises(commgov.ValidationError) as same:
        cg.staff.reassign(ADMIN, worker.id, units=[built.grids[1]])
    assert same.value.field == "units"


# -- counts at a time: a property ------------------------------------------------------------

EVENTS = st.lists(
    st.tuples(st.integers(0, 5), st.sampled_from(["leave", "move"]), st.integers(1, 20)),
    max_size=12,
)


class SharedStore:
    """One store for every example of the property, a new town in it for each example."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.cg = commgov.open("sqlite:///:memory:", discover_plugins=False, clock=self.clock)
        self.towns = 0

    def town(self) -> commgov.testing.BuiltTown:
        self.towns += 1
        return commgov.testing.build_town(
            self.cg, code=f"411425{self.towns:03d}", grids_per_community=1
        )


@pytest.fixture(scope="module")
def shared() -> Iterator[SharedStore]:
    store = SharedStore()
    yield store
    store.cg.close()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=EVENTS)
def test_counts_at_any_moment_follow_who_lived_where(
    shared: SharedStore, events: list[tuple[int, str, int]]
) -> None:
    cg, clock = shared.cg, shared.clock
    start = clock.advance(1)
    built = shared.town()
    grids = built.grids
    homes = [built.household(grids[i % 2], *(person(f"居民{i}{j}") for j in range(3)))
             for i in range(2)]  # fmt: skip
    where = {rid: [(start, grids[i % 2])] for i, h in enumerate(homes) for rid in h.member_ids}
    gone: dict[int, dt.datetime] = {}
    ids = sorted(where)
    for pick, kind, days in events:
        rid = ids[pick]
        clock.advance(days)
        if rid in gone:
            continue
        if kind == "leave":
            cg.residents.leave(ADMIN, rid, reason="moved_out")
            gone[rid] = clock.now
        else:
            target = 1 - grids.index(where[rid][-1][1])
            cg.residents.move(ADMIN, rid, household_id=homes[target].id)
            where[rid].append((clock.now, grids[target]))

    def expected(grid: str, at: dt.datetime) -> int:
        n = 0
        for rid, stays in where.items():
            if rid in gone and gone[rid] <= at:
                continue
            current = [g for since, g in stays if since <= at]
            n += bool(current) and current[-1] == grid
        return n

    moments = sorted({start, clock.now, *(s for v in where.values() for s, _ in v),
                      *gone.values()})  # fmt: skip
    for at in moments:
        for probe in (at - dt.timedelta(seconds=1), at):
            for grid in grids:
                counted = cg.grids.counts(ADMIN, grid, at=probe)["residents"]
                assert counted == expected(grid, probe), (grid, probe)


# -- at once, on PostgreSQL ------------------------------------------------------------------


@pytest.mark.postgres
def test_two_clerks_merging_and_moving_out_at_once_leave_one_consistent_story(
    pg_url: str,
) -> None:
    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False) as cg:
        built = town(cg)
        pairs = [built.household(built.grids[0], person(f"甲{i}"), person(f"乙{i}")).member_ids
                 for i in range(12)]  # fmt: skip
        barrier = threading.Barrier(2)
        outcomes: list[str] = []
        lock = threading.Lock()

        def merge(dup: int, kept: int) -> None:
            barrier.wait()
            try:
                cg.residents.merge(ADMIN, dup, into=kept)
                result = "merged"
            except commgov.StateError:
                result = "refused"
            with lock:
                outcomes.append(result)

        def leave(rid: int) -> None:
            barrier.wait()
            try:
                cg.residents.leave(ADMIN, rid, reason="moved_out")
                result = "left"
            except commgov.StateError:
                result = "refused"
            with lock:
                outcomes.append(result)

        for dup, kept in pairs:
            threads = [threading.Thread(target=merge, args=(dup, kept)),
                       threading.Thread(target=leave, args=(kept,))]  # fmt: skip
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert outcomes.count("left") == len(pairs)
        assert outcomes.count("merged") + outcomes.count("refused") == len(pairs)
        for dup, kept in pairs:
            d, k = cg.residents.get(ADMIN, dup), cg.residents.get(ADMIN, kept)
            assert k.left_reason == "moved_out"
            if d.left_reason == "merged":  # the merge came first: the kept record left later
                assert d.merged_into == kept and k.left_at is not None and d.left_at is not None
                assert k.left_at >= d.left_at
            else:  # the move-out came first: the merge was refused and changed nothing
                assert d.active and d.merged_into is None
