"""Loading and saving API keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert, select, update

from commgov.errors import NotFoundError
from commgov.integrations.tables import api_keys
from commgov.integrations.views import ApiKeyView
from commgov.kernel.repository import Repository
from commgov.people.tables import departments

_COLUMNS = (*api_keys.c, departments.c.code.label("department_code"))
_JOINED = api_keys.outerjoin(departments, departments.c.id == api_keys.c.department_id)


class ApiKeyRepository(Repository):
    def add(self, values: Mapping[str, Any]) -> int:
        query = insert(api_keys).returning(api_keys.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

    def by_prefix(self, prefix: str) -> Any:
        """The key row with this public part (and its department's code), or ``None``."""
        query = select(*_COLUMNS).select_from(_JOINED).where(api_keys.c.prefix == prefix)
        return self.conn.execute(query).one_or_none()

    def get(self, key_id: int) -> Any:
        query = select(*_COLUMNS).select_from(_JOINED).where(api_keys.c.id == key_id)
        row = self.conn.execute(query).one_or_none()
        if row is None:
            raise NotFoundError("api key", key_id)
        return row

    def every(self, *, include_revoked: bool) -> list[Any]:
        query = select(*_COLUMNS).select_from(_JOINED).order_by(api_keys.c.id)
        if not include_revoked:
            query = query.where(api_keys.c.revoked_at.is_(None))
        return list(self.conn.execute(query).all())

    def revoke(self, key_id: int, at: dt.datetime) -> None:
        query = update(api_keys).where(api_keys.c.id == key_id).values(revoked_at=at)
        self.conn.execute(query)


def key_view(row: Any) -> ApiKeyView:
    if row.staff_id is not None:
        holder = f"staff:{row.staff_id}"
    elif row.department_code is not None:
        holder = f"department:{row.department_code}"
    else:
        holder = f"system:{row.system}"
    return ApiKeyView(
        id=row.id,
        prefix=row.prefix,
        label=row.label,
        holder=holder,
        scopes=tuple(row.scopes),
        created_at=row.created_at,
        created_by=row.created_by,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )
