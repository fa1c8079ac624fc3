"""Personal data: encrypted at rest, masked in every output path unless the role may see it."""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import pytest
from rich.pretty import pretty_repr
from sqlalchemy import select
from tests.conftest import SECRET, Town, build_town, make_identity, with_wrong_check

import commgov
from commgov.people import tables as t

NUMBER = make_identity("19450302", 2)
MASKED = NUMBER[:3] + "*" * 11 + NUMBER[-4:]
PHONE = "13912345678"
NAME = "张秀英"
SECRETS = (NUMBER, PHONE, NAME)


def elder(town: Town) -> commgov.ResidentView:
    """A care-group member with an identity number and a phone, added by the system actor."""
    home = town.cg.residents.add_household(town.admin, unit=town.grid_a1, address="东关街1号")
    return town.cg.residents.add_resident(
        town.admin, household_id=home.id, name=NAME, identity_number=NUMBER, phone=PHONE,
        care_groups="living_alone;disability",
    )  # fmt: skip


def assert_masked(text: str) -> None:
    for clear in SECRETS:
        assert clear not in text


def test_clear_values_never_reach_the_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "town.db"
    with commgov.open(path, secret_key=SECRET, discover_plugins=False) as cg:
        town = build_town(cg)
        elder(town)
        cg.staff.add(town.admin, name="网格员", role="grid_worker", units=[town.grid_a1],
                     phone="13700001111")  # fmt: skip
        found = cg.residents.find_by_identity(town.admin, NUMBER)
        assert found is not None and (found.name, found.phone) == (NAME, PHONE)
        assert [r.name for r in cg.residents.find_by_phone(town.admin, PHONE)] == [NAME]
        assert cg.residents.find_by_identity(town.admin, make_identity("19450302", 4)) is None
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("town.db*"))  # with -wal and -shm
    assert "东关街1号".encode() in raw  # the file is readable: the check below can fail
    for clear in (NUMBER, PHONE, "13700001111"):
        assert clear.encode() not in raw
        assert clear.encode("utf-16-le") not in raw


def test_clear_values_never_reach_postgresql(pg_url: str) -> None:
    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False) as cg:
        town = build_town(cg)
        elder(town)
        with cg.context.uow(readonly=True) as uow:
            rows = uow.conn.execute(select(t.residents)).all()
        stored = repr(rows)
        assert NAME in stored  # names are not encrypted: the check below can fail
        assert NUMBER not in stored and PHONE not in stored
        assert NUMBER.encode() not in rows[0].id_cipher
        found = cg.residents.find_by_identity(town.admin, NUMBER)
        assert found is not None and found.identity_number == NUMBER


