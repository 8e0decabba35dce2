//! The contacts service as the server functions see it (implemented in the `server` crate).

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
    /// Admins and owners: the country numbers without a country code are read in.
    async fn set_default_country(&self, caller: &Caller, country: &str) -> Result<(), ContactsError>;
}

#[derive(Debug, thiserror::Error)]
pub enum ContactsError {
    #[error("invalid input: {0}")]
    Invalid(&'static str),
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
            ContactsError::NotFound => ("error-not-found", 404),
            ContactsError::Forbidden => ("error-forbidden", 403),
            ContactsError::Internal(cause) => return crate::server::request::internal(cause),
        };
        AppError::with_status(code, status)
    }
}
