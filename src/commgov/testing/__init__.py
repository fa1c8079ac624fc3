"""Test helpers for plugin authors, shipped with the library (as pytest and tox ship theirs).

    from commgov.testing import check_plugin, plugin_towns

    def test_my_rules():
        check_plugin(my_rules)                      # fails on a hook that does not exist
        with plugin_towns(my_rules) as towns:       # two towns: one with the plugin, one without
            view = towns.store.grids.get(towns.plugin_town)

With pytest, the fixture ``commgov_towns`` (registered through the ``pytest11`` entry point)
gives a factory: ``commgov_towns(my_rules)``; ``commgov_pg_url`` gives a PostgreSQL URL on a
fresh schema (``COMMGOV_TEST_PG_URL`` names the server; the test skips without it), to pass as
``commgov_towns(my_rules, url=commgov_pg_url)``.
"""

from commgov.testing.postgres import fresh_pg_schema
from commgov.testing.towns import BuiltTown, PluginTowns, build_town, check_plugin, plugin_towns

__all__ = [
    "BuiltTown",
    "PluginTowns",
    "build_town",
    "check_plugin",
    "fresh_pg_schema",
    "plugin_towns",
]
