//! The contacts service behind the contacts server functions.

use super::phone::{self, Phone};
use crate::storage::contacts::{ContactFilter, ContactRecord, ContactStore, Cursor};
use crate::storage::{StoreError, millis_precision, to_millis};
use app::accounts::model::{Caller, Role};
use app::contacts::model::{
    Contact, ContactDraft, ContactPage, ContactSort, OptOut, OptOutSource, parse_attributes, parse_tags,
};
use app::contacts::port::{Contacts, ContactsError, ListQuery};
use app::ids::OrgId;
use async_trait::async_trait;
use base64::Engine;
use std::collections::BTreeMap;
use std::sync::Arc;
use time::OffsetDateTime;

const NAME_MAX: usize = 200;
const TAGS_MAX: usize = 50;
const ATTRIBUTES_MAX: usize = 50;
const ATTRIBUTE_KEY_MAX: usize = 60;
const ATTRIBUTE_VALUE_MAX: usize = 1000;
/// When neither the organisation nor the browser names a country.
pub const FALLBACK_COUNTRY: &str = "US";

pub struct ContactService {
    store: Arc<dyn ContactStore>,
}

fn internal(e: impl std::fmt::Display) -> ContactsError {
    ContactsError::internal(e)
}

/// Only admins and owners may do this (import, export, bulk-delete, settings).
pub(crate) fn admin(caller: &Caller) -> Result<(), ContactsError> {
    match caller.role {
        Role::Admin | Role::Owner => Ok(()),
        Role::Member => Err(ContactsError::Forbidden),
    }
}

/// A contact's fields, checked and normalised.
pub struct Fields {
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<Phone>,
    pub email: Option<String>,
    pub tags: Vec<String>,
    pub attributes: BTreeMap<String, String>,
}

/// Checks a draft: a name (or first and last name), a phone or an e-mail to reach the contact,
/// every field within its limits. The error's code names the field and the reason.
pub fn validate(draft: &ContactDraft, country: &str) -> Result<Fields, ContactsError> {
    let parts = Parts {
        display_name: &draft.display_name,
        first_name: &draft.first_name,
        last_name: &draft.last_name,
        phone: &draft.phone,
        email: &draft.email,
        tags: parse_tags(&draft.tags),
        attributes: parse_attributes(&draft.attributes),
    };
    parts.check(country).map_err(ContactsError::Invalid)
}

/// A contact's fields as given (a form, or a row of a file), before they are checked.
pub struct Parts<'a> {
    pub display_name: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub tags: Vec<String>,
    pub attributes: BTreeMap<String, String>,
}

impl Parts<'_> {
    /// The checked fields, or the code of the first problem.
    pub fn check(self, country: &str) -> Result<Fields, &'static str> {
        let clean = |s: &str| app::text::clean_line(s);
        let (first_name, last_name) = (clean(self.first_name), clean(self.last_name));
        let mut display_name = clean(self.display_name);
        if display_name.is_empty() {
            display_name = format!("{first_name} {last_name}").trim().to_owned();
        }
        let phone = match self.phone.trim() {
            "" => None,
            raw => Some(phone::normalise(raw, Some(country)).map_err(|p| p.code())?),
        };
        let email = match clean(self.email).to_lowercase() {
            e if e.is_empty() => None,
            e if app::text::is_plausible_email(&e) => Some(e),
            _ => return Err("error-contact-email"),
        };
        if phone.is_none() && email.is_none() {
            return Err("error-contact-reach");
        }
        if display_name.is_empty() {
            // A nameless contact is shown by its number or address.
            display_name = phone.as_ref().map(|p| p.e164.clone()).or(email.clone()).unwrap_or_default();
        }
        if [&display_name, &first_name, &last_name].iter().any(|n| n.chars().count() > NAME_MAX) {
            return Err("error-contact-name-long");
        }
        let too_long = |(k, v): (&String, &String)| {
            k.chars().count() > ATTRIBUTE_KEY_MAX || v.chars().count() > ATTRIBUTE_VALUE_MAX
        };
        if self.tags.len() > TAGS_MAX || self.attributes.len() > ATTRIBUTES_MAX || self.attributes.iter().any(too_long)
        {
            return Err("error-contact-too-much");
        }
        Ok(Fields { display_name, first_name, last_name, phone, email, tags: self.tags, attributes: self.attributes })
    }
}

