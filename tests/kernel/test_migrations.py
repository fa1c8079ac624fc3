"""The shipped migrations build exactly the schema the models describe; opening a store again
finds its data and refuses another key."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine
from tests.conftest import SECRET, build_town, make_identity

import commgov
from commgov.kernel import migrate


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return str(request.getfixturevalue("pg_url"))


def test_migrated_schema_equals_the_models(empty_url: str) -> None:
    engine = create_engine(empty_url)
    try:
        assert migrate.current_revisions(engine) == ()
        assert migrate.schema_differences(engine) != []  # an empty database: the check can fail
        migrate.upgrade(engine)
        assert set(migrate.current_revisions(engine)) == set(migrate.head_revisions())
        assert migrate.schema_differences(engine) == []
        migrate.upgrade(engine)  # a second upgrade is a no-op
        assert migrate.schema_differences(engine) == []
    finally:
        engine.dispose()


def test_reopening_a_store_finds_its_data(empty_url: str) -> None:
    number = make_identity("19600101", 1)
    with commgov.open(empty_url, secret_key=SECRET, discover_plugins=False) as cg:
        town = build_town(cg)
        town.household(town.grid_a1, {"name": "老李", "identity_number": number})
        grid = cg.grids.get(town.grid_a1)
    with commgov.open(empty_url, secret_key=SECRET, discover_plugins=False) as cg:
        assert cg.grids.get("411425100001001") == grid
        found = cg.residents.find_by_identity(commgov.Actor.system(), number)
        assert found is not None and found.identity_number == number
    with pytest.raises(commgov.ConfigurationError, match="secret key"):
        commgov.open(empty_url, secret_key=commgov.new_secret_key(), discover_plugins=False)


def test_sqlite_file_without_key_gets_a_key_file(tmp_path: Path) -> None:
    path = tmp_path / "auto.db"
    with commgov.open(path, discover_plugins=False) as cg:
        build_town(cg)
        county = cg.grids.get("411425")
    assert (tmp_path / "auto.db.key").stat().st_mode & 0o777 == 0o600
    with commgov.open(path, discover_plugins=False) as cg:  # the key file is found again
        assert cg.grids.get("411425") == county
    (tmp_path / "auto.db.key").unlink()
    with pytest.raises(commgov.ConfigurationError, match="key file"):
        commgov.open(path, discover_plugins=False)


def test_bad_settings_are_configuration_errors(tmp_path: Path) -> None:
    with pytest.raises(commgov.ConfigurationError, match="32 bytes"):
        commgov.open(tmp_path / "x.db", secret_key="too short", discover_plugins=False)
    with pytest.raises(commgov.ConfigurationError, match="only sqlite and postgresql"):
        commgov.open("mysql://localhost/x", secret_key=SECRET, discover_plugins=False)


def test_postgresql_needs_a_key(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMMGOV_SECRET_KEY", raising=False)
    with pytest.raises(commgov.ConfigurationError, match="secret key is needed"):
        commgov.open(pg_url, discover_plugins=False)
