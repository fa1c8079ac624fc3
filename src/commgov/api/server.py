"""The app ``commgov serve`` runs: the store named by ``COMMGOV_DB_URL`` with its plugins."""

from __future__ import annotations

import os

from fastapi import FastAPI

from commgov.api.app import create_app
from commgov.facade import open_store
from commgov.kernel.engine import normalise_url

_DB_ENV = "COMMGOV_DB_URL"


def app_factory_env(db: str | None) -> None:
    """Name the store for ``app_from_env`` (each uvicorn worker opens its own)."""
    os.environ[_DB_ENV] = normalise_url(db)


def app_from_env() -> FastAPI:
    """The API over the store in ``COMMGOV_DB_URL`` (uvicorn's factory)."""
    cg = open_store(normalise_url(os.environ.get(_DB_ENV)))
    return create_app(cg)
