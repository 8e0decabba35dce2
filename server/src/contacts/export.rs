//! Contacts out of Adronx: CSV and JSON, streamed page by page, with spreadsheet formulas
//! neutralised.

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR, NUL first) gets a
/// leading apostrophe, the OWASP-recommended guard: shown as text, never executed.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\0') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

use crate::storage::contacts::ContactRecord;

/// The CSV columns of an export, in order.
const COLUMNS: [&str; 11] = [
    "id",
    "display_name",
    "first_name",
    "last_name",
    "phone",
    "wa_id",
    "email",
    "tags",
    "attributes",
    "opted_out_at",
    "updated_at",
];

/// One page of contacts as CSV (with the header row first), every cell neutralised.
pub fn csv_chunk(page: Vec<ContactRecord>, first: bool) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::with_capacity(page.len() * 128));
    if first {
        let _ = out.write_record(COLUMNS);
    }
    let time = |t: time::OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    for c in page {
        let attributes = serde_json::to_string(&c.attributes).unwrap_or_default();
        let cells = [
            c.id,
            c.display_name,
            c.first_name,
            c.last_name,
            c.phone.unwrap_or_default(),
            c.wa_id.unwrap_or_default(),
            c.email.unwrap_or_default(),
            c.tags.join(", "),
            if c.attributes.is_empty() { String::new() } else { attributes },
            c.opt_out_at.map(time).unwrap_or_default(),
            time(c.updated_at),
        ];
        let _ = out.write_record(cells.iter().map(|cell| neutralise(cell).into_owned()));
    }
    out.into_inner().unwrap_or_default()
}

/// One page of contacts as part of a JSON array: `[` before the first, `]` after the last.
pub fn json_chunk(page: Vec<ContactRecord>, first: bool, last: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(page.len() * 256 + 2);
    if first {
        out.push(b'[');
    }
    for (i, c) in page.into_iter().enumerate() {
        if !(first && i == 0) {
            out.push(b',');
        }
        let _ = serde_json::to_writer(&mut out, &crate::contacts::service::view(c));
    }
    if last {
        out.push(b']');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised_and_text_is_not() {
        for cell in ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tx", "\rx", "\0x"] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
        assert_eq!(neutralise("Ana"), "Ana");
        assert_eq!(neutralise(""), "");
    }
}
