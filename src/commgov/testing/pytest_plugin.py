"""pytest fixtures for plugin authors, loaded through the ``pytest11`` entry point."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from commgov.testing.postgres import PG_ENV, fresh_pg_schema, pg_base_url
from commgov.testing.towns import PluginTowns, plugin_towns


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
