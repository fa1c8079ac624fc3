"""``commgov apikey create|list|revoke`` and ``commgov serve``, as an operator runs them."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

import commgov
from commgov.cli import app
from commgov.testing import build_town

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, int]:
    """A town on a SQLite file with one grid worker; the worker's staff id."""
    path = tmp_path / "town.db"
    with commgov.open(path) as cg:
        town = build_town(cg, code="411425100")
        worker = town.add_staff("grid_worker", town.grids[0])
    assert worker.staff_id is not None
    return str(path), worker.staff_id


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_a_key_is_shown_once_on_its_last_line_listed_masked_and_revoked(
    db: tuple[str, int],
) -> None:
    path, staff_id = db
    made = runner.invoke(app, ["apikey", "create", "--db", path, "--staff", str(staff_id)])
    assert made.exit_code == 0, made.output
    secret = made.output.strip().splitlines()[-1]
    assert secret.startswith("cg_") and len(secret) > 40
    listed = runner.invoke(app, ["apikey", "list", "--db", path])
    assert listed.exit_code == 0 and secret not in listed.output
    assert f"cg_{secret.split('_')[1]}_" in listed.output and f"staff:{staff_id}" in listed.output
    with commgov.open(path) as cg:
        assert cg.api_keys.holder(secret).actor.staff_id == staff_id
        key_id = cg.api_keys.keys(commgov.Actor.system("t"))[0].id
    revoked = runner.invoke(app, ["apikey", "revoke", str(key_id), "--db", path])
    assert revoked.exit_code == 0, revoked.output
    with commgov.open(path) as cg, pytest.raises(commgov.NotAuthenticated, match="revoked"):
        cg.api_keys.holder(secret)


def test_bad_key_requests_are_one_line_errors(db: tuple[str, int]) -> None:
    path, _ = db
    both = runner.invoke(app, ["apikey", "create", "--db", path, "--system", "x", "--staff", "1"])
    assert both.exit_code == 1 and "exactly one" in both.output
    scope = runner.invoke(
        app, ["apikey", "create", "--db", path, "--system", "x", "--scope", "all"]
    )
    assert scope.exit_code == 1 and "scopes" in scope.output and "Traceback" not in scope.output
    missing = runner.invoke(app, ["apikey", "revoke", "99", "--db", path])
    assert missing.exit_code == 1 and "99" in missing.output


def test_serve_answers_over_http_with_a_system_key(db: tuple[str, int]) -> None:
    path, _ = db
    made = runner.invoke(app, ["apikey", "create", "--db", path, "--system", "crm"])
    secret = made.output.strip().splitlines()[-1]
    port = _free_port()
    command = [sys.executable, "-m", "commgov", "serve", "--db", path, "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx.get(f"{url}/case-categories", headers={"X-API-Key": secret})
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        assert answer.status_code == 200 and answer.json()
        refused = httpx.get(f"{url}/case-categories")
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_without_a_store_says_how_to_make_one(tmp_path: Path) -> None:
    answer = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.db")])
    assert answer.exit_code == 1 and "commgov db upgrade" in answer.output
    assert not (tmp_path / "none.db").exists()
