//! One row of a file: its cells decoded, mapped to a contact's fields, and checked.

use super::detect::Encoding;
use crate::contacts::service::{Fields, Parts};
use app::contacts::import::ColumnTarget;
use std::collections::BTreeMap;

/// A row's cells as text, or the code of why they cannot be read.
pub fn cells(record: &csv::ByteRecord, encoding: Encoding) -> Result<Vec<String>, &'static str> {
    record
        .iter()
        .map(|cell| match encoding {
            // UTF-16 files reach here already transcoded to UTF-8.
            Encoding::Utf8 | Encoding::Utf16Le | Encoding::Utf16Be => {
                std::str::from_utf8(cell).map(str::to_owned).map_err(|_| "error-import-row-encoding")
            }
            Encoding::Windows1252 => Ok(encoding_rs::WINDOWS_1252.decode_without_bom_handling(cell).0.into_owned()),
        })
        .collect()
}

/// A row ready to be matched against the store.
pub struct Candidate {
    pub fields: Fields,
    pub opted_out: bool,
    /// The row named the contact (else its name is its number or address, and an update keeps
    /// the name the contact had).
    pub named: bool,
}

/// The contact a row describes under `mapping`, with the import's own `tags` added. Missing cells
/// (a short row) are empty; extra ones are ignored.
pub fn candidate(
    cells: &[String],
    mapping: &[ColumnTarget],
    tags: &[String],
    country: &str,
) -> Result<Candidate, &'static str> {
    let mut text: [&str; 5] = [""; 5];
    let mut row_tags: Vec<String> = tags.to_vec();
    let mut attributes = BTreeMap::new();
    let mut opted_out = false;
    for (target, cell) in mapping.iter().zip(cells.iter().map(String::as_str).chain(std::iter::repeat(""))) {
        match target {
            ColumnTarget::DisplayName => text[0] = cell,
            ColumnTarget::FirstName => text[1] = cell,
            ColumnTarget::LastName => text[2] = cell,
            ColumnTarget::Phone => text[3] = cell,
            ColumnTarget::Email => text[4] = cell,
            ColumnTarget::Tags => row_tags.extend(app::contacts::model::parse_tags(cell)),
            ColumnTarget::OptOut => opted_out = is_yes(cell),
            ColumnTarget::Attribute(name) if !cell.trim().is_empty() => {
                attributes.insert(name.clone(), app::text::clean_line(cell));
            }
            ColumnTarget::Attribute(_) | ColumnTarget::Ignore => {}
        }
    }
    row_tags.sort();
    row_tags.dedup();
    let [display_name, first_name, last_name, phone, email] = text;
    let named = [display_name, first_name, last_name].iter().any(|t| !t.trim().is_empty());
    let parts = Parts { display_name, first_name, last_name, phone, email, tags: row_tags, attributes };
    Ok(Candidate { fields: parts.check(country)?, opted_out, named })
}

/// Yes in the ways spreadsheets and CRMs write it.
fn is_yes(cell: &str) -> bool {
    let cell = cell.trim().to_lowercase();
    ["yes", "y", "true", "1", "x", "sí", "si", "opted out", "unsubscribed", "baja", "نعم"].contains(&cell.as_str())
}

/// What a rejected row keeps of its cells: each cut at 2,000 characters.
pub fn kept(cells: Vec<String>) -> Vec<String> {
    cells.into_iter().map(|c| if c.chars().count() > 2000 { c.chars().take(2000).collect() } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnTarget::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_row_becomes_a_contact_or_a_reason() {
        let mapping = [FirstName, LastName, Phone, Tags, Attribute("Ciudad".into()), OptOut];
        let ok = candidate(
            &row(&["Ana", "Pérez", "55 1234 5678", "vip, lead", "CDMX", "sí"]),
            &mapping,
            &["feria".into()],
            "MX",
        )
        .unwrap();
        assert_eq!(ok.fields.display_name, "Ana Pérez");
        assert_eq!(ok.fields.phone.unwrap().e164, "+525512345678");
        assert_eq!(ok.fields.tags, ["feria", "lead", "vip"]);
        assert_eq!(ok.fields.attributes["Ciudad"], "CDMX");
        assert!(ok.opted_out);
        let short = candidate(&row(&["Ana", "Pérez", "+34 612 34 56 78"]), &mapping, &[], "MX").unwrap();
        assert!(short.fields.attributes.is_empty() && !short.opted_out, "a ragged row: missing cells are empty");
        assert_eq!(
            candidate(&row(&["Ana", "", "4.91512E+11"]), &mapping, &[], "MX").err(),
            Some("error-phone-spreadsheet")
        );
        assert_eq!(candidate(&row(&["Ana", "", ""]), &mapping, &[], "MX").err(), Some("error-contact-reach"));
        let huge = "x".repeat(1_000_000);
        let big = candidate(&row(&["Ana", "", "+34612345678", "", &huge]), &mapping, &[], "MX");
        assert_eq!(big.err(), Some("error-contact-too-much"), "a 1 MB cell");
    }

    #[test]
    fn cells_decode_per_encoding_and_bad_bytes_reject_the_row() {
        let mut record = csv::ByteRecord::new();
        record.push_field(b"Jos\xe9");
        assert_eq!(cells(&record, Encoding::Windows1252).unwrap(), ["José"]);
        assert_eq!(cells(&record, Encoding::Utf8).err(), Some("error-import-row-encoding"));
    }
}