impl Fields {
    /// Writes these fields over `record` (keeping its id, times, opt-out).
    pub fn apply(self, record: &mut ContactRecord) {
        record.display_name = self.display_name;
        record.first_name = self.first_name;
        record.last_name = self.last_name;
        record.wa_id = self.phone.as_ref().map(|p| p.wa_id().to_owned());
        record.phone = self.phone.map(|p| p.e164);
        record.email = self.email;
        record.tags = self.tags;
        record.attributes = self.attributes;
    }
}

/// A fresh record in `org` (fields to be applied).
pub fn new_record(org: &OrgId, now: OffsetDateTime) -> ContactRecord {
    ContactRecord {
        // Time-ordered (v7): an import appends to the primary key's B-tree instead of writing
        // all over it.
        id: uuid::Uuid::now_v7().to_string(),
        org_id: org.clone(),
        display_name: String::new(),
        first_name: String::new(),
        last_name: String::new(),
        phone: None,
        wa_id: None,
        email: None,
        tags: vec![],
        attributes: BTreeMap::new(),
        opt_out_at: None,
        opt_out_source: None,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    }
}

pub fn view(c: ContactRecord) -> Contact {
    let opt_out = match (c.opt_out_at, c.opt_out_source.as_deref().and_then(OptOutSource::from_key)) {
        (Some(at), Some(source)) => Some(OptOut { at: to_millis(at), source }),
        _ => None,
    };
    Contact {
        id: c.id,
        display_name: c.display_name,
        first_name: c.first_name,
        last_name: c.last_name,
        phone: c.phone,
        wa_id: c.wa_id,
        email: c.email,
        tags: c.tags,
        attributes: c.attributes,
        opt_out,
        created_at: to_millis(c.created_at),
        updated_at: to_millis(c.updated_at),
        deleted: c.deleted_at.is_some(),
    }
}

/// Cursors are opaque to clients: `n.<base64 name>.<id>` or `r.<millis>.<id>`.
fn encode_cursor(cursor: &Cursor) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    match cursor {
        Cursor::Name(name, id) => format!("n.{}.{id}", b64.encode(name)),
        Cursor::Recent(at, id) => format!("r.{at}.{id}"),
    }
}

fn decode_cursor(text: &str, sort: ContactSort) -> Result<Cursor, ContactsError> {
    let bad = || ContactsError::Invalid("error-bad-request");
    let mut parts = text.splitn(3, '.');
    let (kind, key, id) = (parts.next(), parts.next().ok_or_else(bad)?, parts.next().ok_or_else(bad)?.to_owned());
    match (kind, sort) {
        (Some("n"), ContactSort::Name) => {
            let name = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(key).map_err(|_| bad())?;
            Ok(Cursor::Name(String::from_utf8(name).map_err(|_| bad())?, id))
        }
        (Some("r"), ContactSort::Recent) => Ok(Cursor::Recent(key.parse().map_err(|_| bad())?, id)),
        _ => Err(bad()),
    }
}

/// What a search looks for: a phone number in any format becomes its digits with country code;
/// other text is matched in lower case.
pub fn search_key(search: &str, country: &str) -> String {
    let text = search.trim();
    let phone_like = text.chars().filter(|c| c.is_numeric()).count() >= 3
        && text.chars().all(|c| c.is_numeric() || " +-.()/".contains(c));
    if !phone_like {
        return text.to_lowercase().chars().take(100).collect();
    }
    match phone::normalise(text, Some(country)) {
        Ok(p) => p.wa_id().to_owned(),
        // A fragment (the last digits, say): its digits, ASCII.
        Err(_) => text.chars().filter_map(|c| c.to_digit(10)).map(|d| char::from(b'0' + d as u8)).collect(),
    }
}

impl ContactService {
    pub fn new(store: Arc<dyn ContactStore>) -> Self {
        Self { store }
    }

    /// The organisation's default country, else the browser's region, else the fallback.
    pub async fn country(&self, org: &OrgId, browser_region: Option<String>) -> Result<String, ContactsError> {
        let set = self.store.default_country(org).await.map_err(internal)?;
        let valid = |r: &String| phonenumber::metadata::DATABASE.by_id(r.as_str()).is_some();
        Ok(set.or(browser_region.filter(valid)).unwrap_or_else(|| FALLBACK_COUNTRY.to_owned()))
    }

