"""The unit of work: one transaction, the repositories that use it, commit whole or not at all."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine

from commgov.store.repositories import (
    AuditRepository,
    DepartmentRepository,
    HouseholdRepository,
    MetaRepository,
    ResidentRepository,
    StaffRepository,
    UnitRepository,
)


class UnitOfWork:
    """``with UnitOfWork(engine) as uow:`` commits on a clean exit, rolls back on any error."""

    conn: Connection
    units: UnitRepository
    households: HouseholdRepository
    residents: ResidentRepository
    staff: StaffRepository
    departments: DepartmentRepository
    audit: AuditRepository
    meta: MetaRepository

    def __init__(self, engine: Engine, *, readonly: bool = False) -> None:
        self._engine = engine
        self._readonly = readonly

    def __enter__(self) -> UnitOfWork:
        conn = self._engine.connect()
        if self._readonly:
            conn = conn.execution_options(commgov_readonly=True)
        self.conn = conn
        self._tx = conn.begin()
        self.units = UnitRepository(conn)
        self.households = HouseholdRepository(conn)
        self.residents = ResidentRepository(conn)
        self.staff = StaffRepository(conn)
        self.departments = DepartmentRepository(conn)
        self.audit = AuditRepository(conn)
        self.meta = MetaRepository(conn)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None and not self._readonly:
                self._tx.commit()
            else:
                self._tx.rollback()
        finally:
            self.conn.close()
