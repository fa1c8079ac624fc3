"""Fixtures of the wish tests: the shared test town, with people for wishes."""

from __future__ import annotations

import pytest
from tests.conftest import Town

from .helpers import WishTown, wish_town


@pytest.fixture
def wt(town: Town) -> WishTown:
    return wish_town(town)


@pytest.fixture
def any_wt(any_town: Town) -> WishTown:
    return wish_town(any_town)
