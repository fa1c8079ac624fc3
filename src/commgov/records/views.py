"""What the record service hands out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from commgov.kernel.views import View


class RecordView(View):
    """A plugin record: ``kind`` (from ``commgov_record_kinds``), the unit it concerns, when it
    happened, an optional reference (e.g. ``household:12``) and the plugin's JSON ``data``."""

    id: int
    kind: str
    unit_code: str
    at: dt.datetime
    ref: str | None
    actor: str
    data: dict[str, Any]
