"""The columns of each kind of import file and the headings (English or Chinese) that name them.

A heading is matched without regard to case, spaces or a leading ``*`` (a template's mark for a
required column); a heading written in both languages (``姓名 name``, ``name（姓名）``) is
matched by either part."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs

from commgov.errors import ValidationError
from commgov.people.model.residents import RESIDENT_FIELDS


@attrs.frozen
class ImportColumns:
    """One kind of import file: its columns in order, the ones a file must have, the Chinese
    headings for them, and the columns holding personal values (masked in a rejects file)."""

    kind: str
    names: tuple[str, ...]
    required: tuple[str, ...]
    headings: Mapping[str, str]
    masked: tuple[str, ...] = ()

    def column(self, heading: str) -> str | None:
        """The column a heading names, or ``None``."""
        for part in _parts(heading):
            plain = part.lower().replace(" ", "_")
            name = self.headings.get(part) or self.headings.get(plain) or plain
            if name in self.names:
                return name
        return None


def _parts(heading: str) -> list[str]:
    """The heading, then each of its parts when it is written in two languages."""
    text = heading.strip().lstrip("*＊").strip()
    pieces = [p.strip() for p in re.split(r"[\s()（）/／]+", text) if p.strip()]
    return [text, *pieces] if len(pieces) > 1 else [text]


RESIDENT_COLUMNS: Final = ImportColumns(
    kind="residents",
    names=("household", "unit", "address", *RESIDENT_FIELDS),
    required=("name",),
    headings={
        "户号": "household",
        "户编号": "household",
        "户编码": "household",
        "家庭编号": "household",
        "网格编码": "unit",
        "网格代码": "unit",
        "网格编号": "unit",
        "网格": "unit",
        "所属网格": "unit",
        "地址": "address",
        "住址": "address",
        "现住址": "address",
        "居住地址": "address",
        "家庭住址": "address",
        "姓名": "name",
        "身份证号": "identity_number",
        "身份证号码": "identity_number",
        "身份证": "identity_number",
        "公民身份号码": "identity_number",
        "手机号": "phone",
        "手机": "phone",
        "手机号码": "phone",
        "电话": "phone",
        "联系电话": "phone",
        "电话号码": "phone",
        "出生日期": "birth_date",
        "性别": "sex",
        "重点人群": "care_groups",
        "重点人群类别": "care_groups",
        "人群类别": "care_groups",
        "特长": "skills",
        "技能": "skills",
        "特长技能": "skills",
        "标签": "tags",
        "人员标签": "tags",
        "志愿者": "is_volunteer",
        "是否志愿者": "is_volunteer",
        "党员": "is_party_member",
        "是否党员": "is_party_member",
    },
    masked=("identity_number", "phone"),
)
UNIT_COLUMNS: Final = ImportColumns(
    kind="units",
    names=("code", "name", "kind", "parent", "grid_type", "covers"),
    required=("code", "name", "kind"),
    headings={
        "代码": "code",
        "编码": "code",
        "单位编码": "code",
        "网格编码": "code",
        "名称": "name",
        "单位名称": "name",
        "网格名称": "name",
        "类型": "kind",
        "层级": "kind",
        "级别": "kind",
        "上级": "parent",
        "上级编码": "parent",
        "上级代码": "parent",
        "上级单位": "parent",
        "网格类型": "grid_type",
        "覆盖": "covers",
        "专属类型": "covers",
        "覆盖对象": "covers",
    },
)
DEPARTMENT_COLUMNS: Final = ImportColumns(
    kind="departments",
    names=("code", "name", "kind", "unit"),
    required=("code", "name", "kind", "unit"),
    headings={
        "代码": "code",
        "编码": "code",
        "部门编码": "code",
        "部门代码": "code",
        "名称": "name",
        "部门名称": "name",
        "部门": "name",
        "类型": "kind",
        "部门类型": "kind",
        "单位": "unit",
        "所属单位": "unit",
        "单位编码": "unit",
        "网格编码": "unit",
    },
)
STAFF_COLUMNS: Final = ImportColumns(
    kind="staff",
    names=("name", "role", "units", "employment", "phone", "department"),
    required=("name", "role", "units"),
    headings={
        "姓名": "name",
        "角色": "role",
        "岗位": "role",
        "职务": "role",
        "网格": "units",
        "负责网格": "units",
        "单位": "units",
        "负责单位": "units",
        "网格编码": "units",
        "单位编码": "units",
        "unit": "units",
        "用工": "employment",
        "用工性质": "employment",
        "用工形式": "employment",
        "手机号": "phone",
        "手机": "phone",
        "电话": "phone",
        "联系电话": "phone",
        "部门": "department",
        "所属部门": "department",
        "部门编码": "department",
    },
    masked=("phone",),
)
REPORT_COLUMNS: Final = ("row", "errors")
"""The columns a rejects file adds (``write_rejected``): read and dropped, so that a fixed
rejects file imports as it is."""
COLUMNS_BY_KIND: Final = {
    c.kind: c for c in (RESIDENT_COLUMNS, UNIT_COLUMNS, DEPARTMENT_COLUMNS, STAFF_COLUMNS)
}


def normalise_header(header: Sequence[Any], columns: ImportColumns = RESIDENT_COLUMNS) -> list[str]:
    """Map each heading to a column name, or fail naming it. Trailing blank headings are
    dropped; a column named twice, or a required one missing, is refused. A rejects file's
    own columns (``REPORT_COLUMNS``) are kept by name, for the reader to drop."""
    cells = list(header)
    while cells and (cells[-1] is None or not str(cells[-1]).strip()):
        cells.pop()
    names: list[str] = []
    for cell in cells:
        text = "" if cell is None else str(cell).strip()
        name = text if text in REPORT_COLUMNS else columns.column(text)
        if name is None:
            raise ValidationError(
                "column",
                text[:40],
                f"unknown column of a {columns.kind} file; expected {', '.join(columns.names)}",
            )
        if name in names:
            raise ValidationError("column", text, f"the column {name} appears twice")
        names.append(name)
    for needed in columns.required:
        if needed not in names:
            raise ValidationError("column", needed, f"the file has no {needed} column")
    return names
