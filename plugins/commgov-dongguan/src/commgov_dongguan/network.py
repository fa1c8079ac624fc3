"""The four-level network 市—镇(街道、园区)—村(社区)—网格(楼盘小区等), built with the core's units.

Dongguan has no county level: its towns and streets sit straight under the city, and the seed
makes each housing estate (楼盘小区) a grid under its village or community. ``build_network``
makes (or completes) that tree from names; ``levels`` reads the four levels above a unit.

Kinds are the core's: the city is a ``city`` (a root with its 6-digit division code, Dongguan's
is 441900), a town a ``town`` or, when its name ends in 街道, a ``street``; a village (a name
ending in 村) a ``village``, otherwise a ``community``; an estate a ``grid``. Codes follow the
store's numbering: 9 digits for a town, 12 for a village or community, 15 for a grid."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from commgov import Actor, Commgov, UnitView, ValidationError
from commgov_dongguan import vocab

DONGGUAN: Final = ("441900", "东莞市 Dongguan")
NAME_MAX: Final = 128
"""The longest unit name the core keeps."""

Tree = Mapping[str, Mapping[str, Sequence[str]]]
"""Towns by name → villages or communities by name → the names of their grids."""


@attrs.frozen
class Network:
    """What ``build_network`` made or found: the city's code and each unit's code by its
    names from the town down (``("大朗镇", "水平村", "明上居")``)."""

    city: str
    codes: Mapping[tuple[str, ...], str]

    def code(self, *names: str) -> str:
        """The code of the unit named by ``names`` from the town down."""
        try:
            return self.codes[names]
        except KeyError:
            raise ValidationError("names", list(names), "no such unit in the network") from None

    def at_level(self, level: str) -> list[str]:
        """The codes of every unit at ``level`` (``town``, ``village`` or ``grid``)."""
        depth = {vocab.TOWN: 1, vocab.VILLAGE: 2, vocab.GRID: 3}.get(level)
        if depth is None:
            raise ValidationError("level", level, "expected town, village or grid")
        return [code for names, code in self.codes.items() if len(names) == depth]


def kind_for(level: str, name: str) -> str:
    """The core unit kind for a unit of ``level`` named ``name``."""
    if level == vocab.TOWN:
        return "street" if name.endswith("街道") else "town"
    if level == vocab.VILLAGE:
        return "village" if name.endswith("村") else "community"
    if level == vocab.GRID:
        return "grid"
    if level == vocab.CITY:
        return "city"
    raise ValidationError("level", level, f"expected one of {', '.join(vocab.LEVELS)}")


def level_of(kind: str) -> str | None:
    """The level of the network a core unit kind belongs to (``None``: not one of the four)."""
    return next((level for level, kinds in vocab.LEVEL_KINDS.items() if kind in kinds), None)


def check_tree(towns: Tree) -> None:
    """Names present, not too long, not repeated under one parent; ``ValidationError`` naming
    the first bad one."""
    if not isinstance(towns, Mapping) or not towns:
        raise ValidationError("towns", towns, "at least one town, as {town: {village: [grids]}}")
    for town, villages in towns.items():
        _check_name("towns", town)
        if not isinstance(villages, Mapping):
            raise ValidationError(f"towns[{town}]", villages, "expected {village: [grids]}")
        for village, grids in villages.items():
            _check_name(f"towns[{town}]", village)
            if isinstance(grids, str) or not isinstance(grids, Sequence):
                raise ValidationError(f"towns[{town}][{village}]", grids, "a list of grid names")
            for grid in grids:
                _check_name(f"towns[{town}][{village}]", grid)
            if len(set(grids)) != len(grids):
                raise ValidationError(f"towns[{town}][{village}]", list(grids), "a name repeats")


def _check_name(field: str, name: object) -> None:
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX:
        raise ValidationError(field, name, f"a name of 1 to {NAME_MAX} characters")


def build_network(
    store: Commgov,
    actor: Actor,
    towns: Tree,
    *,
    city: tuple[str, str] = DONGGUAN,
) -> Network:
    """Make the city (its division code and name) and, below it, the towns, villages or
    communities and grids of ``towns``. A unit that already exists under the same parent with
    the same name and kind is reused, so building again adds only what is new. All or
    nothing: a bad name or a refused unit leaves the store as it was."""
    check_tree(towns)
    city_code, city_name = city
    _check_name("city", city_name)
    codes: dict[tuple[str, ...], str] = {}
    with store.transaction():
        root = _city(store, actor, city_code, city_name)
        for town, villages in towns.items():
            town_code = _child(store, actor, root, vocab.TOWN, town)
            codes[(town,)] = town_code
            for village, grids in villages.items():
                village_code = _child(store, actor, town_code, vocab.VILLAGE, village)
                codes[(town, village)] = village_code
                for grid in grids:
                    codes[(town, village, grid)] = _child(
                        store, actor, village_code, vocab.GRID, grid
                    )
    return Network(root, codes)


def _city(store: Commgov, actor: Actor, code: str, name: str) -> str:
    found = next((u for u in store.grids.roots() if u.code == code), None)
    if found is None:
        return store.grids.create(actor, code=code, name=name, kind="city").code
    if found.kind != "city":
        raise ValidationError("city", code, f"unit {code} exists and is a {found.kind}")
    return found.code


def _child(store: Commgov, actor: Actor, parent: str, level: str, name: str) -> str:
    kind = kind_for(level, name)
    for unit in store.grids.children(parent):
        if unit.name == name and unit.kind == kind:
            return unit.code
    return store.grids.create(actor, parent=parent, name=name, kind=kind).code


def levels(store: Commgov, code: str) -> dict[str, UnitView]:
    """The units of the four levels at and above unit ``code``, by level (``city``, ``town``,
    ``village``, ``grid``); levels the unit is above are missing."""
    chain = [*store.grids.ancestors(code), store.grids.get(code)]
    found: dict[str, UnitView] = {}
    for unit in chain:
        level = level_of(unit.kind)
        if level is not None:
            found[level] = unit
    return found
