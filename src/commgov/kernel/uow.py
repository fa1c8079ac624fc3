"""The unit of work: one transaction, the repositories that use it, commit whole or not at all.

Units of work nest: one opened while another is open on the same engine in the same thread (a
service called from a hook, or inside ``Commgov.transaction()``) joins it, under a savepoint,
instead of starting a transaction of its own. The outer one decides: all is committed with it
or rolled back with it. An inner one that fails rolls back to its savepoint and raises, so a
caller that catches the error keeps a usable transaction."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar, Token
from types import TracebackType
from typing import TypeVar

from sqlalchemy import Connection, Engine, NestedTransaction
from sqlalchemy.exc import StatementError

from commgov.errors import CommgovError, StateError
from commgov.kernel.repository import Repository

R = TypeVar("R", bound=Repository)
_current: ContextVar[UnitOfWork | None] = ContextVar("commgov_unit_of_work", default=None)


def current_unit_of_work(engine: Engine) -> UnitOfWork | None:
    """The unit of work open on ``engine`` in this thread (or task), if any."""
    found = _current.get()
    return found if found is not None and found._engine is engine else None


class UnitOfWork:
    """``with UnitOfWork(engine) as uow:`` commits on a clean exit, rolls back on any error.
    With ``savepoint=False`` one that joins an outer unit of work takes no savepoint of its
    own (for the library's internal calls, whose failure fails the outer one anyway); with
    ``whole=True`` no unit of work joining this one takes a savepoint: any failure inside
    fails it whole (an HTTP request's transaction, which nothing inside catches and goes on).

    Every repository is reached through ``uow.repo(RepositoryClass)``: built on this
    transaction's connection the first time it is asked for, the same object after that."""

    conn: Connection

    def __init__(
        self, engine: Engine, *, readonly: bool = False, savepoint: bool = True, whole: bool = False
    ) -> None:
        self._engine = engine
        self._readonly = readonly
        self._own_savepoint = savepoint
        self._whole = whole
        self._repos: dict[type[Repository], Repository] = {}
        self._outer: UnitOfWork | None = None
        self._token: Token[UnitOfWork | None] | None = None
        self._savepoint: NestedTransaction | None = None
        self._on_commit: list[Callable[[], None]] = []

    @property
    def whole(self) -> bool:
        """Does a failure anywhere inside fail this unit of work whole (no savepoints)?"""
        return self._whole

    @property
    def joined(self) -> bool:
        """Is this unit of work part of an outer one (it does not commit by itself)?"""
        return self._outer is not None

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the transaction has committed (never if it rolls back, nor
        if this unit of work, joined to an outer one, rolls back to its savepoint): for
        caches that may only learn what the store really holds."""
        self._on_commit.append(callback)

    def repo(self, kind: type[R]) -> R:
        """The repository of this kind bound to this transaction."""
        found = self._repos.get(kind)
        if found is None:
            found = self._repos[kind] = kind(self.conn)
        return found  # type: ignore[return-value]

    def __enter__(self) -> UnitOfWork:
        outer = current_unit_of_work(self._engine)
        if outer is not None:
            return self._join(outer)
        conn = self._engine.connect()
        if self._readonly:
            conn = conn.execution_options(commgov_readonly=True)
        self.conn = conn
        self._tx = conn.begin()
        self._repos.clear()
        self._token = _current.set(self)
        return self

    def _join(self, outer: UnitOfWork) -> UnitOfWork:
        if outer._readonly and not self._readonly:
            raise StateError("a write cannot run inside a read-only unit of work")
        self._outer = outer
        self.conn = outer.conn
        self._repos = outer._repos
        nested = self._own_savepoint and not self._readonly and not outer._whole
        self._savepoint = self.conn.begin_nested() if nested else None
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        callbacks, self._on_commit = self._on_commit, []
        if self._outer is not None:
            if exc_type is None:
                self._outer._on_commit.extend(callbacks)
            self._leave(exc_type is None)
        else:
            committed = False
            try:
                if exc_type is None and not self._readonly:
                    self._tx.commit()
                    committed = True
                else:
                    self._tx.rollback()
            finally:
                if self._token is not None:
                    _current.reset(self._token)
                    self._token = None
                self.conn.close()
                self._repos.clear()
            if committed:
                for callback in callbacks:
                    callback()
        if isinstance(exc, StatementError) and isinstance(exc.orig, CommgovError):
            raise exc.orig from None  # a value a column refused (``commgov.kernel.columns``)

    def _leave(self, clean: bool) -> None:
        savepoint, self._savepoint = self._savepoint, None
        self._outer = None
        if savepoint is None or not savepoint.is_active:
            return
        if clean:
            savepoint.commit()
        else:
            savepoint.rollback()
