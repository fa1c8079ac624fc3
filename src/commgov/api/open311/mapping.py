"""Cases as GeoReport requests and their events as FixMyStreet's request updates: the state
as ``open``/``closed`` with a note, and two projections — in full for a key holder who may
read the case, the public fields for everyone else. The reporter's contact is never in clear:
a key holder sees the phone masked, the public not at all."""

from __future__ import annotations

import datetime as dt
from typing import Final

from commgov.api.open311.formats import moment
from commgov.cases.model.vocab import UNRESOLVED
from commgov.cases.views import CaseUpdateView, CaseView

OPEN_STATES: Final = frozenset(s.value for s in UNRESOLVED)
"""Reported, accepted, triaged, dispatched, in progress: ``open``; every other state is
``closed`` (resolved and waiting for the reporter's feedback included)."""
NOTES: Final = {
    "reported": "已上报 reported, waiting to be accepted",
    "accepted": "已受理 accepted",
    "triaged": "已研判 triaged",
    "dispatched": "已派单 dispatched to who will handle it",
    "in_progress": "办理中 in progress",
    "resolved": "已办结 resolved",
    "informed": "已反馈 resolved; the reporter was told",
    "visited": "已回访 resolved; follow-up visit done",
    "closed": "已闭环 closed",
    "rejected": "不予受理 not accepted",
    "withdrawn": "已撤回 withdrawn by the reporter",
    "merged": "已并件 merged into another request",
}
REJECTED: Final = {
    "invalid": "not a valid report",
    "duplicate": "a duplicate",
    "out_of_remit": "not within the town's remit",
}
FMS_STATUS: Final = {
    "reported": "open",
    "accepted": "investigating",
    "triaged": "investigating",
    "dispatched": "action_scheduled",
    "in_progress": "in_progress",
    "resolved": "fixed",
    "informed": "fixed",
    "visited": "fixed",
    "closed": "closed",
    "withdrawn": "closed",
    "merged": "duplicate",
}
"""The FixMyStreet status of each state (``servicerequestupdates``); a rejection's depends on
its kind, a reopening (a poor rating) is ``reopen``."""
FMS_REJECTED: Final = {
    "invalid": "no_further_action",
    "duplicate": "duplicate",
    "out_of_remit": "not_councils_responsibility",
}


def status(state: str) -> str:
    return "open" if state in OPEN_STATES else "closed"


def status_notes(case: CaseView) -> str:
    """The state in words, with why a case was rejected or where it was merged."""
    note = NOTES.get(case.state, case.state)
    if case.state == "rejected" and case.reject_kind is not None:
        note += f": {REJECTED.get(case.reject_kind, case.reject_kind)}"
        if case.duplicate_of is not None:
            note += f" of request {case.duplicate_of}"
    if case.state == "merged" and case.merged_into is not None:
        note = f"已并件 merged into request {case.merged_into}"
    return note


def request(
    case: CaseView,
    *,
    service_code: str,
    service_name: str | None,
    updated: dt.datetime | None,
    full: bool,
) -> dict[str, object]:
    """One request. Public fields: id, status and its note, the service, the times, the lead
    department and the grid (``address_id``); ``full`` adds the description, the point, the
    address, the first photo and the reporter's phone, masked."""
    lead = (
        case.lead.partition(":")[2] if case.lead and case.lead.startswith("department:") else None
    )
    found: dict[str, object] = {
        "service_request_id": str(case.id),
        "status": status(case.state),
        "status_notes": status_notes(case),
        "service_name": service_name,
        "service_code": service_code,
        "agency_responsible": lead,
        "service_notice": f"案件编号 case number {case.number}",
        "requested_datetime": moment(case.reported_at),
        "updated_datetime": moment(updated or case.reported_at),
        "expected_datetime": moment(case.resolve_due),
        "address_id": case.unit_code,
    }
    if full:
        found |= {
            "description": case.text,
            "address": case.address,
            "lat": case.lat,
            "long": case.lon,
            "media_url": case.photos[0] if case.photos else None,
            "phone": case.reporter_phone,
        }
    return found


def fms_status(event: CaseUpdateView) -> str:
    """The FixMyStreet status an event leaves its case in."""
    if event.action == "visit" and event.to_state == "in_progress":
        return "reopen"
    if event.to_state == "rejected":
        return FMS_REJECTED.get(str(event.data.get("kind")), "no_further_action")
    return FMS_STATUS.get(event.to_state, "open")


def update_id(case_id: int, seq: int) -> str:
    """An update's id: the case and the event's place in its history (``12-3``)."""
    return f"{case_id}-{seq}"


def update(event: CaseUpdateView, *, full: bool) -> dict[str, object]:
    """One request update. The public see the status in words; ``full`` the event's note and
    its first attachment."""
    if full:
        description = event.note or NOTES.get(event.to_state, event.to_state)
        media = event.attachments[0] if event.attachments else ""
    else:
        description, media = NOTES.get(event.to_state, event.to_state), ""
    return {
        "update_id": update_id(event.case_id, event.seq),
        "service_request_id": str(event.case_id),
        "status": fms_status(event),
        "updated_datetime": moment(event.at),
        "description": description,
        "media_url": media,
    }
