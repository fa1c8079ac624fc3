"""Wishes through ``cg.wishes``: posting with its author and unit, what each reader sees,
triage and the timetable, matching, fulfilment and its payments, adoption, expiry, statistics."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import NOW

import commgov
from commgov.kernel.repository import AuditRepository

from .helpers import SOON, TODAY, WishTown


def test_a_want_is_posted_in_the_authors_grid_and_read_masked_by_others(wt: WishTown) -> None:
    want = wt.want(wanted_by=SOON, address="3栋502", photos=["oss://p/1.jpg"])
    assert (want.kind, want.state, want.unit_code, want.author) == (
        "want", "open", wt.town.grid_a1, "李秀英",
    )  # fmt: skip
    assert (want.quantity, want.committed, want.spare, want.tier) == (1, 0, 1, None)
    assert want.category_label.startswith("居家维修") and want.kind_label.startswith("我想要")
    seen_by_neighbour = wt.wishes.get(wt.actor("zhang"), want.id)
    assert (seen_by_neighbour.author, seen_by_neighbour.masked) == ("李**", True)
    assert seen_by_neighbour.address is None and seen_by_neighbour.photos == ("oss://p/1.jpg",)
    assert wt.wishes.get(wt.worker, want.id).author == "李秀英"
    assert wt.wishes.get(wt.worker, want.id).address == "3栋502"
    assert wt.wishes.get(wt.department, want.id).author == "李**"  # departments read only
    with pytest.raises(commgov.PermissionDenied):
        wt.wishes.get(wt.actor("zhao"), want.id)  # lives in another community
    with cg_audit(wt) as audit:
        assert [a.action for a in audit.of("wish", want.id)] == ["wish.post"]


class cg_audit:  # noqa: N801 - a small context manager for reading the audit log
    def __init__(self, wt: WishTown) -> None:
        self._uow = wt.cg.context.uow(readonly=True)

    def __enter__(self) -> AuditRepository:
        return self._uow.__enter__().repo(AuditRepository)

    def __exit__(self, *exc: object) -> None:
        self._uow.__exit__(None, None, None)


def test_who_may_post_what(wt: WishTown) -> None:
    with pytest.raises(commgov.PermissionDenied):  # another household's resident
        wt.wishes.post(
            wt.actor("li"), kind="want", category="elder", text="x", resident_id=wt.rid("zhang")
        )
    with pytest.raises(commgov.ValidationError, match="does not live there"):
        wt.want(unit=wt.town.grid_a2)
    community_wide = wt.want(unit=wt.town.community_a)  # a grid's resident posts for the community
    assert community_wide.unit_code == wt.town.community_a
    partner = wt.wishes.post(
        wt.staff_a, kind="offer", category="hardship.goods", text="爱心礼包",
        unit=wt.town.community_a, author_kind="partner", author_name="惠民超市",
        author_ref="P-001", quantity=20,
    )  # fmt: skip
    assert (partner.author_kind, partner.author, partner.quantity) == ("partner", "惠民超市", 20)
    with pytest.raises(commgov.PermissionDenied):  # a resident posts for no organisation
        wt.wishes.post(
            wt.actor("li"), kind="offer", category="elder", text="x", unit=wt.town.grid_a1,
            author_kind="organisation", author_name="合唱团",
        )  # fmt: skip
    staff_offer = wt.wishes.post(
        wt.worker, kind="offer", category="study", text="周末辅导", unit=wt.town.grid_a1
    )
    assert (staff_offer.author_kind, staff_offer.author_id) == ("staff", wt.worker.staff_id)
    with pytest.raises(commgov.PermissionDenied):
        wt.wishes.post(
            wt.department, kind="offer", category="study", text="x", unit=wt.town.grid_a1
        )


def test_triage_and_the_timetable(wt: WishTown) -> None:
    urgent = wt.want(wanted_by=SOON)
    later = wt.want("wang", category="study.tutoring", text="孩子需要辅导")
    idea = wt.wishes.post(
        wt.worker,
        kind="suggestion",
        category="facilities.lighting",
        text="路灯太暗",
        unit=wt.town.grid_a1,
    )
    untriaged = wt.want(text="还没分级")
    assert wt.wishes.triage(wt.worker, urgent.id).tier == "now"
    assert wt.wishes.triage(
        wt.staff_a, later.id, tier="future", target=dt.date(2026, 1, 1)
    ).target == dt.date(2026, 1, 1)
    assert wt.wishes.triage(wt.worker, idea.id).tier == "future"
    with pytest.raises(commgov.PermissionDenied):
        wt.wishes.triage(wt.worker, later.id)  # grid A2 is beyond the worker's reach
    with pytest.raises(commgov.PermissionDenied):
        wt.wishes.triage(wt.actor("li"), urgent.id)
    rows = wt.wishes.timetable(wt.actor("zhang"), wt.town.community_a)
    assert [r.wish_id for r in rows] == [urgent.id, later.id, idea.id]  # by target date
    assert untriaged.id not in {r.wish_id for r in rows}
    first = rows[0]
    assert (first.tier, first.tier_label, first.target, first.author) == (
        "now", "立即实现 can be met now", SOON, "李**",
    )  # fmt: skip
    assert (first.progress, first.overdue) == (0.0, False)
    with pytest.raises(commgov.PermissionDenied):
        wt.wishes.timetable(wt.actor("zhao"), wt.town.community_a)
    assert len(wt.wishes.timetable(wt.department, wt.town.town)) == 3
    assert wt.wishes.triage_all(wt.staff_a, wt.town.community_a) == 1


def test_one_offer_over_many_wants_never_beyond_its_capacity(wt: WishTown) -> None:
    packs = wt.wishes.post(
        wt.staff_a, kind="offer", category="hardship.goods", text="20份爱心礼包",
        unit=wt.town.community_a, author_kind="partner", author_name="惠民超市", quantity=3,
    )  # fmt: skip
    wants = [
        wt.want(name, category="hardship.goods", text="需要生活物资")
        for name in ("li", "zhang", "wang")
    ]
    extra = wt.want("li", category="hardship.goods", text="再要一份")
    for want in wants[:2]:
        wt.wishes.propose(wt.staff_a, want.id, packs.id)
    big = wt.want("wang", category="hardship.goods", text="两份", quantity=2)
    with pytest.raises(commgov.ValidationError, match="has 1 of 3 left") as caught:
        wt.wishes.propose(wt.staff_a, big.id, packs.id, quantity=2)
    assert caught.value.field == "quantity"
    wt.wishes.propose(wt.staff_a, wants[2].id, packs.id)
    assert wt.wishes.get(wt.staff_a, packs.id).spare == 0
    assert wt.wishes.candidates(wt.staff_a, extra.id) == []  # nothing left to give
    with pytest.raises(commgov.ValidationError, match="has 0 of 3 left"):
        wt.wishes.propose(wt.staff_a, extra.id, packs.id)
    declined = wt.wishes.matches(wt.staff_a, wants[0].id)[0]
    wt.wishes.decline_match(wt.actor("li"), declined.id, reason="已经有人送了")
    assert wt.wishes.get(wt.staff_a, packs.id).spare == 1  # given back
    assert wt.wishes.propose(wt.staff_a, extra.id, packs.id).state == "proposed"


def test_several_offers_meet_one_want(wt: WishTown) -> None:
    want = wt.want(category="culture.activity", text="广场舞需要三位老师", quantity=3)
    offers = [
        wt.offer(name, category="culture.activity", text="我会跳舞", quantity=2)
        for name in ("zhang", "wang")
    ]
    staff_offer = wt.wishes.post(
        wt.worker, kind="offer", category="culture", text="我也来", unit=wt.town.grid_a1
    )
    ranked = wt.wishes.candidates(wt.actor("li"), want.id)
    assert [c.offer.id for c in ranked] == [offers[0].id, offers[1].id, staff_offer.id]
    assert ranked[0].reasons[:2] == ("same item", "same unit")
    assert ranked[1].reasons[:2] == ("same item", "neighbouring unit")
    matches = [wt.wishes.propose(wt.worker, want.id, o.id) for o in (*offers, staff_offer)]
    for match in matches:
        assert wt.wishes.accept_match(wt.actor("li"), match.id).state == "accepted"
    got = wt.wishes.get(wt.worker, want.id)
    assert (got.state, got.committed, got.spare) == ("matched", 3, 0)
    result = wt.wishes.fulfil(
        wt.actor("li"), want.id, rating=5, evidence=["oss://done.jpg"], note="跳得很好"
    )
    assert result.wish.state == "fulfilled" and result.wish.rating == 5
    assert {(p.resident_id, p.activity, p.points) for p in result.payments} == {
        (wt.rid("zhang"), "neighbour_help", 5),
        (wt.rid("wang"), "neighbour_help", 5),
    }  # the staff member earns nothing
    assert (wt.points("zhang"), wt.points("wang"), wt.points("li")) == (5, 5, 0)
    assert [m.state for m in wt.wishes.matches(wt.worker, want.id)] == ["fulfilled"] * 3
    with pytest.raises(commgov.StateError, match="fulfilled"):
        wt.wishes.fulfil(wt.worker, want.id, rating=4)
    assert wt.points("zhang") == 5  # fulfilling twice pays once
    # the helpers' ratings now count for them
    again = wt.want("wang", category="culture", text="再来一次")
    later = {c.offer.id: c for c in wt.wishes.candidates(wt.staff_a, again.id)}
    assert "rated 5.0 (1)" in later[offers[0].id].reasons


def test_matching_refuses_what_makes_no_sense(wt: WishTown) -> None:
    want = wt.want()
    other = wt.want("zhang")
    offer = wt.offer()
    with pytest.raises(commgov.ValidationError, match="matched to itself") as caught:
        wt.wishes.propose(wt.worker, want.id, want.id)
    assert (caught.value.field, caught.value.value) == ("offer_id", want.id)
    with pytest.raises(commgov.ValidationError, match="not an offer"):
        wt.wishes.propose(wt.worker, want.id, other.id)
    with pytest.raises(commgov.ValidationError, match="not a want"):
        wt.wishes.propose(wt.worker, offer.id, want.id)
    match = wt.wishes.propose(wt.actor("zhang"), want.id, offer.id)  # the offer's author
    with pytest.raises(commgov.ConflictError):
        wt.wishes.propose(wt.worker, want.id, offer.id)
    with pytest.raises(commgov.PermissionDenied):
        wt.wishes.accept_match(wt.actor("zhang"), match.id)  # not the want's household
    with pytest.raises(commgov.PermissionDenied):
        wt.wishes.propose(wt.actor("wang"), other.id, offer.id)  # not wang's offer


def test_withdrawing_an_offer_gives_its_wants_back(wt: WishTown) -> None:
    want = wt.want()
    offer = wt.offer()
    match = wt.wishes.propose(wt.worker, want.id, offer.id)
    wt.wishes.accept_match(wt.actor("li"), match.id)
    assert wt.wishes.get(wt.worker, want.id).state == "matched"
    gone = wt.wishes.withdraw(wt.actor("zhang"), offer.id, reason="临时出差")
    assert (gone.state, gone.closed_reason, gone.committed) == ("withdrawn", "临时出差", 0)
    back = wt.wishes.get(wt.worker, want.id)
    assert (back.state, back.committed) == ("open", 0)
    assert wt.wishes.matches(wt.worker, want.id)[0].state == "cancelled"
    with pytest.raises(commgov.PermissionDenied):
        wt.wishes.withdraw(wt.actor("zhang"), want.id, reason="x")
    with pytest.raises(commgov.StateError):
        wt.wishes.withdraw(wt.actor("zhang"), offer.id, reason="again")


def test_wants_past_their_date_expire_and_cannot_be_fulfilled(wt: WishTown) -> None:
    due = wt.want(wanted_by=TODAY)
    accepted = wt.want("zhang", wanted_by=TODAY)
    undated = wt.want("wang")
    offer = wt.offer("wang", quantity=2)
    proposed = wt.wishes.propose(wt.worker, due.id, offer.id)
    wt.wishes.accept_match(
        wt.actor("zhang"), wt.wishes.propose(wt.worker, accepted.id, offer.id).id
    )
    tomorrow = NOW + dt.timedelta(days=1)
    assert wt.wishes.expire_due(wt.staff_a, wt.town.community_a, now=NOW) == []  # due today
    assert wt.wishes.expire_due(wt.staff_a, wt.town.community_a, now=tomorrow) == [due.id]
    assert wt.wishes.expire_due(wt.staff_a, wt.town.community_a, now=tomorrow) == []
    expired = wt.wishes.get(wt.worker, due.id)
    assert expired.state == "expired" and "2025-06-30" in (expired.closed_reason or "")
    assert wt.wishes.matches(wt.worker, due.id)[0].state == "cancelled"
    assert proposed.id and wt.wishes.get(wt.staff_a, offer.id).committed == 1
    assert wt.wishes.get(wt.worker, accepted.id).state == "matched"  # someone is on it
    assert wt.wishes.get(wt.staff_a, undated.id).state == "open"
    with pytest.raises(commgov.StateError, match=f"wish_id={due.id}: the want is expired"):
        wt.wishes.fulfil(wt.worker, due.id, rating=5)


def test_a_suggestion_becomes_a_case_or_goes_to_a_council(wt: WishTown) -> None:
    idea = wt.wishes.post(wt.actor("li"), kind="suggestion", category="facilities.seating",
                          text="小区增加休闲座椅", resident_id=wt.rid("li"))  # fmt: skip
    other = wt.wishes.post(wt.actor("zhang"), kind="suggestion", category="culture.activity",
                           text="办一次邻里节", resident_id=wt.rid("zhang"))  # fmt: skip
    adopted = wt.wishes.to_case(wt.worker, idea.id)
    assert (adopted.wish.state, adopted.wish.referred_to) == ("adopted", "case")
    case = wt.cg.cases.get(wt.worker, adopted.wish.case_id or 0)
    assert (case.channel, case.text, case.number) == (
        "micro_wish",
        "小区增加休闲座椅",
        adopted.wish.reference,
    )
    assert [(p.activity, p.points) for p in adopted.payments] == [("suggestion_accepted", 20)]
    assert wt.points("li") == 20
    referred = wt.wishes.refer(wt.staff_a, other.id, to="topic", reference="议题-2025-07")
    assert (referred.wish.referred_to, referred.wish.reference) == ("topic", "议题-2025-07")
    with pytest.raises(commgov.StateError):
        wt.wishes.refer(wt.staff_a, other.id, to="project", reference="x")
    with pytest.raises(commgov.ValidationError, match="only a suggestion"):
        wt.wishes.to_case(wt.worker, wt.want().id)
    with pytest.raises(commgov.ValidationError) as caught:
        wt.wishes.refer(wt.staff_a, other.id, to="mayor", reference="x")  # type: ignore[arg-type]
    assert caught.value.field == "to"


def test_statistics_count_by_kind_tier_category_and_state(wt: WishTown) -> None:
    done = wt.want(wanted_by=SOON)
    wt.want("wang", category="study.tutoring")
    wt.want("zhao", category="study.tutoring")
    offer = wt.offer()
    wt.wishes.triage(wt.worker, done.id)
    wt.wishes.accept_match(wt.actor("li"), wt.wishes.propose(wt.worker, done.id, offer.id).id)
    wt.wishes.fulfil(wt.actor("li"), done.id, rating=4)
    rows = wt.wishes.statistics(wt.admin, wt.town.town, start=TODAY, end=TODAY)
    town, a, b = rows
    assert (town.unit_code, a.unit_code, b.unit_code) == (
        wt.town.town,
        wt.town.community_a,
        wt.town.community_b,
    )
    assert (town.wishes, town.wants, town.offers, town.suggestions) == (4, 3, 1, 0)
    assert town.by_category == {"elder": 2, "study": 2}
    assert town.by_state == {"fulfilled": 1, "open": 3}
    assert town.by_tier == {"now": 1, "untriaged": 3}
    assert (town.fulfilled, town.fulfilment_rate, town.median_days_to_fulfil) == (1, 1 / 3, 0.0)
    assert (a.wants, b.wants, b.fulfilment_rate) == (2, 1, 0.0)
    assert wt.wishes.statistics(wt.admin, wt.town.town, start=TODAY + dt.timedelta(days=1),
                                end=TODAY + dt.timedelta(days=2))[0].wishes == 0  # fmt: skip
    frame = wt.wishes.statistics_frame(wt.admin, wt.town.town, start=TODAY, end=TODAY)
    assert list(frame["unit_code"]) == [wt.town.town, wt.town.community_a, wt.town.community_b]
    assert list(frame["category_study"]) == [2, 1, 1] and list(frame["state_fulfilled"]) == [
        1,
        1,
        0,
    ]
    with pytest.raises(commgov.ValidationError) as caught:
        wt.wishes.statistics(wt.admin, wt.town.town, start=TODAY, end=TODAY - dt.timedelta(days=1))
    assert caught.value.field == "end"
    with pytest.raises(commgov.PermissionDenied):
        wt.wishes.statistics(wt.actor("zhao"), wt.town.community_a, start=TODAY, end=TODAY)


def test_the_whole_loop_on_both_back_ends(any_wt: WishTown) -> None:
    wt = any_wt
    want = wt.want(wanted_by=SOON, lat=34.40, lon=115.90)
    offer = wt.offer(quantity=2, lat=34.401, lon=115.90)
    wt.wishes.triage(wt.worker, want.id)
    (candidate,) = wt.wishes.candidates(wt.worker, want.id)
    assert (candidate.offer.id, candidate.offer.lat) == (offer.id, 34.401)
    assert "0.1 km away" in candidate.reasons or "same unit" in candidate.reasons
    match = wt.wishes.propose(wt.worker, want.id, offer.id)
    wt.wishes.accept_match(wt.actor("li"), match.id)
    result = wt.wishes.fulfil(wt.actor("li"), want.id, rating=5)
    assert [p.points for p in result.payments] == [5] and wt.points("zhang") == 5
    assert wt.wishes.get(wt.worker, offer.id).spare == 1
    (row,) = wt.wishes.timetable(wt.actor("li"), wt.town.grid_a1)
    assert (row.state, row.progress) == ("fulfilled", 1.0)
