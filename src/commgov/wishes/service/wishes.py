"""``cg.wishes``: micro-wishes (微心愿) — post, triage, match, fulfil, adopt, expire, count
(see ``docs/wishes.md``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import attrs

from commgov.errors import ValidationError
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import as_utc
from commgov.kernel.values import row_id
from commgov.ledger.service.ledger import LedgerService
from commgov.ledger.service.points import PointsService
from commgov.wishes.model import checks
from commgov.wishes.model.rules import TIER_LABELS, AuthorKind, Tier, WishKind
from commgov.wishes.model.vocab import STATE_LABELS, WISH_MANAGE, WISH_READ, ReferTo
from commgov.wishes.service import closing, events, matching, posting, statistics
from commgov.wishes.service.desk import WishDesk, wish_categories
from commgov.wishes.service.posting import Posting
from commgov.wishes.views import (
    CandidateView,
    FulfilmentView,
    MatchView,
    TimetableRow,
    WishCategoryView,
    WishStatistics,
    WishView,
)

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")
LIST_MAX = 10_000
"""The most wishes one list gives."""


class WishService:
    """Micro-wishes. Reach it as ``cg.wishes``."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._ledger = LedgerService(ctx)
        self._payer = closing.Payer(self._ledger, PointsService(ctx, self._ledger))

    # -- running ---------------------------------------------------------------------------
    def _write(
        self, actor: Actor, work: Callable[[WishDesk], T], now: dt.datetime | None = None
    ) -> T:
        """``work`` in one unit of work, run again on a PostgreSQL serialization failure or
        deadlock (the ledger's retry)."""
        at = self._ctx.clock() if now is None else as_utc("now", now)
        found = wish_categories(self._ctx)
        return self._ledger.run(lambda uow: work(WishDesk(self._ctx, uow, actor, at, found)))

    def _read(self, actor: Actor, work: Callable[[WishDesk], T]) -> T:
        found = wish_categories(self._ctx)
        with self._ctx.uow(readonly=True) as uow:
            return work(WishDesk(self._ctx, uow, actor, self._ctx.clock(), found))

    # -- categories ------------------------------------------------------------------------
    def categories(self) -> list[WishCategoryView]:
        """Every category and item (hook ``commgov_wish_categories``), by code."""
        return [
            WishCategoryView(code=c.code, label=c.label, parent=c.parent)
            for c in wish_categories(self._ctx).by_code.values()
        ]

    # -- posting ---------------------------------------------------------------------------
    def post(
        self,
        actor: Actor,
        *,
        kind: WishKind,
        category: str,
        text: str,
        unit: str | None = None,
        resident_id: int | None = None,
        author_kind: AuthorKind | None = None,
        author_name: str | None = None,
        author_ref: str | None = None,
        address: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
        photos: Sequence[str] = (),
        wanted_by: dt.date | None = None,
        quantity: int = 1,
    ) -> WishView:
        """Post a want (我想要), an offer (我愿做) or a suggestion (我期望) in ``category`` (a
        category or an item code). The author is a resident (``resident_id``; a resident
        actor posts for their own household), the staff member acting (``author_kind=
        "staff"``, the default without a resident), or an organisation or partner
        (``author_name``, ``author_ref``). ``unit`` is the community or grid (default: a
        resident author's grid; it must contain their home). ``quantity`` is what a want
        needs or an offer gives (a partner's 20 gift packs); ``wanted_by`` is not in the
        past."""
        given = Posting.checked(
            kind=kind, category=category, text=text, unit=unit, resident_id=resident_id,
            author_kind=author_kind, author_name=author_name, author_ref=author_ref,
            address=address, lat=lat, lon=lon, photos=photos, wanted_by=wanted_by,
            quantity=quantity,
        )  # fmt: skip
        wish_categories(self._ctx).get(given.category)

        def work(desk: WishDesk) -> WishView:
            wish = posting.post(desk, given)
            events.emit(desk, "wish.posted", [wish])
            return desk.view(wish)

        return self._write(actor, work)

    def get(self, actor: Actor, wish_id: int) -> WishView:
        """One wish, to its author's household, residents living under its unit and staff."""

        def work(desk: WishDesk) -> WishView:
            wish = desk.wish(wish_id)
            desk.authorize_read(wish)
            return desk.view(wish)

        return self._read(actor, work)

    def under(
        self,
        actor: Actor,
        unit: str,
        *,
        kind: WishKind | None = None,
        state: str | None = None,
        category: str | None = None,
        limit: int = 1000,
        after_id: int | None = None,
    ) -> list[WishView]:
        """Wishes in ``unit`` and the units below it, oldest first, of one ``kind``, ``state``
        or ``category`` (with its items) when given; at most ``limit``, continuing after the
        id ``after_id`` (the last of a previous page) when given."""
        if after_id is not None:
            row_id("after_id", after_id)
        if kind is not None:
            checks.kind(kind)
        if state is not None and state not in STATE_LABELS:
            raise ValidationError("state", state, f"expected one of {', '.join(STATE_LABELS)}")
        if category is not None:
            wish_categories(self._ctx).get(category)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= LIST_MAX:
            raise ValidationError("limit", limit, f"expected a whole number from 1 to {LIST_MAX}")

        def work(desk: WishDesk) -> list[WishView]:
            top = desk.unit_by_code(unit)
            desk.ctx.authorize(desk.actor, WISH_READ, desk.reader_target(top))
            found = desk.repo.under(
                top.path,
                kinds=None if kind is None else [kind],
                states=None if state is None else [state],
                category=category,
                limit=limit,
                after_id=after_id,
            )
            return desk.views(found)

        return self._read(actor, work)

    def withdraw(self, actor: Actor, wish_id: int, *, reason: str) -> WishView:
        """The author (or staff) withdraws an open wish; its live matches are cancelled."""

        def work(desk: WishDesk) -> WishView:
            posting.withdraw(desk, wish_id, reason)
            wish = desk.wish(wish_id)
            events.emit(desk, "wish.withdrawn", [wish])
            return desk.view(wish)

        return self._write(actor, work)

    # -- triage and the timetable -------------------------------------------------------------
    def triage(
        self,
        actor: Actor,
        wish_id: int,
        *,
        tier: Tier | None = None,
        target: dt.date | None = None,
    ) -> WishView:
        """Put a want or a suggestion in a tier — 立即实现 ``now``, 近期努力实现 ``soon``, 未来争取
        实现 ``future`` — with the date the community aims to meet it by: as given (a tier
        alone aims ``TIER_DAYS`` days from today), else by the rule ``commgov_wish_tier``."""

        def work(desk: WishDesk) -> WishView:
            wish = desk.wish(wish_id, lock=True)
            decision = posting.triage(desk, wish, tier, target)
            return desk.view(attrs.evolve(wish, tier=decision.tier, target=decision.target))

        return self._write(actor, work)

    def triage_all(self, actor: Actor, unit: str) -> int:
        """Triage by the rule every open want and suggestion under ``unit`` not triaged yet;
        returns how many."""

        def work(desk: WishDesk) -> int:
            top = desk.unit_by_code(unit)
            desk.ctx.authorize(desk.actor, WISH_MANAGE, desk.reader_target(top))
            found = desk.repo.under(
                top.path, kinds=["want", "suggestion"], states=["open", "matched"]
            )
            todo = [w for w in found if w.tier is None]
            for wish in desk.lock(w.id for w in todo).values():
                if wish.tier is None:
                    posting.triage(desk, wish, None, None)
            return len(todo)

        return self._write(actor, work)

    def timetable(self, actor: Actor, unit: str) -> list[TimetableRow]:
        """The timetable and project list (时间表和项目单) of ``unit``: every triaged want and
        suggestion under it not withdrawn, by target date, with its state and progress; to
        the residents living there (authors masked) and staff."""

        def work(desk: WishDesk) -> list[TimetableRow]:
            top = desk.unit_by_code(unit)
            desk.ctx.authorize(desk.actor, WISH_READ, desk.reader_target(top))
            found = desk.repo.under(
                top.path,
                kinds=["want", "suggestion"],
                states=["open", "matched", "fulfilled", "adopted", "expired"],
                triaged=True,
            )
            found.sort(key=lambda w: (w.target, w.id))
            desk.load_people(found)
            rows = []
            for wish in found:
                assert wish.tier is not None and wish.target is not None
                done = wish.state in ("fulfilled", "adopted")
                progress = 1.0 if done else wish.committed / wish.quantity
                if wish.kind == "suggestion" and not done:
                    progress = 0.0
                rows.append(
                    TimetableRow(
                        wish_id=wish.id,
                        kind=wish.kind,
                        unit_code=wish.unit_code,
                        category=wish.category,
                        category_label=desk.categories.label(wish.category),
                        text=wish.text,
                        author=desk.author(wish)[0],
                        tier=wish.tier,
                        tier_label=TIER_LABELS[wish.tier],
                        target=wish.target,
                        state=wish.state,
                        state_label=STATE_LABELS[wish.state],
                        quantity=wish.quantity,
                        covered=wish.committed if wish.kind == "want" else 0,
                        progress=round(progress, 4),
                        overdue=wish.state in ("open", "matched") and wish.target < desk.today,
                    )
                )
            return rows

        return self._read(actor, work)

    # -- matching --------------------------------------------------------------------------
    def candidates(self, actor: Actor, want_id: int, *, limit: int = 10) -> list[CandidateView]:
        """Open offers with capacity to spare that could meet the want, best first: the same
        item before the same category, then place (the same unit, a neighbouring one, or
        distance when both carry a point), capacity and the offer's author's past ratings."""
        return self._read(actor, lambda desk: matching.candidates(desk, want_id, limit))

    def propose(self, actor: Actor, want_id: int, offer_id: int, *, quantity: int = 1) -> MatchView:
        """Propose ``quantity`` of an offer's capacity for a want (staff, or the offer's
        author). The capacity is held from now until the match is declined or cancelled: an
        offer is never committed beyond its quantity. Plugins hear of it through
        ``commgov_wish_matched`` inside the same unit of work."""
        return self._write(
            actor,
            lambda desk: matching.match_view(matching.propose(desk, want_id, offer_id, quantity)),
        )

    def accept_match(self, actor: Actor, match_id: int) -> MatchView:
        """The want's author (their household) or staff accept a proposed match."""
        return self._write(actor, lambda desk: matching.match_view(matching.accept(desk, match_id)))

    def decline_match(self, actor: Actor, match_id: int, *, reason: str | None = None) -> MatchView:
        """The want's author, the offer's author or staff decline a proposed or accepted
        match; the capacity it held is given back."""
        return self._write(
            actor, lambda desk: matching.match_view(matching.decline(desk, match_id, reason))
        )

    def matches(self, actor: Actor, wish_id: int) -> list[MatchView]:
        """Every match of a want or an offer, oldest first."""

        def work(desk: WishDesk) -> list[MatchView]:
            wish = desk.wish(wish_id)
            desk.authorize_read(wish)
            found = desk.repo.matches(want_ids=[wish.id], offer_ids=[wish.id])
            return [matching.match_view(m) for m in found]

        return self._read(actor, work)

    # -- closing ---------------------------------------------------------------------------
    def fulfil(
        self,
        actor: Actor,
        wish_id: int,
        *,
        evidence: Sequence[str] = (),
        rating: int | None = None,
        note: str | None = None,
    ) -> FulfilmentView:
        """Close a want as met, with ``evidence`` (references), its author's ``rating`` (1 to
        5) and a note; by its author's household or staff. Its accepted matches are fulfilled
        (their proposed ones cancelled) and each resident helper is paid once, as
        ``commgov_wish_reward`` says, through the points ledger and the time bank. A want
        fulfilled already, expired or withdrawn is a ``StateError``: fulfilling twice pays
        once."""

        def work(desk: WishDesk) -> FulfilmentView:
            done, paid = closing.fulfil(
                desk, self._payer, wish_id, evidence=evidence, rating=rating, note=note
            )
            events.emit(desk, "wish.fulfilled", [done])
            return FulfilmentView(wish=desk.view(done), payments=tuple(paid))

        return self._write(actor, work)

    def to_case(
        self,
        actor: Actor,
        wish_id: int,
        *,
        unit: str | None = None,
        category: str | None = None,
    ) -> FulfilmentView:
        """Turn an open suggestion into a case (channel ``micro_wish``) in ``unit`` (a grid;
        default the suggestion's own unit) with an optional case ``category``; the wish is
        adopted and links the case. Its resident author is paid as ``commgov_wish_reward``
        says (``suggestion_accepted`` by default)."""
        return self._adopt(actor, wish_id, to="case", reference=None, grid=unit, category=category)

    def refer(self, actor: Actor, wish_id: int, *, to: ReferTo, reference: str) -> FulfilmentView:
        """Refer an open suggestion to a council ``topic`` or a ``project`` named by
        ``reference`` (the councils take it from there); the suggestion is adopted and its
        resident author paid as ``to_case`` pays."""
        checks.refer_to(to)
        return self._adopt(actor, wish_id, to=to, reference=closing.check_reference(reference))

    def _adopt(
        self,
        actor: Actor,
        wish_id: int,
        *,
        to: str,
        reference: str | None,
        grid: str | None = None,
        category: str | None = None,
    ) -> FulfilmentView:
        def work(desk: WishDesk) -> FulfilmentView:
            paid = closing.adopt(
                desk, self._payer, wish_id, to=to, reference=reference, grid=grid,
                category=category,
            )  # fmt: skip
            wish = desk.wish(wish_id)
            events.emit(desk, "wish.adopted", [wish])
            return FulfilmentView(wish=desk.view(wish), payments=tuple(paid))

        return self._write(actor, work)

    def expire_due(self, actor: Actor, unit: str, *, now: dt.datetime | None = None) -> list[int]:
        """Expire the open wants under ``unit`` that nobody accepted and whose wanted-by day
        has passed (in the store's zone) by ``now``, with a reason; their proposals are
        cancelled. Returns the ids expired. Safe to run twice."""

        def work(desk: WishDesk) -> list[int]:
            top = desk.unit_by_code(unit)
            desk.ctx.authorize(desk.actor, WISH_MANAGE, desk.reader_target(top))
            expired = closing.expire(desk, top.path)
            events.emit(desk, "wish.expired", desk.repo.many(expired).values())
            desk.ctx.audit(
                desk.uow, desk.actor, "wish.expire", entity="unit", entity_id=top.id,
                detail={"expired": len(expired), "ids": expired[:20]},
            )  # fmt: skip
            return expired

        return self._write(actor, work, now)

    # -- statistics ------------------------------------------------------------------------
    def statistics(
        self,
        actor: Actor,
        unit: str,
        *,
        start: dt.datetime | dt.date,
        end: dt.datetime | dt.date,
    ) -> list[WishStatistics]:
        """Wishes made from ``start`` until ``end`` (a day counts whole, in the store's zone)
        under ``unit``: one row for the unit, then one per unit right below it."""
        return self._read(actor, lambda desk: statistics.statistics(desk, unit, start, end))

    def statistics_frame(
        self,
        actor: Actor,
        unit: str,
        *,
        start: dt.datetime | dt.date,
        end: dt.datetime | dt.date,
    ) -> pd.DataFrame:
        """``statistics`` as a pandas DataFrame (needs the ``sim`` extra), one row per unit,
        the counts by tier, category and state as ``tier_…``, ``category_…``, ``state_…``
        columns."""
        import pandas as pd

        rows, columns = statistics.frame_rows(self.statistics(actor, unit, start=start, end=end))
        return pd.DataFrame(rows, columns=columns)


__all__ = ["WishService"]
