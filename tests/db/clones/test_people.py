"""Which `name` columns hold people's names: by the table's model, by the values' shape."""

from __future__ import annotations

import re

from release.db.clones.people import (
    GIVEN_NAME,
    PERSON_NAME,
    looks_like_people,
    may_hold_names,
    names_a_thing,
    people_table,
    table_reason,
)

PEOPLE_NAMES = ["Maria Lopez", "Dr. John A. Smith", "Lopez, Maria", "Wei Zhang",
                "John Smith Jr.", "O'Brien, Patrick", "José Álvarez", "Priya Raman-Iyer"]
NOT_PEOPLE = ["Alvarez Family Practice", "Oakmont Answering Service", "Pagewell Plus",
              "Sunrise Clinic", "Family Medicine", "Can add log entry", "Smith & Jones",
              "maria.lopez", "0001_initial", "pager", "Bay Area Pediatrics Group"]


def test_tables_of_people_by_their_model() -> None:
    assert [people_table(t) for t in (
        "patients_patient", "MHLUsers_mhluser", "auth_user", "crm_customers", "club_member",
        "directory_person", "crm_contact", "MHLUsers_provider", "MHLUsers_physician",
        "clinics_staff", "hr_employees", "agency_client", "school_guardian", "people")] == [
        "patient", "user", "user", "customer", "member", "person", "contact", "provider",
        "physician", "staff", "employee", "client", "guardian", "people"]


def test_tables_named_for_a_thing_hold_no_people_even_with_a_person_in_the_name() -> None:
    for table in ("products_product", "clinics_practice", "MHLUsers_physiciangroup",
                  "patients_patienttype", "auth_group", "django_site", "IVR_vmbox_config",
                  "MHLPractices_organizationtype"):
        assert people_table(table) is None, table
        assert names_a_thing(table), table
    assert people_table("billing_invoice") is None and not names_a_thing("billing_invoice")


def test_only_name_columns_are_judged_by_their_table() -> None:
    assert table_reason("patients_patient", "name") == \
        "name says a person's name (patients_patient holds people: patient)"
    assert table_reason("crm_contact", "display_name") is not None
    assert table_reason("patients_patient", "full_name") is not None
    assert table_reason("patients_patient", "notes") is None
    assert table_reason("products_product", "name") is None
    assert [may_hold_names(c) for c in ("name", "practice_name", "username", "title")] == \
        [True, True, True, False]


def test_people_names_are_shaped_like_names_and_start_with_a_given_one() -> None:
    for value in PEOPLE_NAMES:
        assert re.search(PERSON_NAME, value, re.IGNORECASE), value
    for value in NOT_PEOPLE:
        assert not re.search(PERSON_NAME, value, re.IGNORECASE), value
    given = [bool(re.search(GIVEN_NAME, v, re.IGNORECASE)) for v in PEOPLE_NAMES]
    assert given == [True, True, True, True, True, True, True, True]
    assert not re.search(GIVEN_NAME, "Pagewell Plus", re.IGNORECASE)


def test_most_values_must_look_like_names_and_some_start_with_a_given_name() -> None:
    assert looks_like_people(10, 6, 2)
    assert not looks_like_people(10, 5, 5)       # half is not most
    assert not looks_like_people(10, 10, 1)      # made-up words shaped like names
    assert not looks_like_people(0, 0, 0)
    assert looks_like_people(1, 1, 1)
