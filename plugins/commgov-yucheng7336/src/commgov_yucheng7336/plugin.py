"""The hooks of Chengguan's 7336 method (loaded through the ``commgov`` entry point)."""

from __future__ import annotations

from commgov import CategorySpec, RoleSpec, hookimpl
from commgov_yucheng7336 import vocab

commgov_plugin_name = vocab.NAME


@hookimpl
def commgov_roles() -> list[RoleSpec]:
    return list(vocab.ROLES)


@hookimpl
def commgov_record_kinds() -> dict[str, str]:
    return dict(vocab.RECORD_KINDS)


@hookimpl
def commgov_case_categories() -> list[CategorySpec]:
    return list(vocab.CATEGORIES)
