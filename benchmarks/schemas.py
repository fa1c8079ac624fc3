"""Throw-away PostgreSQL schemas for benchmark runs: each ``url()`` is a fresh, empty schema
on the server at ``base``; ``drop()`` removes them all."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text


class Postgres:
    def __init__(self, base: str) -> None:
        self.base = base
        self.schemas: list[str] = []

    def url(self) -> str:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        engine = create_engine(self.base)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        self.schemas.append(schema)
        return f"{self.base}{'&' if '?' in self.base else '?'}options=-csearch_path%3D{schema}"

    def drop(self) -> None:
        engine = create_engine(self.base)
        with engine.begin() as conn:
            for schema in self.schemas:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()
