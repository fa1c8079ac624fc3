"""Fixtures for the console's browser tests: Debian's chromium driven by Playwright's sync API.

Playwright's own browser download is never used: the browser is ``/usr/bin/chromium``, or the
executable named by ``COMMGOV_CHROMIUM``. When it is missing or cannot start, the tests using it
skip, or fail when ``COMMGOV_REQUIRE_BROWSER`` is set (CI sets it). Screenshots go to
``COMMGOV_SCREENSHOTS``, else to ``screenshots`` under the run's pytest temporary folder.

Playwright's sync API cannot run inside an asyncio loop, and while it runs nothing else in the
thread can start one (``asyncio.run`` raises): serve apps with ``tests.api.conftest.live``
(uvicorn in a thread of its own), which is fine beside it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn, TypeVar

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM_ENV = "COMMGOV_CHROMIUM"
REQUIRE_ENV = "COMMGOV_REQUIRE_BROWSER"
SCREENSHOTS_ENV = "COMMGOV_SCREENSHOTS"
DEFAULT_CHROMIUM = "/usr/bin/chromium"

T = TypeVar("T")


def chromium_path() -> Path:
    """The chromium executable the tests launch: ``COMMGOV_CHROMIUM``, else Debian's."""
    return Path(os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM)


def _attempt(call: Callable[[], T]) -> T | PlaywrightError:
    """``call()``, or the Playwright error it raised (handled outside, so not chained twice)."""
    try:
        return call()
    except PlaywrightError as exc:
        return exc


def _unavailable(reason: str, error: Exception | None = None) -> NoReturn:
    """Fail when the browser is required (``COMMGOV_REQUIRE_BROWSER``), with ``error``'s whole
    log; else skip, naming its first line."""
    if os.environ.get(REQUIRE_ENV, "") not in ("", "0"):
        log = f": {error}" if error is not None else ""
        pytest.fail(f"{reason} ({REQUIRE_ENV} is set){log}", pytrace=False)
    first = f": {str(error).splitlines()[0]}" if error is not None and str(error) else ""
    pytest.skip(reason + first)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Headless chromium, started once for the console's tests; skips (or fails, see above) when
    it cannot start. Package scope, not session: while Playwright's sync API runs, the thread
    counts as inside a running asyncio loop (``asyncio.run`` raises), so it must stop before the
    tests of other folders run in the same worker."""
    executable = chromium_path()
    if not (executable.is_file() and os.access(executable, os.X_OK)):
        _unavailable(
            f"no chromium at {executable}: install Debian's chromium or set {CHROMIUM_ENV}"
        )
    playwright = _attempt(sync_playwright().start)
    if isinstance(playwright, PlaywrightError):
        _unavailable("Playwright did not start", playwright)
    try:
        launched = _attempt(
            lambda: playwright.chromium.launch(
                executable_path=executable, headless=True, args=["--no-sandbox"]
            )
        )
        if isinstance(launched, PlaywrightError):
            _unavailable(f"chromium at {executable} did not start", launched)
        yield launched
        launched.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in a context of its own (no shared cookies): Chinese locale, 1280×900."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder screenshots go to (created): ``COMMGOV_SCREENSHOTS`` or the run's temp folder."""
    default = tmp_path_factory.getbasetemp() / "screenshots"
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or default)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shot(page: Page, shots: Path, name: str) -> Path:
    """Write a full-page screenshot of ``page`` as ``<shots>/<name>.png``; return its path."""
    path = shots / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
