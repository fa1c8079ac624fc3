"""Turning validated resident records into stored rows, and stored rows into views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from commgov.kernel.cipher import Cipher
from commgov.people.model.personal import mask_identity, mask_name, mask_phone
from commgov.people.model.residents import ResidentRecord
from commgov.people.views import ResidentView

ID_HASH_KIND = "id"
PHONE_HASH_KIND = "phone"


def join_list(values: Sequence[str]) -> str:
    """Stored as ``;a;b;`` so a ``LIKE '%;a;%'`` finds a member; empty lists as ``''``."""
    return f";{';'.join(values)};" if values else ""


def split_stored(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.split(";") if v)


def resident_row(
    record: ResidentRecord,
    *,
    household_id: int,
    unit_id: int,
    cipher: Cipher,
    now: dt.datetime,
    id_hash: bytes | None = None,
) -> dict[str, Any]:
    """The stored row; ``id_hash`` may be passed when the caller has already computed it."""
    identity = record.identity.reveal() if record.identity else None
    if identity and id_hash is None:
        id_hash = cipher.lookup_hash(ID_HASH_KIND, identity)
    phone = record.phone.reveal() if record.phone else None
    return {
        "household_id": household_id,
        "unit_id": unit_id,
        "name": record.name,
        "id_cipher": cipher.encrypt(identity) if identity else None,
        "id_hash": id_hash,
        "phone_cipher": cipher.encrypt(phone) if phone else None,
        "phone_hash": cipher.lookup_hash(PHONE_HASH_KIND, phone) if phone else None,
        "birth_date": record.birth_date,
        "sex": record.sex,
        "care_groups": join_list(record.care_groups),
        "skills": join_list(record.skills),
        "tags": join_list(record.tags),
        "is_volunteer": record.is_volunteer,
        "is_party_member": record.is_party_member,
        "created_at": now,
    }


def resident_view(row: Any, *, unit_code: str, cipher: Cipher, visible: bool) -> ResidentView:
    """A view of a stored resident; personal values are decrypted only when ``visible``."""
    care_groups = split_stored(row.care_groups)
    identity = phone = None
    if row.id_cipher is not None:
        clear = cipher.decrypt(row.id_cipher)
        identity = clear if visible else mask_identity(clear)
    if row.phone_cipher is not None:
        clear = cipher.decrypt(row.phone_cipher)
        phone = clear if visible else mask_phone(clear)
    name = row.name if visible or not care_groups else mask_name(row.name)
    return ResidentView(
        id=row.id,
        household_id=row.household_id,
        unit_code=unit_code,
        name=name,
        identity_number=identity,
        phone=phone,
        birth_date=row.birth_date,
        sex=row.sex,
        care_groups=care_groups,
        skills=split_stored(row.skills),
        tags=split_stored(row.tags),
        is_volunteer=row.is_volunteer,
        is_party_member=row.is_party_member,
        personal_visible=visible,
        moved_in_at=row.moved_in_at or row.created_at,
        left_at=row.left_at,
        left_reason=row.left_reason,
        merged_into=row.merged_into,
    )
