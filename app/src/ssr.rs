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
            Err(e) => format!("error={}&form={form}", e.code),
        };
        leptos_axum::redirect(&format!("{}?{query}#{form}", referring_path()));
        return Ok(());
    }
    if let Err(e) = &result {
        set_status(e.status);
    }
    result
}

/// A cookie of this request.
pub fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts.headers.get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|header| {
        header.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name && !v.is_empty()).then(|| v.to_owned())
        })
    })
}

/// Where the request came from: the last `X-Forwarded-For` entry — the one our own proxy
/// appended; earlier entries are whatever the client claimed — or else the socket peer.
pub fn client_info() -> crate::ports::ClientInfo {
    let parts = use_context::<http::request::Parts>();
    let header =
        |name| parts.as_ref().and_then(|p| p.headers.get(name)?.to_str().ok().map(str::to_owned)).unwrap_or_default();
    let forwarded = header("x-forwarded-for").rsplit(',').next().unwrap_or("").trim().to_owned();
    let peer = parts
        .as_ref()
        .and_then(|p| p.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>())
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    crate::ports::ClientInfo {
        ip: if forwarded.is_empty() { peer } else { forwarded },
        user_agent: header("user-agent"),
    }
}

/// Cookie-authenticated calls must come from our own pages: browsers send `Sec-Fetch-Site` (or at
/// least `Origin`) with every POST, so a cross-site form or fetch is refused here.
pub fn require_same_origin() -> Result<(), crate::error::AppError> {
    let Some(parts) = use_context::<http::request::Parts>() else { return Ok(()) };
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let allowed = match (header("sec-fetch-site"), header("origin")) {
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some(origin)) => use_context::<crate::PublicUrl>().is_some_and(|u| u.0 == origin),
        (None, None) => true,
    };
    if allowed {
        return Ok(());
    }
    set_status(403);
    Err(crate::error::AppError::with_status("error-forbidden", 403))
}

pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (use_context::<ResponseOptions>(), http::HeaderValue::from_str(value)) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}

/// Ends a sign-in style server function: sets the refresh cookie, and for a plain HTML form
/// redirects to `next` (success) or back with `?error=CODE&form=FORM` (failure).
pub fn finish_session(
    result: Result<crate::ports::SessionStart, crate::error::AppError>,
    next: &str,
    form: &str,
) -> Result<crate::accounts::model::AccessGrant, crate::error::AppError> {
    let plain = is_plain_form_post();
    match result {
        Ok(session) => {
            set_cookie(&session.set_cookie);
            if plain {
                leptos_axum::redirect(next);
            }
            Ok(session.grant)
        }
        Err(e) if plain => {
            leptos_axum::redirect(&format!("{}?error={}&form={form}", referring_path(), e.code));
            Err(e)
        }
        Err(e) => {
            set_status(e.status);
            Err(e)
        }
    }
}

/// Sets the response status of an error result (server functions otherwise answer 500).
pub fn respond<T>(result: Result<T, crate::error::AppError>) -> Result<T, crate::error::AppError> {
    if let Err(e) = &result {
        set_status(e.status);
    }
    result
}

/// The caller of a protected server function: a bearer access token (API clients), else the
/// session cookie from one of our own pages. Membership and role come from the store each time.
pub async fn caller() -> Result<crate::accounts::model::Caller, crate::error::AppError> {
    let bearer = use_context::<http::request::Parts>().and_then(|p| {
        let value = p.headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
        value.strip_prefix("Bearer ").map(str::to_owned)
    });
    if bearer.is_none() {
        require_same_origin()?;
    }
    let cookie = cookie(crate::accounts::REFRESH_COOKIE);
    respond(crate::ports::services()?.accounts.authorize(bearer.as_deref(), cookie.as_deref()).await)
}
