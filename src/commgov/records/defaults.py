"""The core's record kinds, registered as a plugin like any town's."""

from __future__ import annotations

from commgov.kernel.markers import hookimpl

NAME = "commgov.record_defaults"


@hookimpl
def commgov_record_kinds() -> dict[str, str]:
    return {"note": "记事 a dated note on a unit"}
