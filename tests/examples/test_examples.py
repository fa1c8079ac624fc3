"""The README's Python block and the examples run as written."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_readme_taste_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    block = re.search(
        r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S
    )
    assert block is not None
    monkeypatch.chdir(tmp_path)
    exec(compile(block.group(1), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "411425194503020025" in out  # the worker of the elder's own grid sees the number
    assert "411***********0025" in out  # the printed view is masked


def test_quickstart_example(capsys: pytest.CaptureFixture[str]) -> None:
    result = runpy.run_path(str(ROOT / "examples" / "quickstart.py"))["main"]()
    assert result["own_grid_sees"] == "411425194503020025"
    assert "411425194503020025" not in result["logged"]
    assert "may not read" in capsys.readouterr().out


def test_two_towns_example(capsys: pytest.CaptureFixture[str]) -> None:
    results = runpy.run_path(str(ROOT / "examples" / "two_towns.py"))["main"]()
    chengguan, xinhe = results["yucheng7336"], results["xinhe"]
    assert chengguan["lead_role"] == "dispute_resolver"  # 三师三员: a dispute resolver first
    assert xinhe["lead_role"] == "party_mass_station"  # 小事党群办
    assert (chengguan["points_for_2h_volunteering"], xinhe["points_for_2h_volunteering"]) == (
        20,
        30,
    )
    assert xinhe["simulated_points_issued"] > chengguan["simulated_points_issued"]
    assert "party_mass_station" in capsys.readouterr().out


def test_embed_api_example(capsys: pytest.CaptureFixture[str]) -> None:
    found = runpy.run_path(str(ROOT / "examples" / "embed_api.py"))["main"]()
    assert found == {
        "reported": 201,
        "state": "accepted",
        "stranger": 401,
        "problem": "application/problem+json",
    }
    assert capsys.readouterr().out.split() == ["201", "accepted", "401"]
