"""Participation, read-only, for staff: the micro-wish board (微心愿), council meetings
(议事会) and shared resources (共享资源); each group lives in its own module."""

from __future__ import annotations

from fastapi import FastAPI

from commgov.api.console.council_pages import add_council_pages
from commgov.api.console.resource_pages import add_resource_pages
from commgov.api.console.site import ConsoleSite
from commgov.api.console.wish_pages import add_wish_pages


def add_participation_pages(app: FastAPI, site: ConsoleSite) -> None:
    """``/wishes``, ``/councils`` and ``/resources`` (staff, read-only), in that order."""
    add_wish_pages(app, site)
    add_council_pages(app, site)
    add_resource_pages(app, site)
