"""``cg.councils``: the deliberating bodies of a unit (议事会, 居民议事厅, 小区恳谈会) and who
sits on them, by seat, role and term.

Staff who may manage a unit (``manage_units``) set up its councils and seat their members;
staff within reach read them (``read``). Every write runs in one unit of work and is audited."""

from __future__ import annotations

import datetime as dt

from commgov.councils.calls import seat_kinds
from commgov.councils.model import checks
from commgov.councils.model.limits import NAME_MAX, NOTE_MAX
from commgov.councils.model.seats import COUNCIL_KINDS, ROLES, CouncilSeat
from commgov.councils.model.values import Council, Membership
from commgov.councils.repository import CouncilRepository
from commgov.councils.views import CouncilView, MemberView
from commgov.errors import ConflictError, NotFoundError, StateError, ValidationError
from commgov.kernel.access import MANAGE_UNITS, READ
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import local_date
from commgov.kernel.uow import UnitOfWork
from commgov.people.model.units import Unit, unit_target
from commgov.people.repository import ResidentRepository, StaffRepository
from commgov.people.service.grids import load_unit


def load_council(uow: UnitOfWork, council_id: int, *, lock: bool = False) -> tuple[Council, Unit]:
    """The council and its unit; ``NotFoundError`` when there is none."""
    found = uow.repo(CouncilRepository).with_unit(
        checks.entity_id("council", council_id), lock=lock
    )
    if found is None:
        raise NotFoundError("council", council_id)
    return found


def serving(uow: UnitOfWork, council_id: int, day: dt.date) -> list[Membership]:
    """The council's members serving on ``day``."""
    return [m for m in uow.repo(CouncilRepository).members(council_id) if m.serves_on(day)]


