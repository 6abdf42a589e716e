from __future__ import annotations

import re

import pytest

from release.db.clones.personal import ANY, classify, mask, name_part, name_reason

REAL = ["call me back at (650) 253-1017 or write to kim.17@gmail.com", "kim.17@gmail.com",
        "6502531017", "+1 650 253 1017", "+16502531017", "+44 20 7183 8750",
        "+33 1 42 68 53 00", "ACde0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b", "SSN 123-45-6789 on file"]
NOT_CONTACT = ["user123@example.invalid", "a@b.example.com", "x@mail.test", "201-555-0123",
               "+15005550006", "acde0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b", "2023-10-05 12:34:56",
               "1700000000", "1700000000123", "20231005123456", "10.2.3456",
               "192.168.100.200", "$1,234.56", "v2.10.1234", "94062", "2328dc2dab0e11e2",
               "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
               "a2345678901b", "987-65-4321"]


def test_contact_words_in_column_names_are_found() -> None:
    for name in ("mobile_phone", "pager", "email", "office_fax", "notification_sms",
                 "twilio_status", "push_token", "practice_address1"):
        assert name_reason(name), name


def test_sid_counts_only_as_a_word() -> None:
    for name in ("callSID", "mdcom_phone_sid", "number_sid", "sid"):
        assert name_reason(name), name
    for name in ("inside", "considered", "side_effect"):
        assert name_reason(name) is None, name


def test_names_of_people_postal_codes_birth_dates_and_ids_are_personal_by_name() -> None:
    for name in ("first_name", "last_name", "surname", "full_name", "firstName",
                 "patient_name", "emergency_contact_name", "postal_code", "zip", "zipcode",
                 "street", "dob", "birth_date", "date_of_birth", "ssn", "mrn",
                 "medical_record_number", "social_security_no"):
        assert name_reason(name), name


def test_names_of_things_are_not_names_of_people() -> None:
    for name in ("table_name", "file_name", "username", "name", "host_name", "zipped",
                 "status", "created_at", "description"):
        assert name_reason(name) is None, name


def test_a_name_column_says_which_part_of_a_name_it_holds() -> None:
    assert [name_part(n) for n in ("first_name", "firstName", "given_name", "last_name",
                                   "surname", "full_name", "contact_name")] == \
        ["first", "first", "first", "last", "last", "full", "full"]


@pytest.mark.parametrize("value", REAL)
def test_contact_data_is_found_anywhere_in_a_value(value: str) -> None:
    assert re.search(ANY, value, re.IGNORECASE), value


@pytest.mark.parametrize("value", NOT_CONTACT)
def test_fictional_values_timestamps_versions_ips_prices_and_hashes_are_not_contact_data(
        value: str) -> None:
    assert not re.search(ANY, value, re.IGNORECASE), value


def test_examples_are_masked_and_named() -> None:
    assert mask("write to kim.17@gmail.com") == "k***@gmail.com"
    assert mask("call (650) 253-1017") == "(***) ***-**17"
    assert mask("ACde0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b") == "AC***3a4b"
    assert mask("123-45-6789") == "***-**-****"
    assert classify("+44 20 7183 8750") == "phone number"
    assert classify("kim@gmail.com") == "email address"
