"""The docs site builds with ``mkdocs build --strict``: no broken link, no missing reference.

The build runs once per module, as ``make docs`` runs it, into a temporary folder; the tests
then read the built site: a page for every Markdown file under ``docs/``, and a reference page
that documents exactly the public names of ``commgov.__all__``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import commgov

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
MKDOCS = Path(sys.executable).parent / "mkdocs"
# mkdocstrings gives each documented object a heading anchor named by its path.
TOP_LEVEL_ANCHOR = re.compile(r'id="commgov\.([A-Za-z_][A-Za-z0-9_]*)"')

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Build:
    """One strict build of the site: its exit code, its log and the folder it wrote."""

    returncode: int
    log: str
    site: Path


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return Build(result.returncode, result.stdout + result.stderr, site)


def built_page(site: Path, source: Path) -> Path:
    """Where mkdocs (``use_directory_urls``) writes the page of ``source``, a file in docs/."""
    relative = source.relative_to(DOCS).with_suffix("")
    if relative.name == "index":
        return site / relative.parent / "index.html"
    return site / relative / "index.html"


def test_the_site_builds_strictly(build: Build) -> None:
    assert build.returncode == 0, build.log
    assert "WARNING" not in build.log, build.log


def test_every_page_under_docs_is_built(build: Build) -> None:
    assert build.returncode == 0, build.log
    sources = sorted(DOCS.rglob("*.md"))
    assert sources, "docs/ has no pages"
    missing = [
        str(source.relative_to(DOCS))
        for source in sources
        if not built_page(build.site, source).is_file()
    ]
    assert missing == []


def test_the_reference_documents_exactly_the_public_names(build: Build) -> None:
    assert build.returncode == 0, build.log
    html = built_page(build.site, DOCS / "reference.md").read_text(encoding="utf-8")
    rendered = set(TOP_LEVEL_ANCHOR.findall(html))
    public = set(commgov.__all__)
    assert sorted(public - rendered) == [], "public names missing from the reference"
    assert sorted(rendered - public) == [], "the reference renders names outside __all__"
