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
    pub whatsapp: Arc<dyn crate::inbox::port::WhatsApp>,
    pub inbox: Arc<dyn crate::inbox::port::Inbox>,
    pub ads: Arc<dyn crate::campaigns::port::Ads>,
    pub budgets: Arc<dyn crate::budgets::port::Budgets>,
}

/// The services of this request; their absence is a wiring bug, reported as an internal error.
///
/// One case is not a bug: when a server render ends, leptos drops the page's signals, which can
/// wake a resource's fetcher once more with its owner (and every context) already gone. Nobody
/// reads that answer; it is refused quietly instead of logging an error for every page view.
pub fn services() -> Result<Services, AppError> {
    leptos::prelude::use_context::<Services>().ok_or_else(|| {
        if leptos::prelude::use_context::<http::request::Parts>().is_none() {
            tracing::debug!("a resource ran after its render ended");
            AppError::with_status(AppError::INTERNAL, 500)
        } else {
            internal("Services missing from context")
        }
    })
}
