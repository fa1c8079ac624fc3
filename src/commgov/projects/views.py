"""What the project service hands out: projects with their tree, funding and ratings, and the
public timeline."""

from __future__ import annotations

import datetime as dt

from commgov.kernel.views import View


class ItemView(View):
    """A node of the progress tree (a milestone or a part of one): its progress as a
    percentage (entered for a leaf, rolled up for a parent) and its children."""

    id: int
    title: str
    weight: int
    rollup: str
    progress: float
    due_on: dt.date | None
    children: list[ItemView]


class FundingLine(View):
    """The funds from one source: fen for money, points for donated points."""

    source: str
    label: str
    amount: int
    gifts: int


class ProjectView(View):
    """A project (微改造, 为民办实事): its budget (fen) and funding by source, its progress
    tree and overall progress, its state, and how residents rated it once finished."""

    id: int
    unit_code: str
    title: str
    description: str
    state: str
    state_label: str
    budget: int
    funded: int
    """Money received, in fen (government, partners, residents' own funds)."""
    points_donated: int
    funding: list[FundingLine]
    rollup: str
    progress: float
    items: list[ItemView]
    resolution_id: int | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    ratings: int
    average_rating: float | None
    cases_opened: int
    cancel_reason: str | None = None


class TimelineEntry(View):
    """One dated step of the project's journey from proposal to result."""

    at: dt.datetime
    kind: str
    label: str
    text: str
    progress: float
    item_id: int | None


class RatingView(View):
    project_id: int
    household_id: int
    rating: int
    case_id: int | None
    """The case a low rating opened."""
