"""Views: what services hand out (pydantic, serialisable). Personal fields are masked unless the
caller may read them, and ``repr()`` masks them always so views are safe to log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from commgov.kernel.views import View
from commgov.people.model.personal import mask_identity, mask_name, mask_phone


class UnitView(View):
    id: int
    code: str
    name: str
    kind: str
    parent_code: str | None
    depth: int
    grid_type: str | None = None
    covers: str | None = None
    retired: bool = False


class HouseholdView(View):
    id: int
    unit_code: str
    address: str
    member_ids: tuple[int, ...] = ()


class ResidentView(View):
    """A resident as the caller may see them. ``personal_visible`` says whether the identity
    number, phone and (for care-group members) the name are in clear or masked."""

    id: int
    household_id: int
    unit_code: str
    name: str
    identity_number: str | None
    phone: str | None
    birth_date: dt.date
    sex: str
    care_groups: tuple[str, ...]
    skills: tuple[str, ...]
    tags: tuple[str, ...]
    is_volunteer: bool
    is_party_member: bool
    personal_visible: bool
    moved_in_at: dt.datetime | None = None
    """Since when they live in this household."""
    left_at: dt.datetime | None = None
    """When they left the town's files (``None``: they live here)."""
    left_reason: str | None = None
    """``died``, ``moved_out`` (迁出) or ``merged`` (the record was entered twice)."""
    merged_into: int | None = None
    """The kept record, when this one was merged into it."""

    @property
    def active(self) -> bool:
        """Whether they live in the town now."""
        return self.left_at is None

    def __repr_args__(self) -> Any:
        for key, value in super().__repr_args__():
            if key == "identity_number" and value:
                yield key, mask_identity(value)
            elif key == "phone" and value:
                yield key, mask_phone(value)
            elif key == "name" and self.care_groups:
                yield key, mask_name(value)
            else:
                yield key, value

    def __str__(self) -> str:
        return self.__repr__()


class StaffView(View):
    id: int
    name: str
    role: str
    employment: str | None
    unit_codes: tuple[str, ...]
    phone: str | None
    department_id: int | None = None
    active: bool = True
    left_at: dt.datetime | None = None
    left_reason: str | None = None


class ResidencyView(View):
    """A stretch of time a resident lived in a household (一户一档's history)."""

    resident_id: int
    household_id: int
    unit_code: str
    name: str
    """Masked as the reader's rights require."""
    from_at: dt.datetime
    until_at: dt.datetime | None
    """``None``: they live there still."""
    end_reason: str | None
    """Why it ended: ``moved`` (to another household), ``moved_out``, ``died``, ``merged``."""


class PostingView(View):
    """A stretch of time a staff member answered for a unit."""

    unit_code: str
    from_at: dt.datetime
    until_at: dt.datetime | None
    end_reason: str | None


class LifeEventView(View):
    """What a life event did: who, when, why, and the open work each capability handed over
    to the successor or closed with the reason."""

    kind: str
    person_id: int
    at: dt.datetime
    reason: str
    successor_id: int | None
    work: dict[str, tuple[int, int]]
    """``{work: (handed over, closed)}`` for each capability that had some."""


class DepartmentView(View):
    id: int
    code: str
    name: str
    kind: str
    unit_code: str


@attrs.frozen
class FileCounts:
    """Counts for one unit (the households and residents attached to it directly)."""

    unit_code: str
    households: int
    households_with_members: int
    residents: int
    complete_files: int
    care_households: int
