"""Every code block in ``docs/`` runs, so the pages cannot drift from the code.

A page's blocks run in the order they are written, in one fresh working folder:

- ``python`` blocks are executed in one namespace per page (a later block sees what an
  earlier one defined);
- ``sh`` blocks: each line starting with ``commgov`` runs through the command line in that
  folder and must exit 0, or the code a trailing ``# exits N`` comment names; lines that set
  up a machine (``make``, ``pip``, ``python -m pytest``, ``cd``) are not run here: the README's
  own test runs them in CI;
- ``toml``, ``yaml`` and ``json`` blocks must parse;
- ``text`` blocks (output, file trees) are prose, not run. A fence without a language fails.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```\s*$", re.S | re.M)
NOT_RUN_HERE = ("make", "pip", "python -m pytest", "cd ", "git ")
EXITS = re.compile(r"#\s*exits\s+(\d+)\s*$")


def blocks(page: Path) -> list[tuple[str, str, int]]:
    """The page's fenced blocks as (language, code, line number)."""
    text = page.read_text(encoding="utf-8")
    return [
        (m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1) for m in FENCE.finditer(text)
    ]


def run_shell_line(line: str, where: str) -> None:
    from commgov.cli import app

    expected = 0
    found = EXITS.search(line)
    if found:
        expected = int(found.group(1))
        line = line[: found.start()]
    args = shlex.split(line, comments=True)[1:]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == expected, f"{where}: `{line}` exited {result.exit_code}\n" + (
        result.output
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{where}: `{line}` raised {result.exception!r}")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_block_of_the_page_runs(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COMMGOV_DB_URL", raising=False)
    monkeypatch.delenv("COMMGOV_SECRET_KEY", raising=False)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for language, code, line in blocks(page):
        where = f"{page.relative_to(DOCS).as_posix()}:{line}"
        if language == "python":
            exec(compile(code, where, "exec"), namespace)
        elif language == "sh":
            for raw in code.splitlines():
                command = raw.strip()
                if command.startswith("commgov "):
                    run_shell_line(command, where)
                elif command and not command.startswith(("#", *NOT_RUN_HERE)):
                    raise AssertionError(f"{where}: cannot run `{command}` here")
        elif language == "toml":
            tomllib.loads(code)
        elif language == "yaml":
            yaml.safe_load(code)
        elif language == "json":
            json.loads(code)
        elif language != "text":
            raise AssertionError(f"{where}: a fence names no language (or an unknown one)")


def test_the_docs_have_code_to_run() -> None:
    assert sum(lang == "python" for page in PAGES for lang, _, _ in blocks(page)) >= 20
