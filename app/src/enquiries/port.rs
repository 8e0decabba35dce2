//! The enquiries service as the server function sees it (implemented in the `server` crate).

use super::model::Enquiry;
use crate::error::AppError;
use crate::server::request::ClientInfo;

#[async_trait::async_trait]
pub trait Enquiries: Send + Sync {
    /// Durably records an enquiry and acknowledges it by e-mail; rate limited per client address
    /// (each sends an e-mail to an address anyone can type).
    async fn receive(&self, enquiry: Enquiry, client: ClientInfo) -> Result<(), EnquiryError>;
}

/// What the enquiries service can answer instead of a result.
#[derive(Debug, thiserror::Error)]
pub enum EnquiryError {
    /// Over the rate limit; try again after this many seconds.
    #[error("too many messages")]
    TooMany(u64),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<EnquiryError> for AppError {
    fn from(e: EnquiryError) -> Self {
        match e {
            EnquiryError::TooMany(secs) => AppError::too_many(secs),
            EnquiryError::Internal(cause) => crate::server::request::internal(cause),
        }
    }
}
