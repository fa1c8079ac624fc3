"""Sign-in over live HTTP for the tests of the town-plugin pages and the map (the small
pattern of test_console_signin.py): a console served live and a client signed in with a key."""

from __future__ import annotations

import re

import httpx

import commgov


def csrf(page: httpx.Response) -> str:
    """The CSRF token a page's form carries."""
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def signed_in(
    console: str, cg: commgov.Commgov, admin: commgov.Actor, staff: commgov.Actor
) -> httpx.Client:
    """A client of ``console`` signed in as ``staff`` with a key made for them."""
    assert staff.staff_id is not None
    key = cg.api_keys.create(admin, staff_id=staff.staff_id).secret
    client = httpx.Client(base_url=console, follow_redirects=False, timeout=30)
    form = client.get("/signin")
    answer = client.post("/signin", data={"key": key, "csrf": csrf(form)})
    assert answer.status_code == 303, answer.text
    return client
