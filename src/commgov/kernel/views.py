"""The base of every view a service hands out: a frozen pydantic model, safe to serialise."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class View(BaseModel):
    """Read models returned to callers: frozen, validated, JSON-ready."""

    model_config = ConfigDict(frozen=True)
