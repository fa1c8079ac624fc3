"""pytest fixtures for plugin authors, loaded through the ``pytest11`` entry point."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from commgov.testing.postgres import PG_ENV, fresh_pg_schema, pg_base_url
from commgov.testing.towns import PluginTowns, plugin_towns

PG_FIXTURES = frozenset({"commgov_pg_url", "pg_url"})
"""Fixtures that put a test on PostgreSQL: ours, and the name commgov's own tests use."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: runs on PostgreSQL (needs COMMGOV_TEST_PG_URL)")
    config.addinivalue_line("markers", "property: a hypothesis property test")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The kind of a test is a marker, set here from what the test uses: ``postgres`` for every
    test that opens a PostgreSQL store, ``property`` for every test hypothesis drives."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        on_pg = bool(names & PG_FIXTURES)
        if callspec is not None and "postgresql" in callspec.params.values():
            on_pg = True
        if on_pg:
            item.add_marker(pytest.mark.postgres)
        if _driven_by_hypothesis(item):
            item.add_marker(pytest.mark.property)


def _driven_by_hypothesis(item: pytest.Item) -> bool:
    """A ``@given`` test, or a stateful machine's ``TestCase``."""
    if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
        return True
    settings = getattr(getattr(item, "cls", None), "settings", None)
    return type(settings).__module__.startswith("hypothesis")


@pytest.fixture
def commgov_towns() -> Iterator[Callable[..., PluginTowns]]:
    """A factory: ``commgov_towns(plugin, ...)`` builds ``plugin_towns`` and closes it after
    the test."""
    with ExitStack() as stack:

        def make(*plugins: object, **options: Any) -> PluginTowns:
            return stack.enter_context(plugin_towns(*plugins, **options))

        yield make


@pytest.fixture
def commgov_pg_url() -> Iterator[str]:
    """A PostgreSQL URL (from ``COMMGOV_TEST_PG_URL``) on a fresh schema dropped after the
    test; the test skips when the variable is not set."""
    base = pg_base_url()
    if base is None:
        pytest.skip(f"{PG_ENV} is not set")
    with fresh_pg_schema(base) as url:
        yield url
