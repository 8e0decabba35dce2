//! The public contact form: a server function that works as a plain HTML form post too.

pub mod model;
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
    let result = match model::ContactMessage::parse(&name, &email, &company, &message, &lang) {
        Ok(_) if !website.is_empty() => Ok(()),
        Ok(msg) => crate::ports::services()?.contact.receive(msg).await,
        Err(e) => Err(e),
    };
    crate::ssr::finish_form(result, "contact")
}
