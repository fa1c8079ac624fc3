"""The public API: a curated, sorted ``__all__`` whose names all resolve."""

from __future__ import annotations

import commgov


def test_all_is_sorted_and_resolves() -> None:
    names = commgov.__all__
    # isort style, as ruff's RUF022 keeps it: CONSTANTS, then Classes, then the rest
    assert names == sorted(
        names, key=lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n)
    )
    for name in names:
        assert hasattr(commgov, name), name


def test_all_covers_every_public_attribute() -> None:
    public = {n for n in vars(commgov) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(commgov, n)).__name__ == "module"}
    assert public - modules - set(commgov.__all__) == set()
