//! The services server functions call: one port per feature, implemented in the `server` crate and
//! provided as context to every render and server-function call.

use crate::error::AppError;
use crate::server::request::internal;
use std::sync::Arc;

#[derive(Clone)]
pub struct Services {
    pub enquiries: Arc<dyn crate::enquiries::port::Enquiries>,
    pub accounts: Arc<dyn crate::accounts::port::Accounts>,
    pub members: Arc<dyn crate::accounts::port::Members>,
    pub contacts: Arc<dyn crate::contacts::port::Contacts>,
    pub imports: Arc<dyn crate::contacts::port::Imports>,
}

/// The services of this request; their absence is a wiring bug, reported as an internal error.
pub fn services() -> Result<Services, AppError> {
    leptos::prelude::use_context::<Services>().ok_or_else(|| internal("Services missing from context"))
}
