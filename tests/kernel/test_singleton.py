"""A job that must run once per store (the events deliverer) refuses a second runner, on a
SQLite file and on PostgreSQL, and is free again once the first has stopped."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

import commgov
from commgov.kernel.singleton import only_one


def _check(engine: Engine) -> None:
    with only_one(engine, "events-deliver"):
        with (
            pytest.raises(commgov.ConflictError, match="another process"),
            only_one(engine, "events-deliver"),
        ):
            pass
        with only_one(engine, "another-job"):
            pass
    with only_one(engine, "events-deliver"):
        pass


def test_one_runner_per_sqlite_file(tmp_path: Path) -> None:
    with commgov.open(tmp_path / "town.db", discover_plugins=False) as cg:
        _check(cg.context.engine)


@pytest.mark.postgres
def test_one_runner_per_postgresql_store(pg_url: str) -> None:
    with commgov.open(pg_url, secret_key=commgov.new_secret_key(), discover_plugins=False) as cg:
        _check(cg.context.engine)
