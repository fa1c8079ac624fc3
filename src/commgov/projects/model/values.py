"""A project, its funding and its timeline as the store holds them."""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen
class Project:
    id: int
    unit_id: int
    title: str
    description: str
    state: str
    budget: int
    rollup: str
    resolution_id: int | None
    created_by: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    cancel_reason: str | None


@attrs.frozen
class Funding:
    id: int
    project_id: int
    source: str
    amount: int
    funder: str
    resident_id: int | None
    client_id: str | None
    at: dt.datetime


@attrs.frozen
class Event:
    """One dated entry of a project's public timeline; ``progress`` is the project's overall
    progress (‰ of 100%, i.e. tenths of a percent) right after it."""

    id: int
    project_id: int
    at: dt.datetime
    kind: str
    item_id: int | None
    progress: int
    text: str
    actor: str
