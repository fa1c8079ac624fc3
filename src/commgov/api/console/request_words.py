"""The request's language as the case and rate pages say things: message ids translated,
fields by the clerk's names, the model's bilingual labels halved, a service's refusal worded."""

from __future__ import annotations

import attrs
from fastapi import Request

from commgov.api.console.i18n import gettext, language
from commgov.errors import (
    CommgovError,
    ConflictError,
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
)


@attrs.frozen
class Words:
    """The request's language: message ids translated, bilingual labels halved."""

    lang: str

    def __call__(self, message: str) -> str:
        return gettext(self.lang, message)

    def field(self, name: str) -> str:
        """A field's name as the clerk knows it (``reason``, ``单元`` …)."""
        found = self(f"field.{name}")
        return name if found == f"field.{name}" else found

    def label(self, bilingual: str) -> str:
        """``"矛盾纠纷 disputes"`` (the model's labels) in the request's language."""
        head, space, tail = bilingual.partition(" ")
        if not space or not any("\u4e00" <= ch <= "\u9fff" for ch in head):
            return bilingual
        return tail if self.lang == "en" else head

    def problem(self, exc: CommgovError) -> tuple[int, str]:
        """The status and the words for an error a service raised."""
        if isinstance(exc, ValidationError):
            text = self("The value “{value}” of “{field}” was not accepted: {reason}.")
            value = "" if exc.value is None else str(exc.value)
            return 422, text.format(
                field=self.field(exc.field), value=value, reason=self(exc.reason)
            )
        if isinstance(exc, (StateError, ConflictError)):
            return 409, self("This cannot be done now: {detail}").format(detail=exc)
        if isinstance(exc, PermissionDenied):
            return 403, self("You may not do this here.")
        if isinstance(exc, NotFoundError):
            return 404, self("Nothing was found for “{key}”.").format(key=exc.key)
        return 400, str(exc)


def words_for(request: Request) -> Words:
    """The words in the language ``request`` asks for."""
    return Words(language(request))
