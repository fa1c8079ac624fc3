"""The console's words: message catalogues (every ``locales/<lang>/LC_MESSAGES/*.po``, one
per group of pages, read with Babel) for Chinese (the default) and English, and the language a
request asks for: the ``lang`` query parameter, then the ``commgov_lang`` cookie, then
``Accept-Language``."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Final

from babel.messages.pofile import read_po
from starlette.requests import Request

LOCALES: Final = ("zh_CN", "en")
DEFAULT: Final = "zh_CN"
LANG_COOKIE: Final = "commgov_lang"
_HERE = Path(__file__).resolve().parent / "locales"


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """The translations of ``lang``: message id to text (ids are English)."""
    words: dict[str, str] = {}
    for path in sorted((_HERE / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            found = read_po(handle, locale=lang)
        words.update({str(m.id): str(m.string) for m in found if m.id and m.string})
    return words


def language(request: Request) -> str:
    """The language the request asks for, among ``LOCALES``."""
    for given in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        found = _known(given)
        if found is not None:
            return found
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        found = _known(part.split(";")[0].strip())
        if found is not None:
            return found
    return DEFAULT


def _known(given: str | None) -> str | None:
    if not given:
        return None
    tag = given.replace("-", "_").lower()
    if tag.startswith("zh"):
        return "zh_CN"
    if tag.startswith("en"):
        return "en"
    return None


def gettext(lang: str, message: str) -> str:
    """``message`` in ``lang`` (itself when the catalogue has no translation)."""
    return catalogue(lang).get(message, message)
