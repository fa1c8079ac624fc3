"""Open311 GeoReport v2 under ``/open311/v2/``: services from the case categories and the
service-order catalogue, requests as cases, FixMyStreet's request updates as the case loop's
steps (see ``docs/open311.md``)."""

from __future__ import annotations

from commgov.api.open311.routes import router

__all__ = ["router"]
