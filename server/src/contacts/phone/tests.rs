//! Expectations checked against Google's libphonenumber (Python `phonenumbers` 9.0.43) where it
//! has an answer; the WhatsApp folds (Brazil's ninth digit, Mexico's `521`) and bare `wa_id`s are
//! ours and say so.

use super::{PhoneProblem, normalise};

fn e164(raw: &str, region: Option<&str>) -> String {
    match normalise(raw, region) {
        Ok(phone) => phone.e164,
        Err(problem) => panic!("{raw:?} in {region:?}: {problem:?}"),
    }
}

fn refused(raw: &str, region: Option<&str>) -> PhoneProblem {
    normalise(raw, region).expect_err(raw)
}

#[test]
fn brazil_with_and_without_the_ninth_digit_is_one_number() {
    for (raw, region) in [
        ("+55 11 98765-4321", None),
        ("(11) 98765-4321", Some("BR")),
        ("011 98765 4321", Some("BR")),
        ("5511987654321", None),    // wa_id
        ("+55 11 8765-4321", None), // a mobile written before the ninth digit (ours)
        ("551187654321", None),     // the same as an older wa_id (ours)
    ] {
        assert_eq!(e164(raw, region), "+5511987654321", "{raw}");
    }
    assert_eq!(e164("+55 11 3456-7890", None), "+551134567890", "a landline keeps its eight digits");
}

#[test]
fn mexico_52_and_521_are_one_number() {
    for (raw, region) in [
        ("+52 55 1234 5678", None),
        ("55 1234 5678", Some("MX")),
        ("+52 1 55 1234 5678", None), // ours: libphonenumber keeps the 1 and calls it invalid
        ("5215512345678", None),      // an older wa_id
    ] {
        assert_eq!(e164(raw, region), "+525512345678", "{raw}");
    }
}

#[test]
fn argentina_mobiles_in_every_form_including_the_15_prefix() {
    for (raw, region) in [
        ("+54 9 11 2345-6789", None),
        ("5491123456789", None),
        ("011 15 2345-6789", Some("AR")),
        ("+54 11 15 2345 6789", None),
    ] {
        assert_eq!(e164(raw, region), "+5491123456789", "{raw}");
    }
    assert_eq!(e164("0343 15 555-1212", Some("AR")), "+5493435551212");
}

#[test]
fn a_whole_number_must_fit_the_plan_not_just_its_beginning() {
    // rust-phonenumber#31: a Spanish wa_id read as a Brazilian national number.
    assert_eq!(e164("34612345678", Some("BR")), "+34612345678");
    assert_eq!(refused("+34 612 34 56 789", None), PhoneProblem::Invalid, "one digit too many");
    assert_eq!(refused("+55 11 9876-543", None), PhoneProblem::Invalid, "one digit too few");
}

#[test]
fn leading_00_and_national_formats_with_the_default_country() {
    assert_eq!(e164("0034 612 345 678", None), "+34612345678");
    assert_eq!(e164("612345678", Some("ES")), "+34612345678");
    assert_eq!(e164("01512 3456789", Some("DE")), "+4915123456789");
    assert_eq!(e164("+49 1512 3456789", None), "+4915123456789");
    assert_eq!(e164("(415) 555-2671", Some("US")), "+14155552671");
    assert_eq!(e164("415.555.2671", Some("us")), "+14155552671");
    assert_eq!(e164("+1 415 555 2671", None), "+14155552671");
    assert_eq!(e164("07911 123456", Some("GB")), "+447911123456");
    assert_eq!(e164("+33 6 12 34 56 78", None), "+33612345678");
}

#[test]
fn eastern_arabic_and_persian_digits_are_read() {
    assert_eq!(e164("٠٥٠١٢٣٤٥٦٧", Some("AE")), "+971501234567");
    assert_eq!(e164("+٩٧١ ٥٠ ١٢٣ ٤٥٦٧", None), "+971501234567");
    assert_eq!(e164("۰۵۰۱۲۳۴۵۶۷", Some("AE")), "+971501234567");
    assert_eq!(e164("050-123-4567", Some("AE")), "+971501234567");
}

#[test]
fn what_cannot_be_read_is_refused_with_its_reason() {
    assert_eq!(refused("4.91512E+11", Some("DE")), PhoneProblem::Spreadsheet);
    assert_eq!(refused("5,5119876E12", None), PhoneProblem::Spreadsheet);
    assert_eq!(refused("   ", None), PhoneProblem::Empty);
    assert_eq!(refused("call me", None), PhoneProblem::Characters);
    assert_eq!(refused("612345678", None), PhoneProblem::NeedsCountry);
    assert_eq!(refused("+999 123", None), PhoneProblem::Invalid);
    assert_eq!(refused("12345", Some("US")), PhoneProblem::Invalid);
}

#[test]
fn the_wa_id_is_the_digits_without_plus() {
    assert_eq!(normalise("+55 11 98765-4321", None).unwrap().wa_id(), "5511987654321");
    assert_eq!(normalise("+44 7911 123456", None).unwrap().region, "GG", "the region libphonenumber names");
}
