"""The longest text each people field keeps: declared once, used by the tables' columns and by
the services' checks alike (a check names the caller's field, the column guard the column)."""

from __future__ import annotations

from typing import Final

NAME_MAX: Final = 64
"""A resident's or a staff member's name (``residents.name``, ``staff.name``)."""
ADDRESS_MAX: Final = 200
"""A household's address (``households.address``)."""
LIST_MAX: Final = 400
"""A resident's care groups, skills or tags as stored: ``;a;b;`` (``residents.care_groups``,
``residents.skills``, ``residents.tags``)."""
UNIT_CODE_MAX: Final = 64
"""A unit code, now or former (``units.code``, ``unit_code_history.code``)."""
UNIT_NAME_MAX: Final = 128
"""A unit's name (``units.name``)."""
UNIT_KIND_MAX: Final = 32
"""A unit's kind and grid type (``units.kind``, ``units.grid_type``)."""
COVERS_MAX: Final = 64
"""What a dedicated grid covers (``units.covers``)."""
REASON_MAX: Final = 200
"""Why a unit was retired (``units.retired_reason``)."""
UNIT_PATH_MAX: Final = 512
"""A unit's path of ids (``units.path``); codes of at most ``UNIT_CODE_MAX`` digits keep it
far below."""
PLUGIN_NAME_MAX: Final = 100
"""A plugin enabled on a unit (``unit_plugins.plugin``)."""
ROLE_MAX: Final = 64
"""A staff member's role (``staff.role``)."""
EMPLOYMENT_MAX: Final = 32
"""A staff member's employment (``staff.employment``)."""
DEPARTMENT_CODE_MAX: Final = 64
"""A department's code (``departments.code``)."""
DEPARTMENT_NAME_MAX: Final = 128
"""A department's name (``departments.name``)."""
DEPARTMENT_KIND_MAX: Final = 64
"""A department's kind (``departments.kind``)."""
LEFT_REASON_MAX: Final = 32
"""Why a resident's record or a residency ended: a code such as ``died``, ``moved_out``,
``moved``, ``merged`` (``residents.left_reason``, ``residencies.end_reason``)."""
