"""A refused query value said in words naming the field and the value, and the page saying
that nothing was found."""

from __future__ import annotations

from typing import Final

import attrs
from fastapi import Request
from starlette.responses import Response

from commgov.api.console.i18n import gettext, language
from commgov.api.console.site import ConsoleSite, Visitor

SHOWN_MOST: Final = 40
"""The most characters of a refused value repeated back on a page."""
FIELD_LABELS: Final = {
    "resident_id": "Resident number",
    "from": "From (day)",
    "to": "To (day)",
    "state": "State",
    "unit": "Unit",
    "resource": "Resource number",
    "days": "Days",
}
"""The words for each field a console query takes (message ids)."""


@attrs.frozen
class Problem:
    """A refused query value: the page's ``field``, the ``value`` given and why (``reason``,
    a message id with ``{placeholders}`` filled from ``args``)."""

    field: str
    value: str
    reason: str
    args: tuple[tuple[str, str], ...] = ()

    def words(self, lang: str) -> str:
        """The refusal in ``lang``: the field's label and name, the value, the reason."""
        reason = gettext(lang, self.reason).format(**dict(self.args))
        label = gettext(lang, FIELD_LABELS.get(self.field, self.field))
        shown = self.value if len(self.value) <= SHOWN_MOST else self.value[:SHOWN_MOST] + "…"
        return gettext(lang, "{label} ({field}) “{value}”: {reason}").format(
            label=label, field=self.field, value=shown, reason=reason
        )


class Refused(Exception):
    """A query value the page refuses; carries the ``Problem``."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.field}={problem.value!r}: {problem.reason}")
        self.problem = problem


def not_found(site: ConsoleSite, request: Request, visitor: Visitor, detail: str) -> Response:
    """The 404 page with ``detail`` (already in the request's language)."""
    title = gettext(language(request), "Not found")
    words = {"title": title, "detail": detail}
    return site.page(request, visitor, "error.html", words, status=404)
