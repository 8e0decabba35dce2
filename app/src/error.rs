//! The one application error: a stable code (which is also its i18n key), an HTTP status, and the
//! request id so a user can quote it. Internal causes are logged on the server and never sent.

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
}

impl AppError {
    pub const INTERNAL: &'static str = "error-internal";
    pub const BAD_REQUEST: &'static str = "error-bad-request";

    /// A problem with what the user sent: shown to them as the translation of `code`.
    pub fn invalid(code: &str) -> Self {
        Self { code: code.to_owned(), status: 422, request_id: None }
    }

    pub fn with_status(code: &str, status: u16) -> Self {
        Self { code: code.to_owned(), status, request_id: None }
    }

    /// Logs `cause` on the server with the request id and returns an error that reveals only the id.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let request_id = crate::ssr::request_id();
        tracing::error!(request_id = request_id.as_deref().unwrap_or("-"), error = %cause, "internal error");
        Self { code: Self::INTERNAL.to_owned(), status: 500, request_id }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                Self::with_status(Self::BAD_REQUEST, 400)
            }
            _ => Self::with_status(Self::INTERNAL, 500),
        };
        // Input that fails to decode never reaches our function body, so its status is set here
        // (server_fn would otherwise answer 500 for every error).
        #[cfg(feature = "ssr")]
        crate::ssr::set_status(error.status);
        error
    }
}

/// Plain axum routes answer with the same error: its status, and a JSON body with the code and
/// request id only.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(self)).into_response()
    }
}
