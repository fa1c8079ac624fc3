"""The whole schema: importing this module registers every table module on ``metadata``.

Each capability keeps its tables in a module of its own; add it to the imports below."""

from commgov.store import case_tables, ledger_tables, record_tables, tables
from commgov.store.tables import metadata

TABLE_MODULES = (tables, case_tables, ledger_tables, record_tables)

__all__ = ["TABLE_MODULES", "metadata"]
