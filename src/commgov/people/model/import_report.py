"""What an import did: how many records of each kind it wrote, and the rows it refused."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from commgov.errors import RowError


@attrs.frozen
class ImportReport:
    """The outcome of an import. ``kind`` is ``residents``, ``units``, ``departments`` or
    ``staff``; the counts of the other kinds stay 0. ``rejected`` lists every refused cell
    (with ``skip_invalid``; without it a bad row raises ``ImportRejected`` instead), and
    ``households_rejected`` how many households they belong to: a household is never split,
    so all its rows are refused when one is. ``encoding`` is how a CSV's text was read
    (``UTF-8``, ``UTF-8 (BOM)``, ``GB18030``, ``UTF-16``; ``None`` for a workbook or rows given
    in memory) and ``rejected_file`` where the refused rows were written, if anywhere."""

    households: int = 0
    residents: int = 0
    rejected: tuple[RowError, ...] = ()
    # the rows as given, clear values included: kept out of repr() so a logged report is safe
    rejected_rows: tuple[tuple[int, Mapping[str, Any]], ...] = attrs.field(default=(), repr=False)
    households_rejected: int = 0
    units: int = 0
    departments: int = 0
    staff: int = 0
    kind: str = "residents"
    encoding: str | None = None
    rejected_file: Path | None = None

    def summary(self) -> str:
        """One line: what was imported (``imported 3 households, 4 residents``)."""
        if self.kind == "residents":
            return f"imported {self.households} households, {self.residents} residents"
        count = {"units": self.units, "departments": self.departments, "staff": self.staff}
        return f"imported {count.get(self.kind, 0)} {self.kind}"
