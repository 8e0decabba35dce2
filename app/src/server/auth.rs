//! Who is calling a protected server function.

use crate::accounts::model::Caller;
use crate::accounts::port::Credential;
use crate::error::AppError;
use crate::server::request::{bearer_token, require_same_origin};
use crate::server::respond::session_cookie;
use crate::server::services;

/// A bearer access token (API clients), else the session cookie from one of our own pages.
/// Membership and role are read from the store on every call, in one round trip.
pub async fn caller() -> Result<Caller, AppError> {
    let credential = match bearer_token() {
        Some(token) => Credential::Bearer(token),
        None => {
            require_same_origin()?;
            Credential::Session(session_cookie().await?.unwrap_or_default())
        }
    };
    Ok(services()?.accounts.authenticate(credential).await?)
}
