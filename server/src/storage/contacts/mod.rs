//! Contacts: an organisation's customers, keyed by E.164 phone within the organisation.

#[cfg(test)]
pub(crate) mod contract;
mod imports;
pub(crate) mod mongo;
pub(crate) mod sqlite;

pub use imports::{ImportBatch, ImportPlan, ImportRecord, ImportStore, RejectRecord};

use super::{StoreResult, millis, option_millis};
use app::ids::OrgId;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// Contacts, and (through [`ImportStore`]) the CSV imports that write them.
#[async_trait]
pub trait ContactStore: ImportStore + Send + Sync {
    /// `Duplicate` when the organisation already has a contact with this phone (a deleted one
    /// included: restoring it is the caller's choice).
    async fn insert_contact(&self, contact: &ContactRecord) -> StoreResult<()>;
    /// The contact, deleted or not; `None` for another organisation's id.
    async fn contact(&self, org: &OrgId, id: &str) -> StoreResult<Option<ContactRecord>>;
    /// Replaces the contact with the same organisation and id; `false` when there is none.
    /// `Duplicate` when the new phone is another contact's.
    async fn update_contact(&self, contact: &ContactRecord) -> StoreResult<bool>;
    /// One page of live contacts matching `filter`, after `after` in the filter's order.
    async fn list_contacts(
        &self,
        org: &OrgId,
        filter: &ContactFilter,
        after: Option<&Cursor>,
        limit: u32,
    ) -> StoreResult<Vec<ContactRecord>>;
    /// Deletes (`Some(at)`) or restores (`None`) these contacts; how many changed.
    async fn set_contacts_deleted(
        &self,
        org: &OrgId,
        ids: &[String],
        at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> StoreResult<u64>;
    /// Adds or removes one tag on these contacts; how many changed.
    async fn tag_contacts(&self, org: &OrgId, ids: &[String], tag: &str, add: bool, now: OffsetDateTime)
    -> StoreResult<u64>;
    /// These contacts of the organisation (deleted included), in no particular order; ids of
    /// another organisation's contacts are left out.
    async fn contacts_by_id(&self, org: &OrgId, ids: &[String]) -> StoreResult<Vec<ContactRecord>>;
    /// The organisation's contacts (deleted included) with any of these phones or e-mails.
    async fn contacts_matching(&self, org: &OrgId, phones: &[String], emails: &[String])
    -> StoreResult<Vec<ContactRecord>>;
    /// Inserts and replaces contacts (an import batch). SQLite writes them in one transaction;
    /// MongoDB in order without one, so callers must be idempotent (an import re-runs a batch
    /// interrupted by a crash, finds what it wrote, and changes nothing).
    async fn write_contacts(&self, inserts: &[ContactRecord], updates: &[ContactRecord]) -> StoreResult<()>;
    /// Live contacts of the organisation.
    async fn count_contacts(&self, org: &OrgId) -> StoreResult<u64>;
    /// The organisation's default country for phone numbers, if one was set.
    async fn default_country(&self, org: &OrgId) -> StoreResult<Option<String>>;
    async fn set_default_country(&self, org: &OrgId, country: &str) -> StoreResult<()>;

}

/// What the list is narrowed to and ordered by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactFilter {
    /// Lower-case text to find in names, e-mail and phone digits; empty: everything.
    pub search: String,
    pub tag: Option<String>,
    pub sort: app::contacts::model::ContactSort,
}

/// Where a page ends: the sort value and the id of its last contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cursor {
    Name(String, String),
    Recent(i64, String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRecord {
    #[serde(rename = "_id")]
    pub id: String,
    pub org_id: OrgId,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub wa_id: Option<String>,
    pub email: Option<String>,
    pub tags: Vec<String>,
    pub attributes: BTreeMap<String, String>,
    #[serde(with = "option_millis", default)]
    pub opt_out_at: Option<OffsetDateTime>,
    pub opt_out_source: Option<String>,
    #[serde(with = "millis")]
    pub created_at: OffsetDateTime,
    #[serde(with = "millis")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "option_millis", default)]
    pub deleted_at: Option<OffsetDateTime>,
}

impl ContactRecord {
    /// The key the name order sorts by.
    pub fn sort_name(&self) -> String {
        self.display_name.to_lowercase()
    }

    /// The text a search looks in: names and e-mail in lower case, and the phone's digits.
    pub fn search_text(&self) -> String {
        let mut text = format!("{} {} {}", self.display_name, self.first_name, self.last_name).to_lowercase();
        if let Some(email) = &self.email {
            text.push(' ');
            text.push_str(&email.to_lowercase());
        }
        if let Some(wa_id) = &self.wa_id {
            text.push(' ');
            text.push_str(wa_id);
        }
        text
    }

    /// The cursor just after this contact in `sort` order.
    pub fn cursor(&self, sort: app::contacts::model::ContactSort) -> Cursor {
        match sort {
            app::contacts::model::ContactSort::Name => Cursor::Name(self.sort_name(), self.id.clone()),
            app::contacts::model::ContactSort::Recent => {
                Cursor::Recent(super::to_millis(self.updated_at), self.id.clone())
            }
        }
    }
}
