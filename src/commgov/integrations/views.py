"""What callers get back about API keys."""

from __future__ import annotations

import datetime as dt

from commgov.kernel.views import View


class ApiKeyView(View):
    """An API key without its secret: ``holder`` is ``staff:<id>``, ``department:<code>`` or
    ``system:<name>``; ``prefix`` is the public part shown in listings (``cg_<prefix>_…``)."""

    id: int
    prefix: str
    label: str
    holder: str
    scopes: tuple[str, ...]
    created_at: dt.datetime
    created_by: str
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewApiKey(View):
    """A key just made: ``secret`` is the whole key, shown this once and stored only hashed."""

    key: ApiKeyView
    secret: str
