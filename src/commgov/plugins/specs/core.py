"""Core hooks: the vocabulary of the store and the permission policy.

Two kinds of hooks:

- *registry* hooks are collected from every available plugin, whichever town enables it:
  they add names to the store's vocabulary (roles, care groups, tags, kinds).
- *rule* hooks decide things; they are called on the plugins enabled for the town (unit
  subtree) the decision concerns, the town's plugins before the core defaults. Hooks marked
  ``firstresult`` stop at the first implementation that returns something other than ``None``.
"""

from __future__ import annotations

from commgov.domain.access import Target
from commgov.domain.actors import Actor, RoleSpec
from commgov.plugins.markers import hookspec

# -- registry hooks --------------------------------------------------------------------------


@hookspec
def commgov_roles() -> list[RoleSpec]:  # type: ignore[empty-body]
    """Roles this plugin adds (e.g. 金牌调解师 mediator), each acting as a core role."""


@hookspec
def commgov_care_groups() -> dict[str, str]:  # type: ignore[empty-body]
    """Care-group tags (重点人群) this plugin adds, as ``{name: label}``."""


@hookspec
def commgov_resident_tags() -> dict[str, str]:  # type: ignore[empty-body]
    """Free resident tags this plugin adds, as ``{name: label}``."""


@hookspec
def commgov_department_kinds() -> dict[str, str]:  # type: ignore[empty-body]
    """Kinds of department cases can be sent to (police, fire …), as ``{name: label}``."""


@hookspec
def commgov_dedicated_grid_covers() -> dict[str, str]:  # type: ignore[empty-body]
    """What dedicated grids may cover (school, market …), as ``{name: label}``."""


@hookspec
def commgov_record_kinds() -> dict[str, str]:  # type: ignore[empty-body]
    """Kinds of plugin record this plugin keeps (visit logs, minutes …), as ``{name: label}``."""


# -- rule hooks ------------------------------------------------------------------------------


@hookspec(firstresult=True)
def commgov_permission(actor: Actor, action: str, target: Target, acts_as: str) -> bool | None:
    """Decide whether ``actor`` may perform ``action`` on ``target``.

    ``acts_as`` is the core role the actor's role maps to. Return ``True`` or ``False`` to
    decide, ``None`` to leave the decision to the next plugin (in the end, the default policy).
    """
