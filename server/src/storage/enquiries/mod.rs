//! Enquiries from the public contact form.

#[cfg(test)]
pub(crate) mod contract;
pub(crate) mod mongo;
pub(crate) mod sqlite;

use super::StoreResult;
use app::enquiries::model::Enquiry;
use async_trait::async_trait;
use time::OffsetDateTime;

#[async_trait]
pub trait EnquiryStore: Send + Sync {
    async fn insert_enquiry(&self, message: &StoredEnquiry) -> StoreResult<()>;
    /// Newest first.
    async fn recent_enquiries(&self, limit: u32) -> StoreResult<Vec<StoredEnquiry>>;
}

/// A stored contact-form message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEnquiry {
    pub id: String,
    pub message: Enquiry,
    pub received_at: OffsetDateTime,
}
