//! The enquiries service as the server function sees it (implemented in the `server` crate).

use super::model::Enquiry;
use crate::error::AppError;

#[async_trait::async_trait]
pub trait Enquiries: Send + Sync {
    /// Durably records an enquiry and acknowledges it by e-mail.
    async fn receive(&self, enquiry: Enquiry) -> Result<(), EnquiryError>;
}

/// What the enquiries service can answer instead of a result.
#[derive(Debug, thiserror::Error)]
pub enum EnquiryError {
    #[error("internal: {0}")]
    Internal(String),
}

impl From<EnquiryError> for AppError {
    fn from(e: EnquiryError) -> Self {
        match e {
            EnquiryError::Internal(cause) => crate::server::request::internal(cause),
        }
    }
}