    async fn existing(&self, org: &OrgId, id: &str) -> Result<ContactRecord, ContactsError> {
        self.store.contact(org, id).await.map_err(internal)?.ok_or(ContactsError::NotFound)
    }

    /// Stores `record` new; when its phone belongs to a deleted contact, that contact comes back
    /// with these fields instead (one customer, one contact).
    async fn insert_or_restore(&self, mut record: ContactRecord) -> Result<ContactRecord, ContactsError> {
        match self.store.insert_contact(&record).await {
            Ok(()) => return Ok(record),
            Err(StoreError::Duplicate) => {}
            Err(e) => return Err(internal(e)),
        }
        let phones: Vec<String> = record.phone.iter().cloned().collect();
        let found = self.store.contacts_matching(&record.org_id, &phones, &[]).await.map_err(internal)?;
        let previous =
            found.into_iter().find(|c| c.phone == record.phone).ok_or_else(|| internal("duplicate without match"))?;
        if previous.deleted_at.is_none() {
            return Err(ContactsError::PhoneTaken);
        }
        record.id = previous.id;
        record.created_at = previous.created_at;
        record.opt_out_at = previous.opt_out_at;
        record.opt_out_source = previous.opt_out_source;
        self.store.update_contact(&record).await.map_err(internal)?;
        Ok(record)
    }
}

#[async_trait]
impl Contacts for ContactService {
    async fn list(
        &self,
        caller: &Caller,
        query: ListQuery,
        browser_region: Option<String>,
    ) -> Result<ContactPage, ContactsError> {
        let country = self.country(&caller.org_id, browser_region).await?;
        let filter = ContactFilter {
            search: search_key(&query.search, &country),
            tag: query.tag.map(|t| app::text::clean_line(&t)).filter(|t| !t.is_empty()),
            sort: query.sort,
        };
        let after = query.after.as_deref().map(|a| decode_cursor(a, query.sort)).transpose()?;
        let limit = query.limit.clamp(1, 200);
        let mut found =
            self.store.list_contacts(&caller.org_id, &filter, after.as_ref(), limit + 1).await.map_err(internal)?;
        let next = if found.len() > limit as usize {
            found.truncate(limit as usize);
            found.last().map(|c| encode_cursor(&c.cursor(query.sort)))
        } else {
            None
        };
        Ok(ContactPage { contacts: found.into_iter().map(view).collect(), next, default_country: country })
    }

    async fn get(&self, caller: &Caller, id: &str) -> Result<Contact, ContactsError> {
        Ok(view(self.existing(&caller.org_id, id).await?))
    }

    async fn create(
        &self,
        caller: &Caller,
        draft: ContactDraft,
        browser_region: Option<String>,
    ) -> Result<Contact, ContactsError> {
        let country = self.country(&caller.org_id, browser_region).await?;
        let fields = validate(&draft, &country)?;
        let mut record = new_record(&caller.org_id, millis_precision(OffsetDateTime::now_utc()));
        fields.apply(&mut record);
        Ok(view(self.insert_or_restore(record).await?))
    }

    async fn update(
        &self,
        caller: &Caller,
        id: &str,
        draft: ContactDraft,
        browser_region: Option<String>,
    ) -> Result<Contact, ContactsError> {
        let country = self.country(&caller.org_id, browser_region).await?;
        let fields = validate(&draft, &country)?;
        let mut record = self.existing(&caller.org_id, id).await?;
        fields.apply(&mut record);
        record.updated_at = millis_precision(OffsetDateTime::now_utc());
        match self.store.update_contact(&record).await {
            Ok(true) => Ok(view(record)),
            Ok(false) => Err(ContactsError::NotFound),
            Err(StoreError::Duplicate) => Err(ContactsError::PhoneTaken),
            Err(e) => Err(internal(e)),
        }
    }

    async fn delete(&self, caller: &Caller, ids: Vec<String>) -> Result<u64, ContactsError> {
        if ids.len() > 1 {
            admin(caller)?;
        }
        let now = millis_precision(OffsetDateTime::now_utc());
        self.store.set_contacts_deleted(&caller.org_id, &ids, Some(now), now).await.map_err(internal)
    }

