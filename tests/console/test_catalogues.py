"""Every word the console shows has its Chinese: each message id used in a template
(``_("…")``), in a header link (``NavLink(…, "label")``) or as a page's title and detail has a
``zh_CN`` translation; and no two catalogues translate one id differently."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from commgov.api.console import i18n

CONSOLE = Path(i18n.__file__).resolve().parent
IN_TEMPLATE = re.compile(r"""_\(\s*"([^"]+)"\s*\)""")
IN_LINK = re.compile(r"""NavLink\(\s*"[^"]*",\s*"([^"]+)\"""")
IN_WORDS = re.compile(r""""(?:title|detail|error)":\s*"([^"]+)\"""")


def _used() -> dict[str, str]:
    """Every literal message id, with the file it is used in."""
    found: dict[str, str] = {}
    for template in sorted((CONSOLE / "templates").glob("*.html")):
        for word in IN_TEMPLATE.findall(template.read_text(encoding="utf-8")):
            found.setdefault(word, template.name)
    for module in sorted(CONSOLE.glob("*.py")):
        text = module.read_text(encoding="utf-8")
        for word in [*IN_LINK.findall(text), *IN_WORDS.findall(text)]:
            found.setdefault(word, module.name)
    return found


def test_every_word_the_console_shows_has_its_chinese() -> None:
    used = _used()
    assert {"Grids", "Sign in", "Form expired"} <= set(used)  # the scan finds words at all
    chinese = i18n.catalogue("zh_CN")
    missing = {word: where for word, where in used.items() if not chinese.get(word)}
    assert missing == {}, f"no zh_CN translation for {missing}"


def test_no_two_catalogues_disagree() -> None:
    for lang in i18n.LOCALES:
        seen: dict[str, tuple[str, str]] = {}
        for path in sorted((CONSOLE / "locales" / lang / "LC_MESSAGES").glob("*.po")):
            with path.open("rb") as handle:
                for message in read_po(handle, locale=lang):
                    if not (message.id and message.string):
                        continue
                    word, text = str(message.id), str(message.string)
                    if word in seen:
                        assert seen[word][0] == text, (lang, word, seen[word], (text, path.name))
                    seen[word] = (text, path.name)
