//! What this request is: its id, headers, client address, and whether it came from our own pages.

use crate::error::AppError;
use leptos::prelude::*;

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

fn header(name: &str) -> Option<String> {
    parts()?.headers.get(name)?.to_str().ok().map(str::to_owned)
}

/// The request id the server's middleware put on this request (`X-Request-Id`).
pub fn request_id() -> Option<String> {
    header("x-request-id")
}

/// Logs `cause` with the request id and returns an error that reveals only the id.
pub fn internal(cause: impl std::fmt::Display) -> AppError {
    let request_id = request_id();
    tracing::error!(request_id = request_id.as_deref().unwrap_or("-"), error = %cause, "internal error");
    AppError { request_id, ..AppError::with_status(AppError::INTERNAL, 500) }
}

/// Whether this server-function call came from a plain HTML form (no JavaScript): the browser
/// asks for HTML, while the hydrated app's client asks for data.
pub fn is_plain_form_post() -> bool {
    header(http::header::ACCEPT.as_str()).is_some_and(|a| a.contains("text/html"))
}

/// Path (and no query) of the page the form was posted from, falling back to `/`.
/// Only the path is kept, so a forged Referer cannot send the browser to another site.
pub fn referring_path() -> String {
    header(http::header::REFERER.as_str())
        .and_then(|r| {
            let after_scheme = r.split_once("://").map(|(_, rest)| rest)?;
            let path = &after_scheme[after_scheme.find('/')?..];
            let path = path.split(['?', '#']).next()?;
            (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_owned())
        })
        .unwrap_or_else(|| "/".to_owned())
}

/// The `Authorization: Bearer` token, if any.
pub fn bearer_token() -> Option<String> {
    header(http::header::AUTHORIZATION.as_str())?.strip_prefix("Bearer ").map(str::to_owned)
}

/// Where a request came from, for the sign-in history and throttling.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}

/// How many proxies in front of the server append to `X-Forwarded-For` (`ADRONX_TRUSTED_PROXIES`),
/// provided by the server to every request.
#[derive(Clone, Copy, Debug, Default)]
pub struct TrustedProxies(pub usize);

/// The client's address: the socket peer, unless trusted proxies sit in front — then the entry
/// the outermost of them appended to `X-Forwarded-For` (`n` trusted proxies: the `n`-th from the
/// right). Entries further left are whatever the client claimed, so they are never used.
pub fn client_info() -> ClientInfo {
    let peer = parts()
        .and_then(|p| p.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip()))
        .map(|ip| ip.to_string())
        .unwrap_or_default();
    let trusted = use_context::<TrustedProxies>().unwrap_or_default().0;
    let forwarded = header("x-forwarded-for").unwrap_or_default();
    let hops: Vec<&str> = forwarded.split(',').map(str::trim).filter(|h| !h.is_empty()).collect();
    let ip = match trusted {
        n if n > 0 && hops.len() >= n => hops[hops.len() - n].to_owned(),
        _ => peer,
    };
    ClientInfo { ip, user_agent: header("user-agent").unwrap_or_default() }
}

/// Cookie-authenticated calls must come from our own pages: browsers send `Sec-Fetch-Site` (or at
/// least `Origin`) with every POST, so a cross-site form or fetch is refused here.
pub fn require_same_origin() -> Result<(), AppError> {
    let Some(parts) = parts() else { return Ok(()) };
    let public_url = use_context::<crate::PublicUrl>().map(|u| u.0).unwrap_or_default();
    if same_origin(&parts.headers, &public_url) { Ok(()) } else { Err(AppError::with_status("error-forbidden", 403)) }
}

/// Whether a request's `Sec-Fetch-Site` (or, from older browsers, `Origin`) says it came from our
/// own pages; requests with neither are not from a browser.
pub fn same_origin(headers: &http::HeaderMap, public_url: &str) -> bool {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    match (header("sec-fetch-site"), header("origin")) {
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some(origin)) => origin == public_url,
        (None, None) => true,
    }
}

/// The region of the browser's first language that names one (`MX` from `es-MX,es;q=0.9`), or
/// the usual region of its first language (`es` → `ES`, `en` → `US`, `ar` → `SA`).
pub fn browser_region() -> Option<String> {
    region_of(&header(http::header::ACCEPT_LANGUAGE.as_str())?)
}

pub fn region_of(accept_language: &str) -> Option<String> {
    let tags: Vec<&str> = accept_language.split(',').map(|p| p.split(';').next().unwrap_or("").trim()).collect();
    let named = tags.iter().find_map(|t| {
        let region = t.split(['-', '_']).nth(1)?;
        (region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic())).then(|| region.to_ascii_uppercase())
    });
    named.or_else(|| {
        let language = tags.first()?.split(['-', '_']).next()?.to_ascii_lowercase();
        Some(
            match language.as_str() {
                "es" => "ES",
                "ar" => "SA",
                "pt" => "BR",
                "en" => "US",
                _ => return None,
            }
            .to_owned(),
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_browser_language_names_a_region() {
        use super::region_of;
        assert_eq!(region_of("es-MX,es;q=0.9,en;q=0.8").as_deref(), Some("MX"));
        assert_eq!(region_of("es;q=0.9, en-GB").as_deref(), Some("GB"));
        assert_eq!(region_of("ar").as_deref(), Some("SA"));
        assert_eq!(region_of("zh-Hant").as_deref(), None);
    }
}
