//! The contacts service as the server functions see it (implemented in the `server` crate).

use super::import::ImportView;
use super::model::{Contact, ContactDraft, ContactPage, ContactSort};
use crate::accounts::model::Caller;
use crate::error::AppError;

/// A page request of the list.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    /// Text, or a phone number in any format.
    pub search: String,
    pub tag: Option<String>,
    pub sort: ContactSort,
    /// The `next` of the previous page.
    pub after: Option<String>,
    pub limit: u32,
}

/// Every method takes the caller first and stays within the caller's organisation: another
/// organisation's contact id answers exactly like a missing one.
#[async_trait::async_trait]
pub trait Contacts: Send + Sync {
    /// `browser_region`: the region of the caller's browser language (`MX` from `es-MX`), used as
    /// the organisation's default country until one is set.
    async fn list(
        &self,
        caller: &Caller,
        query: ListQuery,
        browser_region: Option<String>,
    ) -> Result<ContactPage, ContactsError>;
    async fn get(&self, caller: &Caller, id: &str) -> Result<Contact, ContactsError>;
    async fn create(
        &self,
        caller: &Caller,
        draft: ContactDraft,
        browser_region: Option<String>,
    ) -> Result<Contact, ContactsError>;
    async fn update(
        &self,
        caller: &Caller,
        id: &str,
        draft: ContactDraft,
        browser_region: Option<String>,
    ) -> Result<Contact, ContactsError>;
    /// Deletes (undoable) — one contact for any member, several at once for admins and owners.
    async fn delete(&self, caller: &Caller, ids: Vec<String>) -> Result<u64, ContactsError>;
    async fn restore(&self, caller: &Caller, ids: Vec<String>) -> Result<u64, ContactsError>;
    async fn tag(&self, caller: &Caller, ids: Vec<String>, tag: &str, add: bool) -> Result<u64, ContactsError>;
    async fn set_opt_out(&self, caller: &Caller, id: &str, opted_out: bool) -> Result<Contact, ContactsError>;
    /// The country numbers without a country code are read in: the organisation's, else the
    /// browser's region, else US.
    async fn default_country(&self, caller: &Caller, browser_region: Option<String>) -> Result<String, ContactsError>;
    /// Admins and owners: the country numbers without a country code are read in.
    async fn set_default_country(&self, caller: &Caller, country: &str) -> Result<(), ContactsError>;
}

/// CSV imports (admins and owners). The upload itself is a plain multipart route.
#[async_trait::async_trait]
pub trait Imports: Send + Sync {
    async fn status(&self, caller: &Caller, id: &str) -> Result<ImportView, ContactsError>;
    /// The organisation's imports, newest first.
    async fn history(&self, caller: &Caller) -> Result<Vec<ImportView>, ContactsError>;
    /// Confirms the plan — a target per column (`phone`, `attr:City`, `ignore`…), the mode, tags
    /// for every contact, the default country — and queues the run.
    async fn start(&self, caller: &Caller, id: &str, plan: ImportRequest) -> Result<ImportView, ContactsError>;
    async fn cancel(&self, caller: &Caller, id: &str) -> Result<ImportView, ContactsError>;
}

/// The wizard's last step, as sent.
#[derive(Clone, Debug, Default)]
pub struct ImportRequest {
    pub mapping: Vec<String>,
    pub mode: String,
    pub tags: String,
    pub country: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ContactsError {
    #[error("invalid input: {0}")]
    Invalid(&'static str),
    #[error("the file is over the size limit")]
    TooLarge,
    #[error("another contact has this phone number")]
    PhoneTaken,
    #[error("not found (or another organisation's)")]
    NotFound,
    #[error("the caller's role does not allow this")]
    Forbidden,
    #[error("internal: {0}")]
    Internal(String),
}

impl ContactsError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }
}

impl From<ContactsError> for AppError {
    fn from(e: ContactsError) -> Self {
        let (code, status) = match e {
            ContactsError::Invalid(code) => (code, 422),
            ContactsError::PhoneTaken => ("error-contact-phone-taken", 409),
            ContactsError::TooLarge => ("error-import-too-large", 413),
            ContactsError::NotFound => ("error-not-found", 404),
            ContactsError::Forbidden => ("error-forbidden", 403),
            ContactsError::Internal(cause) => return crate::server::request::internal(cause),
        };
        AppError::with_status(code, status)
    }
}
