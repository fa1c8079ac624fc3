"""The glossary (``docs/glossary.md``) names real code: every row has a Chinese term and an
English name, every code name in its third column is found in the source (``src/commgov``, and
the town plugins' ``plugins/*/src`` for the town methods), and no Chinese term appears twice."""

from __future__ import annotations

import functools
import keyword
import re
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "glossary.md"
SOURCES = (ROOT / "src" / "commgov", *sorted((ROOT / "plugins").glob("*/src")))
FACADE = ROOT / "src" / "commgov" / "facade.py"
CJK = re.compile(r"[\u3400-\u9fff]")
SPAN = re.compile(r"`([^`]+)`")
QUOTED = re.compile(r"\"([^\"]*)\"|'([^']*)'")
PATH = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
DEFINED = re.compile(r"^[ \t]*(?:(?:async[ \t]+)?(?:class|def)[ \t]+(\w+)|(\w+)[ \t]*[:=])", re.M)
METHOD = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)", re.M)
STORE_ATTRIBUTE = re.compile(r"^[ \t]+self\.(\w+)[ \t]*=|^[ \t]+def[ \t]+(\w+)", re.M)


class Row(NamedTuple):
    line: int
    chinese: str
    english: str
    code: str
    meaning: str


def rows() -> list[Row]:
    """The body rows of every table on the page."""
    found = []
    for number, text in enumerate(PAGE.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.startswith("|"):
            continue
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
        if cells[0] == "中文" or all(set(c) <= {"-", ":"} for c in cells):
            continue  # the header and the line under it
        assert len(cells) == 4, f"glossary.md:{number}: expected 4 cells, got {cells}"
        found.append(Row(number, *cells))
    return found


@functools.cache
def source() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8") for root in SOURCES for path in sorted(root.rglob("*.py"))
    )


@functools.cache
def defined() -> frozenset[str]:
    """Names a class, function, assignment, field or keyword argument line defines."""
    return frozenset(a or b for a, b in DEFINED.findall(source()))


@functools.cache
def methods() -> frozenset[str]:
    return frozenset(METHOD.findall(source()))


@functools.cache
def store_attributes() -> frozenset[str]:
    """What ``cg.<name>`` may be: the services and methods of the store object."""
    return frozenset(a or b for a, b in STORE_ATTRIBUTE.findall(FACADE.read_text("utf-8")))


def missing(code: str) -> list[str]:
    """The code names in ``code`` (backticked spans) the source does not have.

    A quoted value (``"closed"``) must occur quoted in the source; ``cg.<service>.<method>``
    must be a service of the store and a method defined somewhere; any other name or dotted
    path must have each of its parts defined (a class and its field, a constant, a hook)."""
    problems = []
    text = source()
    for span in SPAN.findall(code):
        for match in QUOTED.finditer(span):
            value = match.group(1) if match.group(1) is not None else match.group(2)
            if f'"{value}"' not in text and f"'{value}'" not in text:
                problems.append(f'"{value}"')
        for path in PATH.findall(QUOTED.sub(" ", span)):
            if keyword.iskeyword(path):
                continue
            head, *rest = path.split(".")
            if head == "cg":
                ok = bool(rest) and rest[0] in store_attributes()
                ok = ok and all(part in methods() for part in rest[1:])
            else:
                ok = all(part in defined() for part in (head, *rest))
            if not ok:
                problems.append(path)
    return problems


def test_every_row_has_a_chinese_term_an_english_name_and_a_meaning() -> None:
    found = rows()
    assert 40 <= len(found) <= 100, len(found)
    for row in found:
        where = f"glossary.md:{row.line}"
        assert CJK.search(row.chinese), f"{where}: no Chinese term in {row.chinese!r}"
        assert re.search(r"[A-Za-z]", row.english), f"{where}: no English name"
        assert not CJK.search(row.english), f"{where}: the English name {row.english!r}"
        assert SPAN.search(row.code), f"{where}: no code name for {row.english!r}"
        assert row.meaning, f"{where}: no meaning for {row.english!r}"


def test_every_code_name_is_found_in_the_source() -> None:
    problems = {f"glossary.md:{row.line}": missing(row.code) for row in rows()}
    assert {where: names for where, names in problems.items() if names} == {}


def test_the_check_refuses_names_the_source_does_not_have() -> None:
    assert missing('`CaseView.state == "closed"`, `cg.cases.report`, `GRID_WORKER`') == []
    wrong = '`CaseView.wingspan`, `cg.nowhere`, `cg.cases.teleport`, `NoSuchThing`, `"no-such"`'
    expected = ["CaseView.wingspan", "cg.nowhere", "cg.cases.teleport", "NoSuchThing", '"no-such"']
    assert missing(wrong) == expected


def test_no_chinese_term_appears_twice() -> None:
    seen: dict[str, int] = {}
    twice = []
    for row in rows():
        if row.chinese in seen:
            twice.append(f"{row.chinese} (lines {seen[row.chinese]} and {row.line})")
        seen.setdefault(row.chinese, row.line)
    assert twice == []