class CouncilService:
    """Councils and their members. Reach it as ``cg.councils``."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def seats(self) -> list[CouncilSeat]:
        """Every seat kind members may sit for, by code (``commgov_council_seats``)."""
        return sorted(seat_kinds(self._ctx).values(), key=lambda s: s.code)

    def today(self) -> dt.date:
        """Today in the store's zone."""
        return local_date(self._ctx.clock(), self._ctx.zone)

    # -- councils --------------------------------------------------------------------------
    def create(self, actor: Actor, *, unit: str, name: str, kind: str = "council") -> CouncilView:
        """Set up a council of ``kind`` (``council`` 议事会, ``residents_hall`` 居民议事厅,
        ``forum`` 恳谈会) for the unit with code ``unit``."""
        name = checks.text("name", name, NAME_MAX)
        kind = checks.code("kind", kind, COUNCIL_KINDS)
        with self._ctx.uow() as uow:
            home = load_unit(uow, unit, live=True)
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(home))
            values = {"unit_id": home.id, "name": name, "kind": kind}
            council_id = uow.repo(CouncilRepository).add(
                {**values, "created_at": self._ctx.clock()}
            )
            self._ctx.audit(
                uow, actor, "council.create", entity="council", entity_id=council_id,
                detail={"unit": home.code, "kind": kind},
            )  # fmt: skip
            return self._view(uow, council_id, self.today())

    def get(self, actor: Actor, council_id: int, *, on: dt.date | None = None) -> CouncilView:
        """The council with the members serving ``on`` (default today, in the store's zone)."""
        day = self.today() if on is None else checks.day("on", on)
        with self._ctx.uow(readonly=True) as uow:
            _, home = load_council(uow, council_id)
            self._ctx.authorize(actor, READ, unit_target(home))
            return self._view(uow, council_id, day)

    def of_unit(self, actor: Actor, unit: str) -> list[CouncilView]:
        """The councils of the unit with code ``unit`` (today's members), oldest first."""
        with self._ctx.uow(readonly=True) as uow:
            home = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(home))
            found = uow.repo(CouncilRepository).of_unit(home.id)
            return [self._view(uow, c.id, self.today()) for c in found]

    # -- members ---------------------------------------------------------------------------
    def seat(
        self,
        actor: Actor,
        council_id: int,
        *,
        seat: str,
        term_start: dt.date,
        term_end: dt.date,
        role: str = "member",
        resident_id: int | None = None,
        staff_id: int | None = None,
        name: str | None = None,
        represents: str | None = None,
    ) -> MemberView:
        """Seat a member for a term: a resident (``resident_id``), a staff member
        (``staff_id``) or someone who is neither, by ``name`` (a company's representative).
        ``represents`` says for whom (the company, the police station). A council has at
        most one chair at a time. The same person may hold several seats; a vote counts
        them once."""
        seat = checks.code("seat", seat, seat_kinds(self._ctx))
        role = checks.code("role", role, ROLES)
        start, end = checks.term(term_start, term_end)
        resident = checks.optional_id("resident_id", resident_id)
        staff = checks.optional_id("staff_id", staff_id)
        given = checks.optional_text("name", name, NAME_MAX)
        represents = checks.optional_text("represents", represents, NOTE_MAX)
        if resident is not None and staff is not None:
            raise ValidationError(
                "staff_id", staff, "a member is a resident or a staff member, not both"
            )
        with self._ctx.uow() as uow:
            council, home = load_council(uow, council_id, lock=True)
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(home))
            if council.dissolved_at is not None:
                raise StateError(f"council {council.id} is dissolved")
            shown = self._member_name(uow, resident, staff, given)
            if role == "chair":
                self._check_one_chair(uow, council.id, start, end)
            member_id = uow.repo(CouncilRepository).add_member(
                {
                    "council_id": council.id, "seat": seat, "role": role, "name": shown,
                    "resident_id": resident, "staff_id": staff, "represents": represents,
                    "term_start": start, "term_end": end,
                }
            )  # fmt: skip
            self._ctx.audit(
                uow, actor, "council.seat", entity="council", entity_id=council.id,
                detail={"member": member_id, "seat": seat, "role": role},
            )  # fmt: skip
            found = uow.repo(CouncilRepository).member(member_id)
            assert found is not None
            return self._member_view(found)

    def unseat(self, actor: Actor, member_id: int, *, on: dt.date, reason: str) -> MemberView:
        """End a membership before its term does: ``on`` is the first day no longer served."""
        day = checks.day("on", on)
        reason = checks.text("reason", reason, NOTE_MAX)
        member_key = checks.entity_id("member", member_id)
        with self._ctx.uow() as uow:
            repo = uow.repo(CouncilRepository)
            member = repo.member(member_key)
            if member is None:
                raise NotFoundError("council member", member_id)
            _, home = load_council(uow, member.council_id, lock=True)
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(home))
            if member.ended_on is not None:
                raise StateError(f"membership {member.id} already ended on {member.ended_on}")
            repo.end_member(member.id, {"ended_on": day, "end_reason": reason})
            self._ctx.audit(
                uow, actor, "council.unseat", entity="council", entity_id=member.council_id,
                detail={"member": member.id, "on": day.isoformat()},
            )  # fmt: skip
            ended = repo.member(member.id)
            assert ended is not None
            return self._member_view(ended)

    # -- helpers ---------------------------------------------------------------------------
    def _member_name(
        self, uow: UnitOfWork, resident: int | None, staff: int | None, given: str | None
    ) -> str:
        if resident is not None:
            return str(uow.repo(ResidentRepository).get(resident).name)
        if staff is not None:
            return str(uow.repo(StaffRepository).get(staff).name)
        if given is None:
            raise ValidationError(
                "name", None, "a member who is neither a resident nor a staff member needs one"
            )
        return given

    def _check_one_chair(
        self, uow: UnitOfWork, council_id: int, start: dt.date, end: dt.date
    ) -> None:
        for other in uow.repo(CouncilRepository).members(council_id):
            ended = other.term_end if other.ended_on is None else other.ended_on - _DAY
            last = min(other.term_end, ended)
            if other.role == "chair" and other.term_start <= end and start <= last:
                raise ConflictError(
                    f"role='chair': {other.name} chairs council {council_id} "
                    f"from {other.term_start} to {last}; end that membership first"
                )

    def _view(self, uow: UnitOfWork, council_id: int, day: dt.date) -> CouncilView:
        council, home = load_council(uow, council_id)
        return CouncilView(
            id=council.id,
            unit_code=home.code,
            name=council.name,
            kind=council.kind,
            kind_label=COUNCIL_KINDS[council.kind][0],
            created_at=council.created_at,
            dissolved_at=council.dissolved_at,
            members=[self._member_view(m) for m in serving(uow, council.id, day)],
        )

    def _member_view(self, member: Membership) -> MemberView:
        seats = seat_kinds(self._ctx)
        known = seats.get(member.seat)
        return MemberView(
            id=member.id,
            council_id=member.council_id,
            seat=member.seat,
            seat_label=member.seat if known is None else known.label,
            role=member.role,
            name=member.name,
            resident_id=member.resident_id,
            staff_id=member.staff_id,
            represents=member.represents,
            term_start=member.term_start,
            term_end=member.term_end,
            ended_on=member.ended_on,
            voter_key=member.voter_key,
        )


_DAY = dt.timedelta(days=1)
