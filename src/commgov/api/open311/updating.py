"""``POST servicerequestupdates`` (FixMyStreet's extension): the form checked whole, then the
status made into the step its table names (``steps``) from the case's state when it is
done — once per ``update_id`` of the key's holder."""

from __future__ import annotations

from commgov.api.open311.access import Store
from commgov.api.open311.errors import invalid
from commgov.api.open311.forms import Params, identifier, media_url, moment
from commgov.api.open311.mapping import update_id
from commgov.api.open311.reading import Lister
from commgov.api.open311.steps import command
from commgov.api.open311.writing import MEDIA_MOST, Posting
from commgov.cases.model.limits import NOTE_MAX
from commgov.cases.views import parse_action
from commgov.kernel.actors import Actor
from commgov.people.model.units import Unit


def posting(store: Store, town: Unit, actor: Actor, params: Params) -> Posting:
    """The update the form makes, checked; its key is the client's ``update_id``."""
    rid = identifier("service_request_id", params.required("service_request_id", most=20))
    theirs = params.required("update_id", most=200)
    moment("updated_datetime", params.text("updated_datetime", most=64), store.ctx.zone)
    status = params.required("status", most=40).upper()
    media = tuple(media_url("media_url", u) for u in params.all("media_url", "media_url[]"))
    if len(media) > MEDIA_MOST:
        raise invalid("media_url", len(media), f"at most {MEDIA_MOST} media_url")
    note = params.text("description", most=NOTE_MAX)
    given = params.attributes()
    lister = Lister(store, actor, town)

    def work() -> list[object]:
        case, _ = lister.one(rid)
        step = command(status, case.state, note=note, attachments=media, attributes=given)
        _, checked = parse_action({"case_id": rid, "command": step})
        done = store.cases.act(actor, rid, checked)
        return [{"update_id": update_id(done.id, done.version)}]

    fields: dict[str, object] = {
        "service_request_id": rid,
        "status": status,
        "description": note,
        "media_url": list(media),
        "attributes": given,
    }
    return Posting(work, fields, key=f"open311-update:{theirs}")
