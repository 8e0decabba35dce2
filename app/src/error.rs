//! The one application error: a stable code (which is also its i18n key), an HTTP status, and the
//! request id so a user can quote it. Plain data: internal causes are logged where they happen
//! (`server::request::internal`) and never sent. The server's HTTP layer gives an error response
//! the status the error carries.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{code} ({status})")]
pub struct AppError {
    /// Stable machine-readable code; the same string is the Fluent key of its message.
    pub code: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// With 429: seconds until a retry can succeed (also sent as `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl AppError {
    pub const INTERNAL: &'static str = "error-internal";
    pub const BAD_REQUEST: &'static str = "error-bad-request";

    /// A problem with what the user sent: shown to them as the translation of `code`.
    pub fn invalid(code: &str) -> Self {
        Self::with_status(code, 422)
    }

    pub fn with_status(code: &str, status: u16) -> Self {
        Self { code: code.to_owned(), status, request_id: None, retry_after: None }
    }

    /// Over a rate limit: 429, retry after `secs`.
    pub fn too_many(secs: u64) -> Self {
        Self { retry_after: Some(secs), ..Self::with_status("error-too-many-attempts", 429) }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                Self::with_status(Self::BAD_REQUEST, 400)
            }
            _ => Self::with_status(Self::INTERNAL, 500),
        }
    }
}

/// Plain axum routes answer with the same error: its status, and a JSON body with the code and
/// request id only.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let retry = self.retry_after.map(|s| [(http::header::RETRY_AFTER, s.to_string())]);
        (status, retry, axum::Json(self)).into_response()
    }
}
