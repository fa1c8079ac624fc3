"""What the organisation services hand out: organisations, members, activities, sign-ups and
party members' registrations, personal data masked for readers who may not see it."""

from __future__ import annotations

import datetime as dt

from commgov.kernel.views import View


class OrganisationView(View):
    """An organisation, group, team or party organisation (``party``) with its home unit, the
    units it serves besides, and its contact (the phone masked unless the reader may see it)."""

    id: int
    name: str
    kind: str
    kind_label: str
    party: bool
    unit_code: str
    parent_id: int | None
    serves: list[str]
    contact_name: str | None
    contact_phone: str | None
    members: int
    created_at: dt.datetime
    dissolved_at: dt.datetime | None


class OrganisationMemberView(View):
    """A member of an organisation: the name as the reader may see it, the phone masked unless
    the reader may see it (staff with the right over the household, or the organisation's own
    leaders)."""

    organisation_id: int
    resident_id: int
    name: str
    phone: str | None
    unit_code: str
    role: str
    role_label: str
    joined_at: dt.datetime
    left_at: dt.datetime | None


class ActivityView(View):
    """An activity and where its places stand."""

    id: int
    organisation_id: int
    title: str
    kind: str
    unit_code: str
    booking_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    minutes: int
    places: int
    signed: int
    waiting: int
    points_activity: str | None
    bank_time: bool
    state: str
    note: str


class SignupView(View):
    """A resident's sign-up: ``signed`` (a place), ``waiting`` (``position`` on the list, from
    1) or ``withdrawn``; attendance and what it paid."""

    activity_id: int
    resident_id: int
    state: str
    position: int | None
    signed_at: dt.datetime
    attended: bool | None
    points: int
    minutes: int


class PartyRegistrationView(View):
    """A party member's dual registration (党员双报到): the workplace they report to and the
    branch of the community they live in."""

    resident_id: int
    name: str
    unit_code: str
    branch_id: int
    branch: str
    branch_unit_code: str
    workplace: str
    workplace_branch: str
    registered_at: dt.datetime
