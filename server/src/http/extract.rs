//! The caller of a plain route (uploads, downloads, live updates): a bearer access token, else the
//! session cookie of a same-origin request — the same rules as server functions.

use super::AppState;
use app::accounts::REFRESH_COOKIE;
use app::accounts::model::Caller;
use app::accounts::port::Credential;
use app::error::AppError;
use app::server::request::same_origin;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

pub struct Authenticated(pub Caller);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let bearer = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let credential = match bearer.and_then(|v| v.strip_prefix("Bearer ")) {
            Some(token) => Credential::Bearer(token.to_owned()),
            None if same_origin(&parts.headers, &state.config.public_url) => {
                let cookies = parts.extensions.get::<tower_cookies::Cookies>();
                let token = cookies.and_then(|c| c.get(REFRESH_COOKIE)).map(|c| c.value().to_owned());
                Credential::Session(token.unwrap_or_default())
            }
            None => return Err(AppError::with_status("error-forbidden", 403)),
        };
        Ok(Authenticated(state.services.accounts.authenticate(credential).await?))
    }
}
