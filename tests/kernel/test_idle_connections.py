"""A PostgreSQL store keeps working when the server drops its idle connections (a restart, a
firewall's timeout): a pooled connection that sat idle is checked before use and replaced
if dead, so the next call succeeds instead of failing on a connection that is gone."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from tests.conftest import SECRET

import commgov
from commgov.kernel.engine import IDLE_PING
from commgov.testing import build_town


def _drop_sessions_of(url: str, marker: str) -> int:
    """Terminate, from another session, every server session whose application name is
    ``marker``; how many were ended."""
    admin = create_engine(url)
    try:
        with admin.connect() as conn:
            ended = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE application_name = :name AND pid <> pg_backend_pid()"
                ),
                {"name": marker},
            ).scalar_one()
            conn.commit()
            return int(ended)
    finally:
        admin.dispose()


def test_idle_connections_the_server_dropped_are_replaced(pg_url: str) -> None:
    marker = "commgov-idle-test"
    joiner = "&" if "?" in pg_url else "?"
    url = f"{pg_url}{joiner}application_name={marker}"
    with commgov.open(url, secret_key=SECRET, discover_plugins=False) as cg:
        town = build_town(cg, code="411425100")
        grid = town.grids[0]
        first = cg.cases.report(town.admin, text="路灯不亮", unit=grid)
        assert _drop_sessions_of(pg_url, marker) >= 1
        time.sleep(IDLE_PING + 0.2)
        second = cg.cases.report(town.admin, text="井盖缺失", unit=grid)
        numbers = [c.number for c in cg.cases.under(town.admin, grid)]
        assert numbers == [first.number, second.number]


def test_without_the_idle_check_a_dropped_connection_would_fail(pg_url: str) -> None:
    """The check is what saves the call above: the same dropped connection, used before it
    has been idle long enough to be checked, fails that one call, and the pool then replaces
    it so the call after succeeds."""
    marker = "commgov-idle-test-2"
    joiner = "&" if "?" in pg_url else "?"
    url = f"{pg_url}{joiner}application_name={marker}"
    with commgov.open(url, secret_key=SECRET, discover_plugins=False) as cg:
        town = build_town(cg, code="411425100")
        grid = town.grids[0]
        cg.cases.report(town.admin, text="路灯不亮", unit=grid)
        assert _drop_sessions_of(pg_url, marker) >= 1
        with pytest.raises(Exception, match=r"terminat|closed|connection"):
            cg.cases.report(town.admin, text="井盖缺失", unit=grid)
        later = cg.cases.report(town.admin, text="井盖缺失", unit=grid)
        assert later.text == "井盖缺失"
