"""The unit of work: one transaction, the repositories that use it, commit whole or not at all."""

from __future__ import annotations

from types import TracebackType
from typing import TypeVar

from sqlalchemy import Connection, Engine

from commgov.kernel.repository import Repository

R = TypeVar("R", bound=Repository)


class UnitOfWork:
    """``with UnitOfWork(engine) as uow:`` commits on a clean exit, rolls back on any error.

    Every repository is reached through ``uow.repo(RepositoryClass)``: built on this
    transaction's connection the first time it is asked for, the same object after that."""

    conn: Connection

    def __init__(self, engine: Engine, *, readonly: bool = False) -> None:
        self._engine = engine
        self._readonly = readonly
        self._repos: dict[type[Repository], Repository] = {}

    def repo(self, kind: type[R]) -> R:
        """The repository of this kind bound to this transaction."""
        found = self._repos.get(kind)
        if found is None:
            found = self._repos[kind] = kind(self.conn)
        return found  # type: ignore[return-value]

    def __enter__(self) -> UnitOfWork:
        conn = self._engine.connect()
        if self._readonly:
            conn = conn.execution_options(commgov_readonly=True)
        self.conn = conn
        self._tx = conn.begin()
        self._repos.clear()
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
            self._repos.clear()
