"""Cursor pagination: a page of items and an opaque cursor to the next one."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Final, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, ConfigDict

from commgov.errors import ValidationError

T = TypeVar("T")
DEFAULT_LIMIT: Final = 50
MAX_LIMIT: Final = 500

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (1 to 500).")]
Cursor = Annotated[
    str | None,
    Query(
        max_length=200, description="The `next_cursor` of the previous page; none for the first."
    ),
]


class Page(BaseModel, Generic[T]):
    """One page: ``next_cursor`` continues after its last item (``None`` on the last page)."""

    model_config = ConfigDict(frozen=True)

    items: list[T]
    next_cursor: str | None


def encode_cursor(after: int) -> str:
    """An opaque cursor continuing after the row id ``after``."""
    raw = json.dumps({"after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str | None) -> int | None:
    """The row id a cursor continues after; ``ValidationError`` on ``cursor`` if it is not one
    of ours."""
    if text is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        after = json.loads(raw)["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise ValidationError("cursor", text, "not a cursor this API gave out") from None
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        raise ValidationError("cursor", text, "not a cursor this API gave out")
    return after


@contextmanager
def stale_cursor(cursor: str | None) -> Iterator[None]:
    """Within the block, a service's refusal of ``after_id`` (no such row any more) is a
    ``ValidationError`` on the caller's ``cursor``."""
    try:
        yield
    except ValidationError as exc:
        if exc.field != "after_id":
            raise
        raise ValidationError("cursor", cursor, "not a cursor of this list") from None


def page_of(items: Sequence[T], limit: int, key: Callable[[T], int]) -> Page[T]:
    """A page from up to ``limit + 1`` items read in key order: the extra one, when present,
    only says that another page follows."""
    shown = list(items[:limit])
    more = len(items) > limit and shown
    return Page[T](items=shown, next_cursor=encode_cursor(key(shown[-1])) if more else None)
