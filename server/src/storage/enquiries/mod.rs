//! Enquiries from the public contact form.

#[cfg(test)]
pub(crate) mod contract;
pub(crate) mod mongo;
pub(crate) mod sqlite;

use super::{StoreResult, millis};
use app::enquiries::model::Enquiry;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[async_trait]
pub trait EnquiryStore: Send + Sync {
    async fn insert_enquiry(&self, message: &StoredEnquiry) -> StoreResult<()>;
    /// Newest first.
    async fn recent_enquiries(&self, limit: u32) -> StoreResult<Vec<StoredEnquiry>>;
}

/// A stored contact-form message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEnquiry {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(flatten)]
    pub message: Enquiry,
    #[serde(with = "millis")]
    pub received_at: OffsetDateTime,
}
