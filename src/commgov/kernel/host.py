"""The plugin host: finds plugins, checks them, and builds each town's set of rules.

A plugin applies to a unit when it was passed to ``commgov.open(plugins=...)`` (every unit, for
that session) or enabled on the unit or one of its ancestors (stored in the database). The core
defaults always apply last, so a town plugin's answer to a ``firstresult`` hook wins.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import entry_points
from types import ModuleType

import attrs
import pluggy

from commgov.errors import PluginError
from commgov.kernel.markers import PROJECT

ENTRY_POINT_GROUP = "commgov"
ALLOW_ENV = "COMMGOV_PLUGINS"


@attrs.frozen
class HookSet:
    """What the host is built from: every capability's hook specifications and the core's own
    default plugins (``commgov.capabilities`` gathers them; the kernel knows no capability)."""

    specs: tuple[ModuleType, ...]
    core: Mapping[str, object]


def plugin_name(plugin: object) -> str:
    """A plugin's name: its ``commgov_plugin_name`` attribute, else its module or class name."""
    explicit = getattr(plugin, "commgov_plugin_name", None)
    if isinstance(explicit, str):
        return explicit
    name = getattr(plugin, "__name__", None) or type(plugin).__name__
    return str(name)


def _new_manager(hooks: HookSet) -> pluggy.PluginManager:
    pm = pluggy.PluginManager(PROJECT)
    for module in hooks.specs:
        pm.add_hookspecs(module)
    return pm


def check_plugin(hooks: HookSet, name: str, plugin: object) -> None:
    """Fail with ``PluginError`` when a plugin implements a hook that does not exist or whose
    arguments do not match the specification."""
    pm = _new_manager(hooks)
    try:
        pm.register(plugin, name=name)
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {name!r} is invalid: {exc}") from None


def discover(allow: Iterable[str] | None = None) -> dict[str, object]:
    """Installed plugins in the ``commgov`` entry-point group (optionally an allow-list)."""
    allowed = set(allow) if allow is not None else None
    found: dict[str, object] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if allowed is not None and ep.name not in allowed:
            continue
        try:
            found[ep.name] = ep.load()
        except Exception as exc:
            raise PluginError(f"plugin {ep.name!r} ({ep.value}) failed to import: {exc}") from exc
    return found


def allow_list_from_env() -> list[str] | None:
    raw = os.environ.get(ALLOW_ENV)
    if raw is None:
        return None
    return [p.strip() for p in raw.split(",") if p.strip()]


class PluginHost:
    """Holds the available plugins and hands out the hooks that apply to a unit."""

    def __init__(
        self,
        hooks: HookSet,
        session_plugins: Sequence[object] = (),
        *,
        discover_installed: bool = True,
    ) -> None:
        self.hooks = hooks
        self.available: dict[str, object] = dict(hooks.core)
        if discover_installed:
            self.available.update(discover(allow_list_from_env()))
        self.session: list[str] = []
        for plugin in session_plugins:
            name = plugin_name(plugin)
            self.available[name] = plugin
            self.session.append(name)
        for name, plugin in self.available.items():
            check_plugin(hooks, name, plugin)
        self._by_unit: dict[int, list[str]] = {}
        self._managers: dict[tuple[str, ...], pluggy.PluginManager] = {}
        self._relays: dict[str | None, pluggy.HookRelay] = {}  # by unit path, until a change
        self._registry = self._manager(tuple(n for n in self.available if n not in self.hooks.core))

    def add(self, plugin: object, *, name: str | None = None) -> str:
        """Make a plugin available (not enabled anywhere yet); returns its name."""
        key = name or plugin_name(plugin)
        check_plugin(self.hooks, key, plugin)
        self.available[key] = plugin
        self._managers.clear()
        self._relays.clear()
        self._registry = self._manager(tuple(n for n in self.available if n not in self.hooks.core))
        return key

    # -- settings ------------------------------------------------------------------------
    def load_settings(self, by_unit: Mapping[int, Sequence[str]]) -> None:
        """Take the per-unit enabled plugin names from the store."""
        for names in by_unit.values():
            for name in names:
                self.require(name)
        self._by_unit = {unit: list(names) for unit, names in by_unit.items()}
        self._relays.clear()

    def require(self, name: str) -> object:
        try:
            return self.available[name]
        except KeyError:
            known = ", ".join(sorted(self.available))
            raise PluginError(f"plugin {name!r} is not installed (available: {known})") from None

    def enabled_on(self, unit_id: int) -> list[str]:
        return list(self._by_unit.get(unit_id, []))

    # -- hooks ---------------------------------------------------------------------------
    @property
    def registry(self) -> pluggy.HookRelay:
        """Hooks over every available plugin: for the registry hooks."""
        return self._registry.hook

    def names_for(self, unit_path: str | None) -> tuple[str, ...]:
        """The plugins that apply under ``unit_path``, lowest priority first (core excluded)."""
        names = list(self.session)
        if unit_path:
            for part in unit_path.strip("/").split("/"):
                for name in self._by_unit.get(int(part), []):
                    if name in names:
                        names.remove(name)
                    names.append(name)
        return tuple(names)

    def rules(self, unit_path: str | None = None) -> pluggy.HookRelay:
        """Hooks over the plugins that apply to the unit at ``unit_path``."""
        found = self._relays.get(unit_path)
        if found is None:
            found = self._relays[unit_path] = self._manager(self.names_for(unit_path)).hook
        return found

    def rules_for(self, names: Sequence[str]) -> pluggy.HookRelay:
        """Hooks over the named plugins (and the core defaults), whatever units enable them."""
        for name in names:
            self.require(name)
        return self._manager(tuple(names)).hook

    def implementations(self) -> dict[str, list[str]]:
        """Each available plugin's name and the hooks it implements."""
        pm = _new_manager(self.hooks)
        for name, plugin in self.available.items():
            pm.register(plugin, name=name)
        out: dict[str, list[str]] = {}
        for hook_name in sorted(h for h in dir(pm.hook) if h.startswith("commgov_")):
            for impl in getattr(pm.hook, hook_name).get_hookimpls():
                out.setdefault(impl.plugin_name, []).append(hook_name)
        return out

    def _manager(self, names: tuple[str, ...]) -> pluggy.PluginManager:
        pm = self._managers.get(names)
        if pm is None:
            pm = _new_manager(self.hooks)
            for core_name, core in self.hooks.core.items():  # asked last: town plugins win
                pm.register(core, name=core_name)
            for name in names:
                pm.register(self.available[name], name=name)
            self._managers[names] = pm
        return pm
