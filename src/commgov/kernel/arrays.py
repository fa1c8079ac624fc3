"""Set-based statements on PostgreSQL: each column's values bound as one array, so many rows
are read or written by one statement whose text never changes with their number (``INSERT …
SELECT … FROM unnest(…)``, ``UPDATE … FROM unnest(…)``, ``= ANY(…)``). A batch of a thousand
transfers, their balance changes and their events then cost one round trip, and the server
parses one short statement instead of thousands of parameters.

The arrays are bound in binary (``%(name)b``, psycopg's placeholder run through
``Connection.exec_driver_sql``): a thousand strings are not quoted and escaped one by one. In
one statement of data-modifying CTEs, PostgreSQL checks foreign keys at the end of the whole
statement, so a row may refer to one written by another part of it. SQLite has none of this:
it runs in the process, where a statement costs no round trip, and writes row by row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


def column_type(table: Table, column: str) -> str:
    """The PostgreSQL type of ``table.column`` (``VARCHAR(32)``)."""
    return str(table.c[column].type.compile(dialect=_DIALECT))


def array_parameter(name: str, sql_type: str) -> str:
    """The placeholder of the parameter ``name`` bound as an array in binary, cast to an array
    of ``sql_type``."""
    return f"CAST(%({name})b AS {sql_type}[])"


def unnest(columns: Sequence[tuple[str, str, str]], alias: str) -> str:
    """``unnest(…) WITH ORDINALITY AS alias(…, ord)``: a row per element of the arrays, each
    column given as (column name, parameter name, SQL type of its elements), with the row's
    place as ``ord``."""
    casts = ", ".join(array_parameter(name, sql_type) for _, name, sql_type in columns)
    names = ", ".join(column for column, _, _ in columns)
    return f"unnest({casts}) WITH ORDINALITY AS {alias}({names}, ord)"


FEW: Final = 4
"""Up to this many values are bound one by one (``rows_of``, ``any_of``), more as one array:
packing an array costs more than the few values in it."""


def rows_of(
    columns: Sequence[tuple[str, str, str]],
    alias: str,
    count: int,
    same: frozenset[str] = frozenset(),
) -> str:
    """``count`` rows of ``columns``: up to ``FEW`` as ``VALUES`` bound one value each
    (``{parameter}_{i}``), more as ``unnest``; each with its place as ``ord``. A column whose
    parameter is in ``same`` holds one value in every row (``uniform``): bound once, not as an
    array."""
    if count <= FEW:
        rows = ", ".join(
            "("
            + ", ".join(f"CAST(%({name}_{i})s AS {type_})" for _, name, type_ in columns)
            + f", {i + 1})"
            for i in range(count)
        )
        names = ", ".join(column for column, _, _ in columns)
        return f"(VALUES {rows}) AS {alias}({names}, ord)"
    varying = [c for c in columns if c[1] not in same]
    fixed = [c for c in columns if c[1] in same]
    if not fixed or not varying:
        return unnest(columns, alias)
    values = ", ".join(f"CAST(%({name})s AS {type_}) AS {column}" for column, name, type_ in fixed)
    return f"(SELECT v.*, {values} FROM {unnest(varying, 'v')}) AS {alias}"


def uniform(values: Mapping[str, Sequence[Any]], count: int) -> frozenset[str]:
    """The names of ``values`` whose column holds one value throughout (for ``rows_of`` and
    ``bound``), when there are more than ``FEW`` rows."""
    if count <= FEW:
        return frozenset()
    return frozenset(name for name, column in values.items() if len(set(column)) == 1)


def any_of(name: str, sql_type: str, count: int) -> str:
    """``IN (…)`` of ``count`` values bound one by one, or ``= ANY(…)`` of one array for more
    than ``FEW``."""
    if count > FEW:
        return f"= ANY({array_parameter(name, sql_type)})"
    return f"IN ({', '.join(f'CAST(%({name}_{i})s AS {sql_type})' for i in range(count))})"


def bound(
    values: Mapping[str, Sequence[Any]], count: int, same: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The parameters of ``rows_of`` and ``any_of`` for ``count`` rows: each list of
    ``values`` as it is for more than ``FEW`` (its one value for a name in ``same``), else one
    parameter a value."""
    if count > FEW:
        return {
            name: column[0] if name in same else list(column) for name, column in values.items()
        }
    return {
        f"{name}_{i}": value for name, column in values.items() for i, value in enumerate(column)
    }


def table_columns(table: Table, columns: Sequence[str], prefix: str) -> list[tuple[str, str, str]]:
    """``unnest``'s columns for these columns of ``table``, bound as ``{prefix}{column}``."""
    return [(c, f"{prefix}{c}", column_type(table, c)) for c in columns]


__all__ = [
    "FEW",
    "any_of",
    "array_parameter",
    "bound",
    "column_type",
    "rows_of",
    "table_columns",
    "uniform",
    "unnest",
]
