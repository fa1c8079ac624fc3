"""``cg.organisations``: the registry of organisations (社区社会组织, 草根组织, 志愿服务队,
共建单位) and of the party organisation laid over the grids (党委 → 党支部 → 党小组 →
党员中心户), their members, and party members' dual registration (党员双报到).

- Staff within reach of a unit (``write``) register organisations at it, name the units a
  team serves besides, keep the contact, dissolve them.
- Staff and the organisation's own leaders add and remove members; staff and members read it.
  Members' phones are shown in clear to the organisation's leaders and to staff who may read
  the household's personal data, masked to everyone else.
- A party member registers in the branch where they live, with the workplace they report to;
  ``party_service`` reports who serves where."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from commgov.errors import ConflictError, NotFoundError, StateError, ValidationError
from commgov.kernel.access import READ, READ_PERSONAL, WRITE
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import day_start
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import row_id, whole_number
from commgov.ledger.service.residents import ledger_resident
from commgov.organisations.calls import organisation_kinds
from commgov.organisations.model import checks
from commgov.organisations.model.kinds import ROLES, OrganisationKind
from commgov.organisations.model.limits import (
    CONTACT_MAX,
    NAME_MAX,
    NOTE_MAX,
    SERVED_MAX,
    WORKPLACE_MAX,
)
from commgov.organisations.model.values import Member, Organisation
from commgov.organisations.repository import OrganisationRepository
from commgov.organisations.service.access import (
    authorize_reading,
    authorize_running,
    manages,
    shown_person,
)
from commgov.organisations.views import (
    OrganisationMemberView,
    OrganisationView,
    PartyRegistrationView,
)
from commgov.people.model.personal import Phone, mask_name, mask_phone
from commgov.people.model.units import Unit, household_target, path_within, unit_target
from commgov.people.repository import UnitRepository
from commgov.people.service.grids import load_unit

if TYPE_CHECKING:
    import pandas as pd

LIST_MAX: Final = 100_000
"""The most organisations or activities one page holds."""
PARTY_SERVICE_COLUMNS = (
    "resident_id", "name", "workplace", "workplace_branch", "branch", "branch_unit",
    "home_unit", "activities", "hours", "at_home", "elsewhere", "served_units",
)  # fmt: skip


def load_organisation(
    uow: UnitOfWork, organisation_id: object, *, field: str = "organisation_id", lock: bool = False
) -> tuple[Organisation, Unit]:
    found = checks.entity_id(field, organisation_id)
    loaded = uow.repo(OrganisationRepository).get(found, lock=lock)
    if loaded is None:
        raise NotFoundError(
            "organisation", found, message=f"没有编号为 {found} 的组织 (no organisation {found})"
        )
    return loaded


class OrganisationService:
    """Organisations and their members. Reach it as ``cg.organisations``."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def kinds(self) -> dict[str, OrganisationKind]:
        """Every organisation kind by code (the core's and the plugins')."""
        return dict(organisation_kinds(self._ctx))

    # -- the registry -----------------------------------------------------------------------
    def register(
        self,
        actor: Actor,
        *,
        unit: str,
        name: str,
        kind: str,
        parent_id: int | None = None,
        serves: Sequence[str] = (),
        contact_name: str | None = None,
        contact_phone: str | None = None,
    ) -> OrganisationView:
        """Register an organisation at ``unit`` (its home). ``serves`` names further units a team
        serves (other communities). A party organisation's parent must be a party organisation
        whose unit contains its own: the party tree is laid over the unit tree."""
        named = checks.text("name", name, NAME_MAX)
        found_kind = checks.code("kind", kind, self.kinds())
        parent = checks.optional_id("parent_id", parent_id)
        contact = _contact_name(contact_name)
        phone = None if contact_phone is None else Phone.parse(contact_phone, field="contact_phone")
        served_codes = _codes("serves", serves)
        with self._ctx.uow() as uow:
            home = load_unit(uow, unit, live=True)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            repo = uow.repo(OrganisationRepository)
            cipher = None if phone is None else self._ctx.cipher.encrypt(phone.reveal())
            if repo.named(home.id, named) is not None:
                raise ConflictError(
                    f"name={named!r}: {home.code} already has an organisation of that name "
                    f"({home.code} 已有同名组织)"
                )
            if parent is not None:
                self._check_parent(uow, parent, found_kind, home)
            served = [load_unit(uow, c, field="serves", live=True) for c in served_codes]
            now = self._ctx.clock()
            organisation_id = repo.add(
                {
                    "name": named, "kind": found_kind, "unit_id": home.id, "parent_id": parent,
                    "contact_name": contact,
                    "contact_phone_cipher": cipher,
                    "created_at": now, "created_by": actor.label(),
                }
            )  # fmt: skip
            repo.serve(organisation_id, sorted({u.id for u in served} - {home.id}))
            self._ctx.audit(
                uow, actor, "organisation.register", entity="organisation",
                entity_id=organisation_id, detail={"unit": home.code, "kind": found_kind},
            )  # fmt: skip
            organisation, _ = load_organisation(uow, organisation_id)
            return self._view(uow, actor, organisation, home)

    def serve(
        self, actor: Actor, organisation_id: int, *, units: Sequence[str]
    ) -> OrganisationView:
        """Replace the units the organisation serves besides its home."""
        codes = _codes("units", units)
        with self._ctx.uow() as uow:
            organisation, home = load_organisation(uow, organisation_id, lock=True)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            self._check_live(organisation)
            served = [load_unit(uow, c, field="units", live=True) for c in codes]
            uow.repo(OrganisationRepository).serve(
                organisation.id, sorted({u.id for u in served} - {home.id})
            )
            self._ctx.audit(
                uow, actor, "organisation.serve", entity="organisation", entity_id=organisation.id,
                detail={"units": [u.code for u in served]},
            )  # fmt: skip
            return self._view(uow, actor, organisation, home)

    def set_contact(
        self, actor: Actor, organisation_id: int, *, name: str | None, phone: str | None
    ) -> OrganisationView:
        """Set (or, with ``None``, clear) the organisation's contact person and phone."""
        contact = _contact_name(name)
        parsed = None if phone is None else Phone.parse(phone, field="phone")
        with self._ctx.uow() as uow:
            organisation, home = load_organisation(uow, organisation_id, lock=True)
            authorize_running(self._ctx, uow, actor, organisation, home, what="set_contact")
            self._check_live(organisation)
            cipher = None if parsed is None else self._ctx.cipher.encrypt(parsed.reveal())
            uow.repo(OrganisationRepository).set_fields(
                organisation.id, {"contact_name": contact, "contact_phone_cipher": cipher}
            )
            self._ctx.audit(
                uow, actor, "organisation.contact", entity="organisation",
                entity_id=organisation.id, detail={},
            )  # fmt: skip
            organisation, _ = load_organisation(uow, organisation.id)
            return self._view(uow, actor, organisation, home)

    def dissolve(self, actor: Actor, organisation_id: int, *, reason: str) -> OrganisationView:
        """Dissolve an organisation (its activities and history stay); one with live
        organisations under it is refused."""
        why = checks.text("reason", reason, NOTE_MAX)
        with self._ctx.uow() as uow:
            organisation, home = load_organisation(uow, organisation_id, lock=True)
            self._ctx.authorize(actor, WRITE, unit_target(home))
            self._check_live(organisation)
            repo = uow.repo(OrganisationRepository)
            under_it = repo.children(organisation.id)
            if under_it:
                raise StateError(
                    f"organisation {organisation.id} ({organisation.name}) still has {under_it} "
                    "organisations under it; dissolve or move them first"
                )
            repo.set_fields(organisation.id, {"dissolved_at": self._ctx.clock()})
            self._ctx.audit(
                uow, actor, "organisation.dissolve", entity="organisation",
                entity_id=organisation.id, detail={"reason": why[:80]},
            )  # fmt: skip
            organisation, _ = load_organisation(uow, organisation.id)
            return self._view(uow, actor, organisation, home)

    def get(self, actor: Actor, organisation_id: int) -> OrganisationView:
        with self._ctx.uow(readonly=True) as uow:
            organisation, home = load_organisation(uow, organisation_id)
            authorize_reading(self._ctx, uow, actor, organisation, home)
            return self._view(uow, actor, organisation, home)

    def under(
        self,
        actor: Actor,
        *,
        unit: str,
        party: bool | None = None,
        kind: str | None = None,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[OrganisationView]:
        """Organisations at or under ``unit`` or serving a unit there, by unit then id: only
        the party's (``party=True``), all but the party's (``False``), or all; or one ``kind``.
        Ordered by unit path, so the party tree reads top down. A page (``after_id`` or
        ``limit`` given) goes by id instead: at most ``limit`` after the id ``after_id`` (the
        last of a previous page)."""
        if after_id is not None:
            row_id("after_id", after_id)
        if limit is not None:
            whole_number("limit", limit, 1, LIST_MAX)
        kinds = self.kinds()
        if party is not None:
            checks.flag("party", party)
        wanted = None if kind is None else [checks.code("kind", kind, kinds)]
        if party is not None:
            chosen = [c for c, k in kinds.items() if k.party == party]
            wanted = chosen if wanted is None else [c for c in wanted if c in chosen]
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            found = uow.repo(OrganisationRepository).under(
                top.path, kinds=wanted, after_id=after_id, limit=limit
            )
            return [self._view(uow, actor, o, h) for o, h in found]

    # -- members ----------------------------------------------------------------------------
    def add_member(
        self, actor: Actor, organisation_id: int, *, resident_id: int, role: str = "member"
    ) -> OrganisationMemberView:
        """Add a resident (or change a member's role); a former member rejoins."""
        found_role = checks.code("role", role, ROLES)
        with self._ctx.uow() as uow:
            organisation, home = load_organisation(uow, organisation_id, lock=True)
            authorize_running(self._ctx, uow, actor, organisation, home, what="add_member")
            self._check_live(organisation)
            if found_role == "party_member" and not self.kinds()[organisation.kind].party:
                raise ValidationError("role", role, "party members belong to a party organisation")
            row, _home = ledger_resident(
                self._ctx, uow, Actor.system(), resident_id, READ, live=True
            )
            repo = uow.repo(OrganisationRepository)
            before = repo.member(organisation.id, row.id)
            now = self._ctx.clock()
            joined = now if before is None or before.left_at is not None else before.joined_at
            repo.put_member(
                {
                    "organisation_id": organisation.id, "resident_id": row.id, "role": found_role,
                    "joined_at": joined, "left_at": None,
                },
                new=before is None,
            )  # fmt: skip
            self._ctx.audit(
                uow, actor, "organisation.member", entity="organisation",
                entity_id=organisation.id, detail={"resident_id": row.id, "role": found_role},
            )  # fmt: skip
            return self._member_view(uow, actor, organisation, row.id)

    def remove_member(
        self, actor: Actor, organisation_id: int, *, resident_id: int
    ) -> OrganisationMemberView:
        """End a membership (the record stays, with the day it ended)."""
        rid = checks.entity_id("resident_id", resident_id)
        with self._ctx.uow() as uow:
            organisation, home = load_organisation(uow, organisation_id, lock=True)
            authorize_running(self._ctx, uow, actor, organisation, home, what="remove_member")
            repo = uow.repo(OrganisationRepository)
            member = repo.member(organisation.id, rid)
            if member is None or member.left_at is not None:
                raise ValidationError(
                    "resident_id", rid, f"not a member of organisation {organisation.id}"
                )
            repo.put_member(
                {
                    "organisation_id": organisation.id,
                    "resident_id": rid,
                    "left_at": self._ctx.clock(),
                },
                new=False,
            )
            self._ctx.audit(
                uow, actor, "organisation.member_left", entity="organisation",
                entity_id=organisation.id, detail={"resident_id": rid},
            )  # fmt: skip
            return self._member_view(uow, actor, organisation, rid)

    def members(
        self, actor: Actor, organisation_id: int, *, former: bool = False
    ) -> list[OrganisationMemberView]:
        """The current members (with ``former``, those who left too), by resident id."""
        checks.flag("former", former)
        with self._ctx.uow(readonly=True) as uow:
            organisation, home = load_organisation(uow, organisation_id)
            authorize_reading(self._ctx, uow, actor, organisation, home)
            leader = manages(uow, actor, organisation.id)
            found = uow.repo(OrganisationRepository).members(organisation.id, current=not former)
            return [_member(self._ctx, actor, m, row, h, leader=leader) for m, row, h in found]

    # -- the party: dual registration -------------------------------------------------------
    def register_party_member(
        self,
        actor: Actor,
        *,
        resident_id: int,
        branch_id: int,
        workplace: str,
        workplace_branch: str = "",
    ) -> PartyRegistrationView:
        """A party member reports to the branch where they live (双报到): they become a
        member of it (``party_member``) and their workplace is kept. Registering again moves
        the registration (a member who moved house reports to their new branch)."""
        place = checks.text("workplace", workplace, WORKPLACE_MAX)
        place_branch = checks.text("workplace_branch", workplace_branch, WORKPLACE_MAX, empty=True)
        with self._ctx.uow() as uow:
            branch, branch_home = load_organisation(uow, branch_id, field="branch_id", lock=True)
            self._ctx.authorize(actor, WRITE, unit_target(branch_home))
            self._check_live(branch)
            if not self.kinds()[branch.kind].party:
                raise ValidationError(
                    "branch_id",
                    branch.id,
                    f"{branch.name} is a {branch.kind}, not a party organisation",
                )
            row, home = ledger_resident(self._ctx, uow, actor, resident_id, WRITE, live=True)
            if not path_within(home.path, branch_home):
                raise ValidationError(
                    "branch_id", branch.id,
                    f"{branch.name} ({branch_home.code}) is not where the member lives "
                    f"({home.code})",
                )  # fmt: skip
            repo = uow.repo(OrganisationRepository)
            before = repo.registration(row.id)
            now = self._ctx.clock()
            if before is not None and before.organisation_id != branch.id:
                repo.put_member(
                    {
                        "organisation_id": before.organisation_id,
                        "resident_id": row.id,
                        "left_at": now,
                    },
                    new=False,
                )
            member = repo.member(branch.id, row.id)
            current = member is not None and member.left_at is None
            repo.put_member(
                {
                    "organisation_id": branch.id, "resident_id": row.id,
                    "role": member.role if current and member else "party_member",
                    "joined_at": member.joined_at if current and member else now,
                    "left_at": None,
                },
                new=member is None,
            )  # fmt: skip
            repo.put_registration(
                {
                    "resident_id": row.id, "organisation_id": branch.id, "workplace": place,
                    "workplace_branch": place_branch, "registered_at": now,
                    "registered_by": actor.label(),
                },
                new=before is None,
            )  # fmt: skip
            self._ctx.audit(
                uow, actor, "party.register", entity="resident", entity_id=row.id,
                detail={"branch_id": branch.id},
            )  # fmt: skip
            return PartyRegistrationView(
                resident_id=row.id, name=self._name(actor, row, home), unit_code=home.code,
                branch_id=branch.id, branch=branch.name, branch_unit_code=branch_home.code,
                workplace=place, workplace_branch=place_branch, registered_at=now,
            )  # fmt: skip

    def party_members(self, actor: Actor, *, unit: str) -> list[PartyRegistrationView]:
        """The dual registrations of the branches at or under ``unit``, by resident id."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            found = uow.repo(OrganisationRepository).registrations_under(top.path)
            return [
                PartyRegistrationView(
                    resident_id=reg.resident_id,
                    name=self._name(actor, _Person(reg), home),
                    unit_code=home.code,
                    branch_id=branch.id,
                    branch=branch.name,
                    branch_unit_code=branch_home.code,
                    workplace=reg.workplace,
                    workplace_branch=reg.workplace_branch,
                    registered_at=reg.registered_at,
                )
                for reg, home, branch, branch_home in found
            ]

    def party_service(
        self, actor: Actor, *, unit: str, start: dt.date, end: dt.date
    ) -> pd.DataFrame:
        """Who serves where: per party member registered under ``unit``, the activities they
        attended from ``start`` to ``end`` (days in the store's zone, both counted), the
        hours, how many were held within their branch's unit (``at_home``) or elsewhere, and
        the codes of the units they served in."""
        import pandas as pd

        first, last = checks.days(start, end)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            repo = uow.repo(OrganisationRepository)
            found = repo.registrations_under(top.path)
            served = repo.attended_by(
                [reg.resident_id for reg, *_ in found],
                day_start(first, self._ctx.zone),
                day_start(last, self._ctx.zone),
            )
            by_person: dict[int, list[tuple[str, int, dt.datetime, dt.datetime]]] = {}
            for rid, path, unit_id, starts, ends in served:
                by_person.setdefault(rid, []).append((path, unit_id, starts, ends))
            places = {unit_id for _, _, unit_id, _, _ in served}
            codes = {u.id: u.code for u in uow.repo(UnitRepository).many(places)}
        rows = []
        for reg, home, branch, branch_home in found:
            mine = by_person.get(reg.resident_id, [])
            at_home = sum(1 for path, *_ in mine if f"/{branch_home.id}/" in path)
            minutes = sum(int((e - s).total_seconds() // 60) for _, _, s, e in mine)
            rows.append(
                (
                    reg.resident_id, self._name(actor, _Person(reg), home), reg.workplace,
                    reg.workplace_branch, branch.name, branch_home.code, home.code, len(mine),
                    round(minutes / 60, 2), at_home, len(mine) - at_home,
                    ",".join(sorted({codes[u] for _, u, _, _ in mine})),
                )
            )  # fmt: skip
        return pd.DataFrame(rows, columns=list(PARTY_SERVICE_COLUMNS))

    # -- helpers ----------------------------------------------------------------------------
    def _check_parent(self, uow: UnitOfWork, parent_id: int, kind: str, home: Unit) -> None:
        parent, parent_home = load_organisation(uow, parent_id, field="parent_id")
        self._check_live(parent, field="parent_id")
        kinds = self.kinds()
        if kinds[kind].party != kinds[parent.kind].party:
            raise ValidationError(
                "parent_id", parent_id,
                f"{parent.name} is a {parent.kind}; a {kind} cannot sit under it",
            )  # fmt: skip
        if kinds[kind].party and not path_within(home.path, parent_home):
            raise ValidationError(
                "parent_id", parent_id,
                f"{parent.name} is at {parent_home.code}, which does not contain {home.code}",
            )  # fmt: skip

    @staticmethod
    def _check_live(organisation: Organisation, *, field: str = "organisation_id") -> None:
        if organisation.dissolved_at is not None:
            raise StateError(
                f"{field}={organisation.id}: {organisation.name} is dissolved (组织已撤销)"
            )

    def _name(self, actor: Actor, row: Any, home: Unit) -> str:
        """A care-group member's name is masked unless ``actor`` may read the household's
        personal data."""
        name = str(row.name)
        target = household_target(home, int(row.household_id))
        if not row.care_groups or self._ctx.allowed(actor, READ_PERSONAL, target):
            return name
        return mask_name(name)

    def _member_view(
        self, uow: UnitOfWork, actor: Actor, organisation: Organisation, resident_id: int
    ) -> OrganisationMemberView:
        leader = manages(uow, actor, organisation.id)
        repo = uow.repo(OrganisationRepository)
        for member, row, home in repo.members(
            organisation.id, current=False, resident_id=resident_id
        ):
            return _member(self._ctx, actor, member, row, home, leader=leader)
        raise NotFoundError("member", resident_id)

    def _view(
        self, uow: UnitOfWork, actor: Actor, organisation: Organisation, home: Unit
    ) -> OrganisationView:
        kind = self.kinds().get(organisation.kind)
        repo = uow.repo(OrganisationRepository)
        phone = None
        if organisation.contact_phone is not None:
            phone = self._ctx.cipher.decrypt(organisation.contact_phone)
            if not (
                self._ctx.allowed(actor, WRITE, unit_target(home))
                or manages(uow, actor, organisation.id)
            ):
                phone = mask_phone(phone)
        return OrganisationView(
            id=organisation.id, name=organisation.name, kind=organisation.kind,
            kind_label=kind.label if kind else organisation.kind,
            party=bool(kind and kind.party), unit_code=home.code, parent_id=organisation.parent_id,
            serves=repo.served([organisation.id]).get(organisation.id, []),
            contact_name=organisation.contact_name, contact_phone=phone,
            members=repo.member_count(organisation.id),
            created_at=organisation.created_at, dissolved_at=organisation.dissolved_at,
        )  # fmt: skip


class _Person:
    """A registration row read as a resident (its name, care groups and household)."""

    def __init__(self, row: Any) -> None:
        self.name = row.resident_name
        self.care_groups = row.care_groups
        self.household_id = row.household_id


def _member(
    ctx: Context, actor: Actor, member: Member, row: Any, home: Unit, *, leader: bool
) -> OrganisationMemberView:
    name, phone = shown_person(ctx, actor, row, home, leader=leader)
    return OrganisationMemberView(
        organisation_id=member.organisation_id, resident_id=member.resident_id, name=name,
        phone=phone, unit_code=home.code, role=member.role, role_label=ROLES[member.role][0]
        if member.role in ROLES else member.role,
        joined_at=member.joined_at, left_at=member.left_at,
    )  # fmt: skip


def _contact_name(value: object) -> str | None:
    return None if value is None else checks.text("contact_name", value, CONTACT_MAX)


def _codes(field: str, values: object) -> list[str]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise ValidationError(field, values, "expected a list of unit codes")
    if len(values) > SERVED_MAX:
        raise ValidationError(field, len(values), f"at most {SERVED_MAX} units")
    return [checks.text(f"{field}[{i}]", v, 64) for i, v in enumerate(values)]
