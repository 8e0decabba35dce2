//! Helpers only the server rendering and server functions use.

use leptos::prelude::*;
use leptos_axum::ResponseOptions;

/// The request id the server's middleware put on this request (`X-Request-Id`).
pub fn request_id() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts.headers.get("x-request-id")?.to_str().ok().map(str::to_owned)
}

/// Whether this server-function call came from a plain HTML form (no JavaScript): the browser
/// asks for HTML, while the hydrated app's client asks for data.
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::ACCEPT)?.to_str().ok().map(|a| a.contains("text/html")))
        .unwrap_or(false)
}

/// Path (and no query) of the page the form was posted from, falling back to `/`.
/// Only the path is kept, so a forged Referer cannot send the browser to another site.
pub fn referring_path() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::REFERER)?.to_str().ok().map(str::to_owned))
        .and_then(|r| {
            let after_scheme = r.split_once("://").map(|(_, rest)| rest)?;
            let path = &after_scheme[after_scheme.find('/')?..];
            let path = path.split(['?', '#']).next()?;
            (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_owned())
        })
        .unwrap_or_else(|| "/".to_owned())
}

/// Sets the response status for an error returned by a server function.
pub fn set_status(status: u16) {
    if let (Some(res), Ok(code)) = (use_context::<ResponseOptions>(), http::StatusCode::from_u16(status)) {
        res.set_status(code);
    }
}

/// Ends a server function that a form posts to. A hydrated page gets the result as data; a plain
/// HTML post (no JavaScript) is redirected back to its page with `?sent=FORM` or `?error=CODE`
/// and the form's anchor, so the server-rendered page can show the outcome.
pub fn finish_form(result: Result<(), crate::error::AppError>, form: &str) -> Result<(), crate::error::AppError> {
    if is_plain_form_post() {
        let query = match &result {
            Ok(()) => format!("sent={form}"),
            Err(e) => format!("error={}", e.code),
        };
        leptos_axum::redirect(&format!("{}?{query}#{form}", referring_path()));
        return Ok(());
    }
    if let Err(e) = &result {
        set_status(e.status);
    }
    result
}
