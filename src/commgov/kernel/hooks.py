"""Kernel hooks: the roles of the store and the permission policy.

Two kinds of hooks:

- *registry* hooks are collected from every available plugin, whichever town enables it:
  they add names to the store's vocabulary (roles, care groups, tags, kinds).
- *rule* hooks decide things; they are called on the plugins enabled for the town (unit
  subtree) the decision concerns, the town's plugins before the core defaults. Hooks marked
  ``firstresult`` stop at the first implementation that returns something other than ``None``.
"""

from __future__ import annotations

from commgov.kernel.access import Target
from commgov.kernel.actors import Actor, RoleSpec
from commgov.kernel.markers import hookspec

# -- registry hooks --------------------------------------------------------------------------


@hookspec
def commgov_roles() -> list[RoleSpec]:  # type: ignore[empty-body]
    """Roles this plugin adds (e.g. 金牌调解师 mediator), each acting as a core role."""


# -- rule hooks ------------------------------------------------------------------------------


@hookspec(firstresult=True)
def commgov_permission(actor: Actor, action: str, target: Target, acts_as: str) -> bool | None:
    """Decide whether ``actor`` may perform ``action`` on ``target``.

    ``acts_as`` is the core role the actor's role maps to. Return ``True`` or ``False`` to
    decide, ``None`` to leave the decision to the next plugin (in the end, the default policy).
    """
