//! Enquiries: the public contact form, a server function that works as a plain HTML form post too.

pub mod model;
#[cfg(feature = "ssr")]
pub mod port;
mod section;

pub use section::ContactSection;

use crate::error::AppError;
use leptos::prelude::*;

/// Receives the contact form. `website` is a honeypot that people never see: when a bot fills it
/// in, the post is answered like a success and dropped.
#[server(name = SubmitContact, prefix = "/api", endpoint = "contact")]
pub async fn submit_contact(
    name: String,
    email: String,
    company: String,
    message: String,
    website: String,
    lang: String,
) -> Result<(), AppError> {
    use crate::server::{respond::finish_form, services};
    let result = match model::Enquiry::parse(&name, &email, &company, &message, &lang) {
        Ok(_) if !website.is_empty() => Ok(()),
        Ok(enquiry) => {
            let client = crate::server::request::client_info();
            services()?.enquiries.receive(enquiry, client).await.map_err(AppError::from)
        }
        Err(e) => Err(e),
    };
    finish_form(result, "contact")
}
