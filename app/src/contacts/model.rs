//! Contacts as the browser and the server functions see them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a contact came to opt out of messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptOutSource {
    /// An agent switched it off.
    Manual,
    /// The customer wrote a stop keyword.
    Keyword,
    /// An imported file said so.
    Import,
}

impl OptOutSource {
    pub fn key(self) -> &'static str {
        match self {
            OptOutSource::Manual => "manual",
            OptOutSource::Keyword => "keyword",
            OptOutSource::Import => "import",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "manual" => Some(OptOutSource::Manual),
            "keyword" => Some(OptOutSource::Keyword),
            "import" => Some(OptOutSource::Import),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptOut {
    /// Unix milliseconds.
    pub at: i64,
    pub source: OptOutSource,
}

/// A customer of the organisation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    /// E.164, unique in the organisation.
    pub phone: Option<String>,
    /// WhatsApp id: the phone's digits without `+`.
    pub wa_id: Option<String>,
    pub email: Option<String>,
    /// A set: sorted, no repeats.
    pub tags: Vec<String>,
    pub attributes: BTreeMap<String, String>,
    pub opt_out: Option<OptOut>,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
    /// Deleted (undo is possible until it is purged).
    pub deleted: bool,
}

/// What a person types into the create or edit form (or an API client sends).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDraft {
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    /// In any format; read with the organisation's default country.
    pub phone: String,
    pub email: String,
    /// Comma-separated.
    pub tags: String,
    /// One `key: value` per line.
    pub attributes: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactSort {
    #[default]
    Name,
    /// Most recently changed first.
    Recent,
}

impl ContactSort {
    pub fn from_key(key: &str) -> Self {
        if key == "recent" { ContactSort::Recent } else { ContactSort::Name }
    }

    pub fn key(self) -> &'static str {
        match self {
            ContactSort::Name => "name",
            ContactSort::Recent => "recent",
        }
    }
}

/// One page of the list, and the cursor of the next (keyset paging: no offsets).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPage {
    pub contacts: Vec<Contact>,
    pub next: Option<String>,
    /// The organisation's default country (ISO 3166 alpha-2) phone numbers are read in.
    pub default_country: String,
}

/// Tags typed as `a, b ,a` → `["a", "b"]`: trimmed, at most 40 characters, no repeats, sorted.
pub fn parse_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = text
        .split(',')
        .map(|t| crate::text::clean_line(t).chars().take(40).collect::<String>())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

/// `key: value` lines → attributes; lines without a colon or with an empty key are skipped.
pub fn parse_attributes(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (crate::text::clean_line(k), crate::text::clean_line(v)))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

/// The inverse of [`parse_attributes`], for the edit form.
pub fn attributes_text(attributes: &BTreeMap<String, String>) -> String {
    attributes.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_a_trimmed_sorted_set() {
        assert_eq!(parse_tags(" vip, lead ,vip,, "), vec!["lead".to_owned(), "vip".to_owned()]);
    }

    #[test]
    fn attributes_round_trip_through_their_text() {
        let attrs = parse_attributes("city: Lima\nno colon\n: empty key\nplan : gold ");
        assert_eq!(attrs.len(), 2);
        assert_eq!(parse_attributes(&attributes_text(&attrs)), attrs);
    }
}
