"""Identity numbers (GB 11643), phones and masks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import make_identity, with_wrong_check

from commgov.errors import ValidationError
from commgov.people.model.personal import (
    IdentityNumber,
    Phone,
    identity_check_char,
    mask_identity,
    mask_name,
    mask_phone,
)

GOOD = "11010519491231002X"  # the standard's own example: check character X
TODAY = dt.date(2025, 6, 30)


def test_standard_example_is_valid() -> None:
    number = IdentityNumber.parse(GOOD)
    assert number.birth_date == dt.date(1949, 12, 31)
    assert number.sex == "F"  # 17th digit 2 is even
    assert number.region == "110105"


def test_birth_date_and_sex_come_from_the_number() -> None:
    man = IdentityNumber.parse(make_identity("19620715", 13))
    assert (man.birth_date, man.sex, man.region) == (dt.date(1962, 7, 15), "M", "411425")
    woman = IdentityNumber.parse(make_identity("20000229", 8))  # a leap day
    assert (woman.birth_date, woman.sex) == (dt.date(2000, 2, 29), "F")


def test_lowercase_x_and_spaces_are_accepted() -> None:
    number = IdentityNumber.parse(" 11010519491231002x ")
    assert number.reveal() == GOOD
    assert number == IdentityNumber.parse(GOOD)


def test_a_birth_today_is_accepted_and_tomorrow_is_not() -> None:
    assert IdentityNumber.parse(make_identity("20250630"), today=TODAY).birth_date == TODAY
    with pytest.raises(ValidationError, match="future"):
        IdentityNumber.parse(make_identity("20250701"), today=TODAY)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (with_wrong_check(GOOD), "check character"),
        (make_identity("19490230"), "not a real date"),  # 30 February, right check character
        (make_identity("19490431"), "not a real date"),  # 31 April
        (make_identity("19491301"), "not a real date"),  # month 13
        (make_identity("20990101"), "future"),
        (make_identity("18891231"), "before 1890"),
        (GOOD[:17], "18 characters, has 17"),
        (GOOD + "1", "18 characters, has 19"),
        ("411425800101123", "18 characters, has 15"),  # the old 15-digit form
        ("1101051949123100AX", "17 digits"),
        ("010105194912310020", "17 digits"),  # a region code cannot start with 0
        ("", "18 characters, has 0"),
    ],
)
def test_bad_numbers_are_refused_with_a_masked_value(raw: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as caught:
        IdentityNumber.parse(raw, today=TODAY)
    assert caught.value.field == "identity_number"
    assert caught.value.value == mask_identity(raw.upper())
    if raw:
        assert raw not in str(caught.value)  # the clear number never lands in a message or log


def test_the_field_name_is_the_callers() -> None:
    with pytest.raises(ValidationError) as caught:
        IdentityNumber.parse("123", field="guardian_id")
    assert caught.value.field == "guardian_id"


@st.composite
def identity_numbers(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=dt.date(1890, 1, 1), max_value=TODAY))
    region = draw(st.integers(min_value=110000, max_value=829999))
    serial = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    return first17 + identity_check_char(first17)


@given(identity_numbers())
def test_every_well_formed_number_parses_and_masks(raw: str) -> None:
    number = IdentityNumber.parse(raw, today=TODAY)
    assert number.reveal() == raw
    masked = raw[:3] + "*" * 11 + raw[-4:]  # only the first 3 and last 4 characters stay
    assert number.masked() == str(number) == masked
    assert repr(number) == f"IdentityNumber({masked!r})"
    assert raw not in repr(number) and raw[3:14] not in repr(number)
    assert number.sex == ("M" if int(raw[16]) % 2 else "F")
    assert number.birth_date.strftime("%Y%m%d") == raw[6:14]


def _replace(raw: str, position: int, shift: int) -> str:
    if position < 17:
        new = str((int(raw[position]) + shift) % 10)
    else:  # the check character: any other of 0-9 and X
        others = [c for c in "0123456789X" if c != raw[17]]
        new = others[shift % len(others)]
    return raw[:position] + new + raw[position + 1 :]


@given(
    identity_numbers(),
    st.integers(min_value=0, max_value=17),
    st.integers(min_value=1, max_value=9),
)
def test_any_single_character_change_is_caught(raw: str, position: int, shift: int) -> None:
    changed = _replace(raw, position, shift)
    assert changed != raw
    with pytest.raises(ValidationError):
        IdentityNumber.parse(changed, today=TODAY)


@pytest.mark.parametrize(
    ("raw", "clear", "masked"),
    [
        ("13812345678", "13812345678", "138****5678"),
        ("+86 138-1234-5678", "13812345678", "138****5678"),
        ("0086 19912345678", "19912345678", "199****5678"),
        ("0370-1234567", "03701234567", "037****4567"),
        ("(010) 8765 4321", "01087654321", "010****4321"),
    ],
)
def test_phones(raw: str, clear: str, masked: str) -> None:
    phone = Phone.parse(raw)
    assert phone.reveal() == clear
    assert str(phone) == phone.masked() == masked
    assert repr(phone) == f"Phone({masked!r})"
    assert clear not in repr(phone)


@pytest.mark.parametrize(
    "raw",
    [
        "12345678901",  # mobiles start 13-19
        "1381234567",  # one digit short
        "138123456789",  # one digit long
        "23812345678",
        "1234567",  # a landline without its area code
        "phone",
        "",
    ],
)
def test_bad_phones(raw: str) -> None:
    with pytest.raises(ValidationError, match="mobile") as caught:
        Phone.parse(raw)
    assert caught.value.field == "phone"
    assert caught.value.value == mask_phone(raw)


def test_masks() -> None:
    assert mask_identity(GOOD) == "110***********002X"
    assert mask_identity("1234") == "****"  # short junk shows nothing
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张三丰") == "张**"
    assert mask_name("欧阳") == "欧*"
    assert mask_name("李") == "*"
