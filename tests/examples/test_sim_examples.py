"""The simulation example runs at a small size and shows what it claims."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_points_on_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    compare = runpy.run_path(str(ROOT / "examples" / "points_on_off.py"))["compare"]
    means = compare(residents=5000, days=60, replications=2, out=tmp_path)
    assert means[True] > means[False]  # the incentive raises volunteering
    assert (tmp_path / "points_on_off.png").exists()
    assert "volunteers/day" in capsys.readouterr().out


def test_points_on_off_as_a_script_reads_its_size_from_the_environment(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "POINTS_RESIDENTS": "2000",
        "POINTS_DAYS": "10",
        "POINTS_REPLICATIONS": "2",
        "POINTS_OUT": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "points_on_off.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "2000 residents, 10 days, 2 replications each" in done.stdout
    assert (tmp_path / "points_on_off.png").read_bytes()[:4] == b"\x89PNG"
