from __future__ import annotations

from release.db.contact import content_reason, looks_like_email, looks_like_phone, name_reason


def test_contact_words_in_column_names_are_found() -> None:
    for name in ("mobile_phone", "pager", "email", "office_fax", "notification_sms",
                 "twilio_status", "push_token", "practice_address1"):
        assert name_reason(name), name


def test_sid_counts_only_as_a_word() -> None:
    for name in ("callSID", "mdcom_phone_sid", "number_sid", "sid"):
        assert name_reason(name), name
    for name in ("inside", "considered", "side_effect"):
        assert name_reason(name) is None, name


def test_values_that_look_like_emails_or_phones() -> None:
    assert looks_like_email("jcameron3@myhealthincorporated.com")
    assert not looks_like_email("not an email")
    assert looks_like_phone("8004664411") and looks_like_phone("(650) 555-0142 x12")
    assert not looks_like_phone("94062") and not looks_like_phone("2328dc2dab0e11e2")


def test_a_column_is_suspect_when_most_sampled_values_look_like_contacts() -> None:
    assert content_reason(["8004664411", "6505550100", "n/a"])
    assert content_reason(["8004664411", "hello", "world"]) is None
    assert content_reason([]) is None