def test_reprs_strs_and_logs_are_masked(town: Town, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    view = elder(town)
    assert (view.identity_number, view.phone, view.name) == SECRETS  # the system may read them
    assert view.personal_visible
    for text in (repr(view), str(view), f"{view}", pretty_repr(view), caplog.text):
        assert_masked(text)
    assert MASKED in repr(view) and "139****5678" in repr(view) and "张**" in repr(view)
    assert "added" in caplog.text and MASKED in caplog.text  # the service logged the masked view
    logging.getLogger("app").info("saw %s / %r / %s", view, view, [view])
    assert_masked(caplog.text)
    number, phone = commgov.IdentityNumber.parse(NUMBER), commgov.Phone.parse(PHONE)
    for text in (repr(number), str(number), f"{number}", repr(phone), str(phone)):
        assert_masked(text)


def test_a_visible_name_outside_care_groups_is_kept_in_repr(town: Town) -> None:
    home = town.household(town.grid_a1, {"name": "李四", "birth_date": "1980-01-01", "sex": "M"})
    view = town.cg.residents.get(town.admin, home.member_ids[0])
    assert "李四" in repr(view)  # only care-group members' names are personal data


def test_error_messages_mask_identity_numbers(town: Town) -> None:
    home = town.cg.residents.add_household(town.admin, unit=town.grid_a1, address="x")
    bad = with_wrong_check(NUMBER)
    with pytest.raises(commgov.ValidationError) as caught:
        town.cg.residents.add_resident(town.admin, household_id=home.id, name="甲",
                                       identity_number=bad)  # fmt: skip
    assert caught.value.value == MASKED[:-1] + bad[-1]
    assert bad not in str(caught.value) and bad not in repr(caught.value)
    elder(town)
    with pytest.raises(commgov.ConflictError) as conflict:
        town.cg.residents.add_resident(town.admin, household_id=home.id, name="乙",
                                       identity_number=NUMBER)  # fmt: skip
    assert MASKED in str(conflict.value) and NUMBER not in str(conflict.value)
    with pytest.raises(commgov.ValidationError) as lookup:
        town.cg.residents.find_by_identity(town.admin, bad)
    assert bad not in str(lookup.value)


def test_import_errors_and_reports_are_masked(town: Town) -> None:
    elder(town)
    bad = with_wrong_check(make_identity("19700101", 5))
    rows = [
        {"unit": town.grid_a1, "address": "a", "name": "甲", "identity_number": bad},
        {"unit": town.grid_a1, "address": "b", "name": "乙", "identity_number": NUMBER},
        {"unit": town.grid_a1, "address": "c", "name": "丙", "identity_number": "",
         "birth_date": "1990-01-01", "sex": "F", "phone": "139123456"},
    ]  # fmt: skip
    with pytest.raises(commgov.ImportRejected) as caught:
        town.cg.imports.import_rows(town.admin, rows)
    text = str(caught.value) + repr(caught.value) + "".join(map(str, caught.value.errors))
    assert bad not in text and NUMBER not in text and "139123456" not in text
    report = town.cg.imports.import_rows(town.admin, rows, skip_invalid=True)
    assert len(report.rejected) == 3 and report.residents == 0
    assert bad not in repr(report) and NUMBER not in repr(report)
    assert report.rejected_rows[0][1]["identity_number"] == bad  # the caller gets its rows back


def test_roles_without_personal_rights_get_masked_views(town: Town) -> None:
    person = elder(town)
    department = town.worker(town.town, role="department_staff")
    for view in (
        town.cg.residents.get(department, person.id),
        *town.cg.residents.members(department, person.household_id),
        *town.cg.residents.under(department, town.town),
        *town.cg.residents.under(department, town.town, care_group="living_alone"),
    ):
        assert not view.personal_visible
        assert (view.identity_number, view.phone, view.name) == (MASKED, "139****5678", "张**")
        assert_masked(view.model_dump_json())
        assert_masked(str(view.model_dump()))
    own_worker = town.worker(town.grid_a1)
    clear = town.cg.residents.get(own_worker, person.id)
    assert (clear.identity_number, clear.phone, clear.name) == SECRETS
    assert clear.personal_visible
    assert_masked(repr(clear))


def test_lookups_give_outsiders_nothing(town: Town) -> None:
    """A worker elsewhere learns neither that a number is on file nor where its holder lives."""
    elder(town)
    outsider = town.worker(town.grid_b1)
    assert town.cg.residents.find_by_identity(outsider, NUMBER) is None
    assert town.cg.residents.find_by_phone(outsider, PHONE) == []
    department = town.worker(town.town, role="department_staff")
    found = town.cg.residents.find_by_identity(department, NUMBER)
    assert found is not None and found.identity_number == MASKED
    assert [r.phone for r in town.cg.residents.find_by_phone(department, PHONE)] == ["139****5678"]


def test_staff_phones_are_always_masked(town: Town) -> None:
    view = town.cg.staff.add(
        town.admin, name="王网格", role="grid_worker", units=[town.grid_a1], phone="137-0000-1111"
    )
    assert view.phone == "137****1111"
    assert town.cg.staff.get(town.admin, view.id).phone == "137****1111"
    assert "13700001111" not in town.cg.staff.workers(town.admin, town.grid_a1)[0].model_dump_json()


def test_exports_follow_the_callers_rights(town: Town, tmp_path: Path) -> None:
    elder(town)
    town.household(town.grid_b1, {"name": "钱八", "birth_date": "1980-01-01", "sex": "M"})
    department = town.worker(town.town, role="department_staff")
    masked, clear = tmp_path / "masked.csv", tmp_path / "clear.csv"
    assert town.cg.residents.export_csv(department, town.town, masked) == 2
    assert town.cg.residents.export_csv(town.worker(town.grid_a1), town.grid_a1, clear) == 1
    text = masked.read_text(encoding="utf-8")
    assert_masked(text)
    by_name = {r["name"]: r for r in csv.DictReader(masked.open(encoding="utf-8"))}
    assert by_name["张**"]["identity_number"] == MASKED
    assert by_name["钱八"]["identity_number"] == ""  # no number: nothing to mask, name kept
    (row,) = csv.DictReader(clear.open(encoding="utf-8"))
    assert (row["identity_number"], row["phone"], row["name"]) == SECRETS
    assert row["care_groups"] == "living_alone;disability"
    assert row["birth_date"] == "1945-03-02" and row["sex"] == "F"


def test_export_is_refused_outside_the_actors_reach(town: Town, tmp_path: Path) -> None:
    elder(town)
    with pytest.raises(commgov.PermissionDenied):
        town.cg.residents.export_csv(town.worker(town.grid_b1), town.grid_a1, tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()
