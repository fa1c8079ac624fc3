"""``ConsoleSite``: what every console page needs: who is signed in, the CSRF check on forms,
the staff-only guard, and rendering with the navigation and the signed-in person filled in."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, Final

import attrs
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from commgov.api.console.pages import render
from commgov.api.console.sessions import COOKIE, Session, unseal
from commgov.errors import NotAuthenticated
from commgov.kernel.actors import RESIDENT, Actor

if TYPE_CHECKING:
    from commgov.facade import Commgov


@attrs.frozen
class NavLink:
    """A link in the console's header: ``path`` under the console, ``label`` a message id;
    shown to staff only (the default), to residents only, or to both."""

    path: str
    label: str
    staff_only: bool = True
    resident_only: bool = False

    def shown_to(self, visitor: Visitor) -> bool:
        return not (self.staff_only and visitor.is_resident) and not (
            self.resident_only and not visitor.is_resident
        )


CORE_NAV: Final = (NavLink("/grids", "Grids"),)


@attrs.frozen
class Visitor:
    """A signed-in person: their session (for the forms' token) and the actor they act as."""

    session: Session
    actor: Actor

    @property
    def is_resident(self) -> bool:
        return self.actor.role == RESIDENT


class ConsoleSite:
    """The console's shared services, handed to every group of pages."""

    def __init__(self, cg: Commgov, *, secure_cookies: bool = False) -> None:
        self.cg = cg
        self.secure_cookies = secure_cookies
        self.nav: list[NavLink] = list(CORE_NAV)

    def add_nav(self, link: NavLink) -> None:
        """Show ``link`` in the header (once)."""
        if link not in self.nav:
            self.nav.append(link)

    @staticmethod
    def here(request: Request, path: str) -> str:
        """``path`` under the console's mount point."""
        return f"{request.scope.get('root_path', '')}{path}"

    def visitor(self, request: Request) -> Visitor | None:
        """Who is signed in: ``None`` without a valid session, or when its key no longer opens
        (revoked, expired, or its holder has left)."""
        session = unseal(request.cookies.get(COOKIE), self.cg.context.cipher)
        if session is None:
            return None
        try:
            return Visitor(session=session, actor=self.cg.api_keys.holder(session.key).actor)
        except NotAuthenticated:
            return None

    def to_signin(self, request: Request) -> Response:
        """Back to the sign-in form, the session cookie dropped."""
        response = RedirectResponse(self.here(request, "/signin"), status_code=303)
        response.delete_cookie(COOKIE, path=self.here(request, "/") or "/")
        return response

    def staff(self, request: Request) -> Visitor | Response:
        """The signed-in staff member, or the answer to give instead: the sign-in form for no
        session, a refusal (403) for a resident."""
        visitor = self.visitor(request)
        if visitor is None:
            return self.to_signin(request)
        if visitor.is_resident:
            words = {"title": "Not for residents", "detail": "This page is for community staff."}
            return self.page(request, visitor, "error.html", words, status=403)
        return visitor

    def anyone(self, request: Request) -> Visitor | Response:
        """The signed-in person (staff or resident), or the sign-in form."""
        visitor = self.visitor(request)
        return self.to_signin(request) if visitor is None else visitor

    def form_ok(self, visitor: Visitor, csrf: str) -> bool:
        """Whether a form carries the session's CSRF token."""
        return bool(csrf) and secrets.compare_digest(visitor.session.csrf, csrf)

    def refused_form(self, request: Request) -> Response:
        """The answer to a form without its token (403); nothing was done."""
        words = {"title": "Form expired", "detail": "The form was not sent from this console."}
        return render(request, "error.html", words, status=403)

    def page(
        self,
        request: Request,
        visitor: Visitor,
        template: str,
        context: dict[str, Any],
        *,
        status: int = 200,
    ) -> Response:
        """``template`` for ``visitor``: the header shows them, their sign-out form and the
        links they may follow."""
        links = [n for n in self.nav if n.shown_to(visitor)]
        full = {"csrf": visitor.session.csrf, "actor": visitor.actor, "nav": links, **context}
        return render(request, template, full, status=status)