    async fn restore(&self, caller: &Caller, ids: Vec<String>) -> Result<u64, ContactsError> {
        if ids.len() > 1 {
            admin(caller)?;
        }
        let now = millis_precision(OffsetDateTime::now_utc());
        self.store.set_contacts_deleted(&caller.org_id, &ids, None, now).await.map_err(internal)
    }

    async fn tag(&self, caller: &Caller, ids: Vec<String>, tag: &str, add: bool) -> Result<u64, ContactsError> {
        let tag = parse_tags(tag).into_iter().next().ok_or(ContactsError::Invalid("error-contact-tag"))?;
        let now = millis_precision(OffsetDateTime::now_utc());
        self.store.tag_contacts(&caller.org_id, &ids, &tag, add, now).await.map_err(internal)
    }

    async fn set_opt_out(&self, caller: &Caller, id: &str, opted_out: bool) -> Result<Contact, ContactsError> {
        let mut record = self.existing(&caller.org_id, id).await?;
        let now = millis_precision(OffsetDateTime::now_utc());
        match (opted_out, record.opt_out_at.is_some()) {
            (true, false) => {
                record.opt_out_at = Some(now);
                record.opt_out_source = Some(OptOutSource::Manual.key().to_owned());
            }
            (false, true) => {
                record.opt_out_at = None;
                record.opt_out_source = None;
            }
            _ => return Ok(view(record)),
        }
        record.updated_at = now;
        self.store.update_contact(&record).await.map_err(internal)?;
        Ok(view(record))
    }

    async fn default_country(&self, caller: &Caller, browser_region: Option<String>) -> Result<String, ContactsError> {
        self.country(&caller.org_id, browser_region).await
    }

    async fn set_default_country(&self, caller: &Caller, country: &str) -> Result<(), ContactsError> {
        admin(caller)?;
        let country = country.trim().to_ascii_uppercase();
        if country.len() != 2 || phonenumber::metadata::DATABASE.by_id(country.as_str()).is_none() {
            return Err(ContactsError::Invalid("error-country"));
        }
        self.store.set_default_country(&caller.org_id, &country).await.map_err(internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_the_other_order() {
        let name = Cursor::Name("josé.ñ".into(), "id-1".into());
        assert_eq!(decode_cursor(&encode_cursor(&name), ContactSort::Name).unwrap(), name);
        let recent = Cursor::Recent(1_700_000_000_000, "id.2".into());
        assert_eq!(decode_cursor(&encode_cursor(&recent), ContactSort::Recent).unwrap(), recent);
        assert!(decode_cursor(&encode_cursor(&recent), ContactSort::Name).is_err());
        assert!(decode_cursor("garbage", ContactSort::Name).is_err());
    }

    #[test]
    fn a_phone_typed_any_way_searches_by_its_digits() {
        assert_eq!(search_key("(11) 98765-4321", "BR"), "5511987654321");
        assert_eq!(search_key("+55 11 8765 4321", "MX"), "5511987654321");
        assert_eq!(search_key("4321", "BR"), "4321");
        assert_eq!(search_key("  Ana Pérez ", "BR"), "ana pérez");
    }

    #[test]
    fn a_draft_needs_a_way_to_reach_the_contact() {
        let draft = |phone: &str, email: &str| ContactDraft {
            display_name: "Ana".into(),
            phone: phone.into(),
            email: email.into(),
            ..Default::default()
        };
        assert!(matches!(validate(&draft("", ""), "MX"), Err(ContactsError::Invalid("error-contact-reach"))));
        assert!(matches!(
            validate(&draft("4.9E+11", ""), "MX"),
            Err(ContactsError::Invalid("error-phone-spreadsheet"))
        ));
        assert!(matches!(validate(&draft("", "nope"), "MX"), Err(ContactsError::Invalid("error-contact-email"))));
        let ok = validate(&draft("55 1234 5678", " Ana@Tienda.MX "), "MX").unwrap();
        assert_eq!(ok.phone.unwrap().e164, "+525512345678");
        assert_eq!(ok.email.as_deref(), Some("ana@tienda.mx"));
        let nameless = ContactDraft { phone: "+34612345678".into(), ..Default::default() };
        assert_eq!(validate(&nameless, "MX").unwrap().display_name, "+34612345678");
    }
}
