//! The services server functions call, declared here so the UI crate can name them and
//! implemented in the `server` crate (hexagonal style). The server provides a [`Services`] value
//! as context to every render and server-function call.

use crate::contact::model::ContactMessage;
use crate::error::AppError;
use std::sync::Arc;

#[async_trait::async_trait]
pub trait ContactInbox: Send + Sync {
    /// Durably records a contact-form message.
    async fn receive(&self, message: ContactMessage) -> Result<(), AppError>;
}

#[derive(Clone)]
pub struct Services {
    pub contact: Arc<dyn ContactInbox>,
}

/// The services of this request; their absence is a wiring bug, reported as an internal error.
pub fn services() -> Result<Services, AppError> {
    leptos::prelude::use_context::<Services>().ok_or_else(|| AppError::internal("Services missing from context"))
}
