"""Typed, checked hook calls: the helpers every capability's ``calls.py`` is written with, and
the kernel's own calls (roles, permission).

A hook's answer comes from code the core does not control, so it is checked before it is used:
``expect`` for one answer, ``merge_labels``/``merge_specs`` for registry hooks (every plugin
answers; later plugins override earlier ones, the core defaults first)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from commgov.errors import PluginError
from commgov.kernel.access import Target
from commgov.kernel.actors import Actor, RoleSpec
from commgov.kernel.host import PluginHost

T = TypeVar("T")


def expect(value: object, kind: type[T] | tuple[type[T], ...], hook: str) -> T:
    """``value`` when it is of ``kind``; else a ``PluginError`` naming the hook and the value."""
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise PluginError(f"{hook} returned {value!r}, expected {names}")
    return value


def merge_labels(results: Iterable[object], hook: str) -> dict[str, str]:
    """One ``{name: label}`` vocabulary from every plugin's answer, later plugins winning."""
    merged: dict[str, str] = {}
    for result in reversed(list(results)):  # pluggy returns the last registered first
        for name, label in expect(result, dict, hook).items():
            if not isinstance(name, str) or not isinstance(label, str):
                raise PluginError(f"{hook} returned {result!r}: names and labels must be text")
            merged[name] = label
    return merged


def merge_specs(
    results: Iterable[object], kind: type[T], key: Callable[[T], str], hook: str
) -> dict[str, T]:
    """One registry of specs (roles, categories …) from every plugin's list, keyed by ``key``."""
    merged: dict[str, T] = {}
    for result in reversed(list(results)):
        for spec in expect(result, list, hook):
            item = expect(spec, kind, hook)
            merged[key(item)] = item
    return merged


def registry(plugins: PluginHost, hook: str) -> list[Any]:
    """Every available plugin's answer to a registry hook, last registered first."""
    answers: list[Any] = getattr(plugins.registry, hook)()
    return answers


def roles(plugins: PluginHost) -> dict[str, RoleSpec]:
    """Every role in the store, from ``commgov_roles``."""
    return merge_specs(
        registry(plugins, "commgov_roles"), RoleSpec, lambda s: s.name, "commgov_roles"
    )


def permission(
    plugins: PluginHost, actor: Actor, action: str, target: Target, acts_as: str
) -> bool:
    """What ``commgov_permission`` decides for the plugins of the target's unit."""
    answer = plugins.rules(target.unit_path).commgov_permission(
        actor=actor, action=action, target=target, acts_as=acts_as
    )
    return bool(expect(answer, (bool, type(None)), "commgov_permission"))


def labels(plugins: PluginHost, hook: str) -> Mapping[str, str]:
    """A ``{name: label}`` registry hook merged over every available plugin."""
    return merge_labels(registry(plugins, hook), hook)
